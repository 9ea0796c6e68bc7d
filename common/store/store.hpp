// The device store: the kiosk's records, its outbox, and what the agent syncs.
//
// Every user action is one transaction that writes the record(s) and exactly
// one outbox change per record, so a change is either saved and queued for
// sync, or not saved at all. Methods throw StoreError for database failures
// (disk full, damaged file) with a message a person can act on, and return
// field errors as values when a record does not validate. A Store is one
// connection: use it from one thread; open one per process (the kiosk and the
// agent each have their own, on the same file).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"
#include "common/model/validation.hpp"
#include "common/protocol/wire.hpp"
#include "common/store/database.hpp"
#include "common/util/hlc.hpp"

namespace alliance::store {

// Meta key of the device's reference-code prefix (Store::reference_code_prefix).
inline constexpr std::string_view kMetaReferenceCodePrefix = "reference_code_prefix";

template <class T>
using Saved = std::expected<T, model::FieldErrors>;

struct Registration {
  model::Member member;
  std::optional<model::Attendance> attendance;  // day-one check-in, when an event is set
};

struct CheckInResult {
  model::Attendance attendance;
  bool already_checked_in = false;  // nothing new was written
};

// One draft's problems in a batch, by its position in the batch (0-based).
struct RowErrors {
  std::size_t index = 0;
  model::FieldErrors errors;
};

enum class MatchKind { reference_code, phone, email, name };

// A participant's own update of their member record, for staff to review.
struct MemberReview {
  std::string member_id;
  std::vector<std::string> fields;  // what changed (Member field names)
  std::string at;                   // ISO-8601 UTC
};

struct MemberHit {
  model::Member member;
  MatchKind matched_by = MatchKind::name;
};

// One change as the outbox holds it.
struct OutboxEntry {
  std::int64_t seq = 0;
  std::string change_id;
  std::string entity;
  std::string entity_id;
  std::string op;
  std::string hlc;
  std::string payload;  // encoded protocol::Change
  std::string created_at;
  std::string state;  // pending, acked, rejected, quarantined, discarded
  // The server's (or the agent's) last reason: for rejected and quarantined
  // changes, and for pending ones held until retry_at.
  std::string reject_code;
  std::string reject_message;
  std::int64_t attempts = 0;  // answers that sent it back (holds, unmatched answers)
  std::string retry_at;       // pending: not sent before (ISO-8601 UTC); "" = now
  std::string resolved_at;
  bool held() const { return state == "pending" && !reject_code.empty(); }
};

struct Ack {
  std::string change_id;
  protocol::Outcome outcome = protocol::Outcome::applied;  // applied, duplicate or conflict
};

struct QueueCounts {
  std::int64_t pending = 0;      // not yet acknowledged, held ones included
  std::int64_t held = 0;         // of pending: sent back for a reason that can clear
  std::int64_t rejected = 0;     // refused for good: staff resend or discard
  std::int64_t quarantined = 0;  // damaged or unanswerable: staff resend or discard
  std::int64_t discarded = 0;    // set aside by staff; kept as the audit trail
  std::int64_t acked = 0;
  // Changes a person must look at.
  std::int64_t need_attention() const { return rejected + quarantined; }
  // Nothing waits, nothing is refused: only then is everything synced.
  bool all_synced() const { return pending == 0 && need_attention() == 0; }
};

// Holds never last longer than this (a hold further ahead comes from a wall
// clock that went back, and is due at once).
inline constexpr std::chrono::milliseconds kLongestHold{60 * 60'000};

// What the agent reports; the kiosk only reads it. Times are ISO-8601 UTC or "".
struct SyncStatus {
  std::string state;  // idle, syncing, offline, backing_off, not_enrolled, revoked
  std::string server_url;
  std::string last_attempt_at;
  std::string last_success_at;
  std::string last_error;
  std::string next_retry_at;
  std::int64_t last_pushed = 0;
  std::int64_t last_pulled = 0;
  // The device clock against the server's at the last answer that said
  // (server minus device, ms: positive when this device is behind); nothing
  // until measured.
  std::optional<std::int64_t> clock_offset_ms;
  // When the agent last wrote its status (ISO-8601 UTC; write_sync_status and
  // note_agent_alive set it): a running agent writes at least every
  // kAgentHeartbeat.
  std::string written_at;
};

// A running agent notes that it is alive at least this often, even when it
// has nothing to do or waits for a long retry; a status older than
// kAgentSilentAfter (four heartbeats, twice the default pull interval of 60 s)
// means the agent is not running.
inline constexpr std::chrono::seconds kAgentHeartbeat{30};
inline constexpr std::chrono::seconds kAgentSilentAfter{120};
// Whether the agent has written nothing for kAgentSilentAfter at `now`
// (never having written counts as silent).
bool agent_silent(const SyncStatus& status, std::chrono::system_clock::time_point now);

// The network bytes the agent used (sent and received together, as its
// connections carried them), per UTC day and month. The agent adds to them;
// `status` and the kiosk's sync panel show them.
struct DataUse {
  std::string day;  // "2026-11-30": the UTC day `today` counts
  std::uint64_t today = 0;
  std::string month;  // "2026-11"
  std::uint64_t this_month = 0;
  // The running agent's --max-daily-bytes; 0: none. Spent: background
  // pulls wait for the next UTC day (pushes and "sync now" still go).
  std::uint64_t daily_budget = 0;
  bool budget_spent() const { return daily_budget > 0 && today >= daily_budget; }
};

class Store {
 public:
  // Opens (or creates) the file, applies migrations, makes this device's id
  // on first use, and rebuilds the member search keys if they were made by
  // other rules or another ICU (refresh_search_keys). Throws StoreError with
  // an actionable message.
  static Store open(const std::filesystem::path& path, const OpenOptions& options = {});

  Store(Store&&) noexcept = default;
  Store& operator=(Store&&) noexcept = default;

  Database& db() { return db_; }
  const std::string& device_id() const { return device_id_; }

  // --- members ------------------------------------------------------------
  // Validates, assigns id, reference code and timestamps, and saves the member
  // with its outbox change; with an event set, also checks them in for `day`
  // in the same transaction. With draft_form, the saved form's draft
  // (save_draft) is deleted in that transaction too, so a crash can never
  // leave both the member and its draft (a second registration on restart).
  Saved<Registration> register_member(model::Member draft, const model::ValidationContext& context,
                                      const std::string& event_id = {}, const std::string& day = {},
                                      std::string_view draft_form = {});
  // Saves a list (e.g. an organiser's pre-registration file) all or nothing:
  // every draft is validated first, and if any fails, the errors of each
  // failing draft come back and nothing is written. Otherwise every member is
  // saved as register_member saves one (no event, no check-in), each with its
  // own outbox change, in one transaction, and they come back in draft order.
  std::expected<std::vector<model::Member>, std::vector<RowErrors>> register_members(
      std::vector<model::Member> drafts, const model::ValidationContext& context);
  // Saves staff edits; the outbox change lists only the fields that changed.
  // With for_review (a participant's own update at the kiosk: "This is me"),
  // the same transaction notes the update for staff to review
  // (member_reviews), with the fields it changed.
  Saved<model::Member> update_member(const model::Member& edited,
                                     const model::ValidationContext& context,
                                     bool for_review = false);
  // Participants' own updates not yet reviewed by staff, oldest first.
  std::vector<MemberReview> member_reviews();
  // Staff have looked at it: the note goes (the update itself stays).
  void clear_member_review(const std::string& member_id);
  // A void is a change that syncs, not a delete. Returns false if not found.
  bool void_member(const std::string& id, const std::string& reason);
  // Undoes a void (staff): the member counts again, as an update that syncs.
  // Returns false if not found or not voided.
  bool restore_member(const std::string& id);
  std::optional<model::Member> find_member(const std::string& id);
  // A reference code of a member merged at central (a tombstone) finds the
  // member it was merged into: people keep their old card.
  std::optional<model::Member> find_member_by_reference(std::string_view code);
  // The member `id` stands for: itself, or the member central merged it
  // into (model::Member::merged_into, followed to its end).
  std::string kept_member_id(const std::string& id);
  // By reference code, phone, e-mail or name, as a person types. Excludes
  // voided members. default_country reads national phone numbers. Names
  // match by their search keys (model::fold_for_search): every word of three
  // or more letters as a substring, or the whole query as a prefix of the
  // name; the name that equals the query comes first, then names whose words
  // equal, then start with, the query's words.
  std::vector<MemberHit> search_members(std::string_view query, std::size_t limit = 20,
                                        std::string_view default_country = {});
  // Members who are probably the person in `typed` (normalised:
  // model::normalize_and_validate) by model::duplicate_reason (a likely
  // verdict of model::assess_duplicate: the name matches and a phone, e-mail
  // or organisation and birth year agree). Voided members and typed.id itself
  // are left out; at most `limit`, phone and e-mail matches first. The public
  // desk shows only those model::public_duplicate_reason also accepts.
  std::vector<model::Member> possible_duplicates(const model::Member& typed,
                                                 std::string_view default_country,
                                                 std::size_t limit = 5);
  // Rebuilds every member's search key and the search index, in one
  // transaction, unless meta "search_keys" says they were made by this
  // program's rules and ICU data (model::search_key_version). Store::open
  // calls it; returns whether it rebuilt.
  bool refresh_search_keys();
  // Members registered at an event on a local day (YYYY-MM-DD), newest
  // first; members merged at central are left out (the kept one is the person).
  std::vector<model::Member> members_registered(const std::string& event_id,
                                                const std::string& day);
  std::int64_t member_count();

  // --- events and attendance ---------------------------------------------
  Saved<model::TrainingEvent> save_event(model::TrainingEvent event);
  std::optional<model::TrainingEvent> find_event(const std::string& id);
  std::vector<model::TrainingEvent> list_events();
  // A member merged at central is checked in as the member kept.
  Saved<CheckInResult> check_in(const std::string& member_id, const std::string& event_id,
                                const std::string& day);
  bool void_attendance(const std::string& id);
  // Undoes a voided check-in, as restore_member does a member.
  bool restore_attendance(const std::string& id);
  // Check-ins of an event on a day, newest first, not voided; one per person:
  // a check-in of a member merged at central reads as the kept member's, and
  // is left out when the kept member has one that day.
  std::vector<model::Attendance> attendance_for(const std::string& event_id,
                                                const std::string& day);

  // --- resource packs and requests ---------------------------------------
  // Catalogue entries normally arrive by pull; this saves one made locally.
  Saved<model::ResourcePack> save_pack(model::ResourcePack pack);
  std::vector<model::ResourcePack> list_packs();
  Saved<model::ResourceRequest> create_request(model::ResourceRequest draft,
                                               const model::ValidationContext& context,
                                               const std::string& actor);
  // Moves a request along its lifecycle as a device may (cancel, or deliver
  // at the desk: model::device_may_transition; approvals are made
  // centrally); any other move is a field error "request.status.not_allowed".
  // received_by is recorded on delivery.
  Saved<model::ResourceRequest> transition_request(const std::string& id, model::RequestStatus to,
                                                   const std::string& actor,
                                                   const std::string& received_by = {});
  std::optional<model::ResourceRequest> find_request(const std::string& id);
  std::vector<model::ResourceRequest> requests_for_office(const std::string& office,
                                                          bool open_only = true);
  // The distribution desk's open requests: those routed to `office`, then
  // those routed elsewhere or nowhere that `made_by` made (the actor of their
  // first transition: this kiosk, before its office was set, when the event's
  // office or none was used) or that carry no office at all; by creation.
  std::vector<model::ResourceRequest> requests_for_desk(const std::string& office,
                                                        const std::string& made_by);

  // --- listing (exports) ------------------------------------------------
  // Every record, voided ones included, in id order (UUIDv7, so roughly
  // creation order), handed to visit one at a time so an export of any size
  // needs little memory. The whole walk reads one snapshot of the file; visit
  // must not write through this Store.
  void for_each_member(const std::function<void(const model::Member&)>& visit);
  void for_each_request(const std::function<void(const model::ResourceRequest&)>& visit);
  void for_each_attendance(const std::function<void(const model::Attendance&)>& visit);

  // --- small state --------------------------------------------------------
  std::optional<std::string> meta(std::string_view key);
  void set_meta(std::string_view key, std::string_view value);
  // The prefix of the reference codes this device mints (util/reference_code:
  // handed out by central at enrolment or on a pull that asks for one); ""
  // while it has none. Setting refuses a prefix central may not hand out.
  std::string reference_code_prefix();
  void set_reference_code_prefix(std::string_view prefix);
  void save_draft(std::string_view form, std::string_view payload);
  std::optional<std::string> load_draft(std::string_view form);
  void clear_draft(std::string_view form);

  // --- outbox (the agent's side) ------------------------------------------
  // Pending changes in order, at most max_count and, after the first, at most
  // max_bytes of payload; one oversized change is still returned alone so it
  // can never block the queue.
  // after_seq: only entries queued after that one (the agent sends the next
  // batch while the previous one's answer is on its way). include_held: held
  // changes too, due or not (a USB bundle carries everything not acknowledged).
  std::vector<OutboxEntry> next_batch(std::size_t max_count, std::size_t max_bytes,
                                      std::int64_t after_seq = 0, bool include_held = false);
  // Marks changes acknowledged, all in one transaction. Unknown ids are ignored.
  void acknowledge(const std::vector<Ack>& acks);
  // Marks one change rejected with the server's reason; it stays visible.
  void reject(const std::string& change_id, const std::string& code, const std::string& message);
  // Keeps a pending change out of batches for `delay` (at most kLongestHold)
  // with the reason it was sent back, and counts the attempt: for reasons
  // that can clear (the server's clock check, a size limit).
  void hold(const std::string& change_id, const std::string& code, const std::string& message,
            std::chrono::milliseconds delay);
  // Counts one more answer that did not match a pending change; returns the count.
  std::int64_t count_attempt(const std::string& change_id);
  // Sets a pending change aside (damaged, or never answered): it stays
  // visible and no longer blocks the queue.
  void quarantine(const std::string& change_id, const std::string& code,
                  const std::string& message);
  // Makes the changes held for `code` due now; returns how many.
  std::int64_t release_holds(std::string_view code);
  // Staff: a rejected, quarantined or held change goes back to the queue as
  // new (and the agent is asked to sync), or is discarded (kept, never sent).
  // False when there is no such change in one of those states.
  bool resend(const std::string& change_id);
  bool discard(const std::string& change_id);
  std::optional<OutboxEntry> outbox_entry(const std::string& change_id);
  QueueCounts queue_counts();
  // QueueCounts::pending alone, from the outbox_state_seq index (a range of
  // the pending rows only, however many acknowledged rows the outbox keeps):
  // cheap enough for the agent to count before every request it sends.
  std::int64_t pending_count();
  // Rejected, quarantined and held changes, in queue order: what staff see.
  std::vector<OutboxEntry> rejected_changes();
  std::vector<OutboxEntry> changes_for(const std::string& entity_id);

  // --- pull and status (the agent's side) ---------------------------------
  // Applies pulled records and stores next_cursor in one transaction. A record
  // with a local change still waiting to be pushed keeps the local version: the
  // server merges that change and the next pull brings the merged record.
  void apply_pulled(const std::vector<protocol::PulledChange>& changes, std::int64_t next_cursor);
  std::int64_t pull_cursor();
  SyncStatus sync_status();
  // Also stamps written_at with now.
  void write_sync_status(const SyncStatus& status);
  // The agent is running (written_at = now), status otherwise unchanged.
  void note_agent_alive();
  // Raises this device's clock to the server's time as the agent measured it
  // (its wall clock plus the measured offset), in one transaction, so that
  // a device whose wall clock is behind writes after everything the server
  // had seen. Returns whether the clock moved.
  bool observe_server_clock(std::int64_t server_now_ms);
  // The wall clock the device clock reads (Unix ms); tests step it. Default:
  // the system clock.
  void set_wall_clock(util::HybridClock::WallClock wall_clock);
  // Rows of sync_state the agent keeps for itself (sync/recovery.hpp: what
  // it remembers of central); "" when absent. set_sync_value is one
  // statement: inside a caller's transaction or committed on its own.
  std::string sync_value(std::string_view key);
  // sync_value as a whole number; 0 when absent or not a number.
  std::int64_t sync_number(std::string_view key);
  void set_sync_value(std::string_view key, std::string_view value);
  // The highest outbox seq, 0 for an empty outbox.
  std::int64_t last_outbox_seq();
  // The newest change central acknowledged (state acked) of those after
  // outbox seq `after_seq`; "" if there is none.
  std::string newest_acknowledged(std::int64_t after_seq);
  // Central went back in time: in one transaction, every acknowledged
  // change after outbox seq `after_seq` is pending again (central answers
  // those it still holds as duplicates), the pull cursor goes back to 0,
  // and `rows` are written to sync_state. Returns how many changes wait again.
  std::int64_t resend_acknowledged(std::int64_t after_seq,
                                   const std::vector<std::pair<std::string, std::string>>& rows);
  // Adds `bytes` to the day and month of `now` (UTC) in one transaction; a
  // new day or month starts from 0.
  void add_data_use(std::uint64_t bytes, std::chrono::system_clock::time_point now);
  // The figures as of `now`: a day or month gone by counts 0.
  DataUse data_use(std::chrono::system_clock::time_point now);
  void set_daily_budget(std::uint64_t bytes);
  // "Sync now": the kiosk writes a row; the agent takes it (marks it handled).
  void request_sync();
  bool take_sync_request();

 private:
  explicit Store(Database db);
  // Starts a write: a timestamp past every one this file has seen.
  util::Hlc next_hlc();
  void enqueue(protocol::Change change);
  void write_member(const model::Member& m, bool insert, std::string_view origin);
  // Inside a write transaction: gives a validated draft its id, reference
  // code, timestamps and clock, inserts it and queues its create change.
  model::Member insert_new_member(model::Member validated, const std::string& event_id,
                                  const std::string& now);
  void write_attendance(const model::Attendance& a, std::string_view origin);
  void write_event(const model::TrainingEvent& e, std::string_view origin);
  void write_pack(const model::ResourcePack& p);
  void write_request(const model::ResourceRequest& r, std::string_view origin);
  std::optional<model::Attendance> find_attendance(const std::string& member_id,
                                                   const std::string& event_id,
                                                   const std::string& day);
  // A code of this device's prefix (reference_code_prefix) that `table`
  // does not hold yet.
  std::string unused_reference_code(std::string_view table);
  // Sets a record's voided flag as a change that syncs (a void, or an update
  // that undoes one): nothing when there is no such record, false when it
  // already had that flag.
  std::optional<bool> set_member_voided(const std::string& id, bool voided,
                                        const std::string& reason);
  std::optional<bool> set_attendance_voided(const std::string& id, bool voided);
  std::vector<model::ResourceRequest> requests_by_id(const std::vector<std::string>& ids);
  bool has_pending_change(const std::string& entity_id);
  void observe_remote(std::string_view hlc);
  // Takes the persisted clock (meta "hlc") as the floor of clock_.
  void restore_clock();

  Database db_;
  std::string device_id_;
  util::HybridClock clock_;
  bool warned_forward_step_ = false;
};

}  // namespace alliance::store

// --- device credentials (the agent's enrolment; common/store/credentials.cpp)
namespace alliance::store {

// What `alliance-sync enroll` received from the server. The token is a
// secret: it lives only in this device's database file, which
// save_credentials keeps readable by its owner only (0600, with -wal/-shm),
// or by its owner and group (0660) in a shared setgid folder (database_file_mode).
struct DeviceCredentials {
  std::string server_url;  // base URL, e.g. https://central.example.org
  std::string device_id;   // the id the server gave this device (not Store::device_id)
  std::string token;       // bearer token for API v1
  std::string office;
  // The reference-code prefix central handed this enrolment ("" from a
  // central that hands none out: codes then begin with
  // util::kUnallocatedPrefixSymbol until a pull brings one).
  std::string code_prefix;
  // The device's Ed25519 secret key (base64) with which it signs USB
  // bundles, made at enrolment, its public half registered with central; ""
  // for an enrolment older than bundles. As secret as the token.
  std::string signing_key;
  // Central's Ed25519 public key (base64), which signs its bundle answers:
  // from the enrolment answer, or learnt from a push or pull answer
  // (save_central_key); "" while unknown.
  std::string central_key;
};

// Replaces any earlier enrolment in one transaction and restricts the file's
// permissions to its owner. With the enrolment code the device used, also
// keeps a salted PBKDF2 hash of it (never the code): whoever holds that code
// may set the kiosk's first staff PIN. Throws StoreError.
void save_credentials(Store& store, const DeviceCredentials& credentials,
                      std::string_view enrolment_code = {});
// The saved enrolment, or nullopt if this database was never enrolled.
std::optional<DeviceCredentials> load_credentials(Store& store);
// Keeps central's public signing key as a push or pull answer gave it (one
// statement: inside a caller's transaction or committed on its own).
void save_central_key(Store& store, std::string_view central_key);
// Whether a hash of the enrolment code is kept (the device was enrolled by an
// agent that stores it), and whether `code` (spaces, dashes and case do not
// matter) is that code.
bool has_enrolment_code(Store& store);
bool verify_enrolment_code(Store& store, std::string_view code);

}  // namespace alliance::store
