// Store: applying pulled changes, the pull cursor, agent status and "sync now".
#include <charconv>
#include <chrono>
#include <variant>

#include "common/store/store.hpp"
#include "common/util/time.hpp"

namespace alliance::store {
namespace {

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

std::int64_t to_int64(const std::string& s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

void Store::apply_pulled(const std::vector<protocol::PulledChange>& changes,
                         std::int64_t next_cursor) {
  Transaction tx(db_);
  restore_clock();  // observe() bounds remote clocks by the newest time we know
  for (const auto& change : changes) {
    observe_remote(change.hlc);
    if (has_pending_change(change.entity_id)) continue;
    std::visit(
        [&](const auto& record) {
          using T = std::decay_t<decltype(record)>;
          if constexpr (std::is_same_v<T, model::Member>) {
            write_member(record, /*insert=*/!find_member(record.id), "pulled");
          } else if constexpr (std::is_same_v<T, model::TrainingEvent>) {
            write_event(record, "pulled");
          } else if constexpr (std::is_same_v<T, model::Attendance>) {
            // The same person checked in on two devices the same day: keep
            // the row we have; the server holds both ids and they agree.
            auto existing = find_attendance(record.member_id, record.event_id, record.day);
            if (!existing || existing->id == record.id) write_attendance(record, "pulled");
          } else if constexpr (std::is_same_v<T, model::ResourcePack>) {
            write_pack(record);
          } else if constexpr (std::is_same_v<T, model::ResourceRequest>) {
            write_request(record, "pulled");
          }
        },
        change.record);
  }
  restore_clock();
  set_meta("hlc", clock_.last().to_string());
  db_.query(
         "INSERT INTO sync_state (key, value) VALUES ('pull_cursor', ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(std::to_string(next_cursor))
      .run();
  tx.commit();
}

std::int64_t Store::pull_cursor() {
  auto q = db_.query("SELECT value FROM sync_state WHERE key = 'pull_cursor'");
  return q.step() ? to_int64(q.text(0)) : 0;
}

SyncStatus Store::sync_status() {
  SyncStatus s;
  auto q = db_.query("SELECT key, value FROM sync_state");
  while (q.step()) {
    const std::string key = q.text(0);
    std::string value = q.text(1);
    if (key == "state")
      s.state = std::move(value);
    else if (key == "server_url")
      s.server_url = std::move(value);
    else if (key == "last_attempt_at")
      s.last_attempt_at = std::move(value);
    else if (key == "last_success_at")
      s.last_success_at = std::move(value);
    else if (key == "last_error")
      s.last_error = std::move(value);
    else if (key == "next_retry_at")
      s.next_retry_at = std::move(value);
    else if (key == "last_pushed")
      s.last_pushed = to_int64(value);
    else if (key == "last_pulled")
      s.last_pulled = to_int64(value);
    else if (key == "clock_offset_ms" && !value.empty())
      s.clock_offset_ms = to_int64(value);
    else if (key == "written_at")
      s.written_at = std::move(value);
  }
  return s;
}

void Store::write_sync_status(const SyncStatus& s) {
  Transaction tx(db_);
  const std::pair<std::string_view, std::string> rows[] = {
      {"state", s.state},
      {"server_url", s.server_url},
      {"last_attempt_at", s.last_attempt_at},
      {"last_success_at", s.last_success_at},
      {"last_error", s.last_error},
      {"next_retry_at", s.next_retry_at},
      {"last_pushed", std::to_string(s.last_pushed)},
      {"last_pulled", std::to_string(s.last_pulled)},
      {"clock_offset_ms", s.clock_offset_ms ? std::to_string(*s.clock_offset_ms) : ""},
      {"written_at", now_iso()},
  };
  for (const auto& [key, value] : rows) {
    db_.query(
           "INSERT INTO sync_state (key, value) VALUES (?, ?) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind_all(key, value)
        .run();
  }
  tx.commit();
}

void Store::note_agent_alive() {
  db_.query(
         "INSERT INTO sync_state (key, value) VALUES ('written_at', ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(now_iso())
      .run();
}

bool agent_silent(const SyncStatus& status, std::chrono::system_clock::time_point now) {
  // ISO-8601 UTC stamps of one shape order as text.
  return status.written_at.empty() ||
         status.written_at < util::iso8601_utc(now - kAgentSilentAfter);
}

std::string Store::sync_value(std::string_view key) {
  auto q = db_.query("SELECT value FROM sync_state WHERE key = ?");
  q.bind_all(key);
  return q.step() ? q.text(0) : std::string();
}

std::int64_t Store::sync_number(std::string_view key) {
  return to_int64(sync_value(key));
}

void Store::set_sync_value(std::string_view key, std::string_view value) {
  db_.query(
         "INSERT INTO sync_state (key, value) VALUES (?, ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(key, value)
      .run();
}

namespace {

// The UTC day ("2026-11-30") and month ("2026-11") of `now`.
std::pair<std::string, std::string> utc_day_and_month(std::chrono::system_clock::time_point now) {
  std::string day = util::iso8601_utc(now).substr(0, 10);
  std::string month = day.substr(0, 7);
  return {std::move(day), std::move(month)};
}

std::uint64_t to_uint64(const std::string& s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

DataUse Store::data_use(std::chrono::system_clock::time_point now) {
  const auto [day, month] = utc_day_and_month(now);
  DataUse use{.day = day, .month = month};
  if (sync_value("data_day") == day) use.today = to_uint64(sync_value("data_day_bytes"));
  if (sync_value("data_month") == month) use.this_month = to_uint64(sync_value("data_month_bytes"));
  use.daily_budget = to_uint64(sync_value("data_daily_budget"));
  return use;
}

void Store::add_data_use(std::uint64_t bytes, std::chrono::system_clock::time_point now) {
  if (bytes == 0) return;
  Transaction tx(db_);
  const DataUse use = data_use(now);
  set_sync_value("data_day", use.day);
  set_sync_value("data_day_bytes", std::to_string(use.today + bytes));
  set_sync_value("data_month", use.month);
  set_sync_value("data_month_bytes", std::to_string(use.this_month + bytes));
  tx.commit();
}

void Store::set_daily_budget(std::uint64_t bytes) {
  set_sync_value("data_daily_budget", std::to_string(bytes));
}

void Store::request_sync() {
  Transaction tx(db_);
  db_.query("INSERT INTO sync_requests (requested_at) VALUES (?)").bind_all(now_iso()).run();
  tx.commit();
}

bool Store::take_sync_request() {
  Transaction tx(db_);
  db_.query("UPDATE sync_requests SET handled_at = ? WHERE handled_at = ''")
      .bind_all(now_iso())
      .run();
  const bool any = db_.changes() > 0;
  tx.commit();
  return any;
}

}  // namespace alliance::store
