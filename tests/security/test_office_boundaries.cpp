// A device acts for its own office only: a device of office B trying to write,
// void, re-status or read through conflicts office A's records is refused per
// change ("forbidden"), nothing changes centrally and no answer carries A's
// data. Request statuses: a desk creates, cancels and delivers; approvals are
// central's, and the actor of every new transition is the server's identity.
#include <doctest/doctest.h>

#include <filesystem>

#include "common/model/codes.hpp"
#include "common/store/store.hpp"
#include "harness.hpp"
#include "hostile_device.hpp"

using namespace alliance;
using protocol::Operation;
using protocol::Outcome;

namespace {

// Office A's records, made by its own desk.
struct OfficeA {
  model::Member member = test::member_with_id(1);
  model::TrainingEvent event;
  model::Attendance attendance;
  model::ResourceRequest request;

  explicit OfficeA(test::TestServer& server, test::Desk& desk) {
    event = test::sample_event();
    event.id = util::new_uuid_v7();
    event.office = "Nairobi";
    attendance = {.id = util::new_uuid_v7(),
                  .member_id = member.id,
                  .event_id = event.id,
                  .day = "2026-11-28"};
    request = test::request_for("Nairobi", member.id);
    for (const protocol::Record& record :
         std::vector<protocol::Record>{protocol::Record(member), protocol::Record(event),
                                       protocol::Record(attendance), protocol::Record(request)}) {
      const auto result = test::push_one(server, desk, test::change_of(record, desk.next_hlc()));
      REQUIRE_MESSAGE(result.outcome == Outcome::applied, result.code, " ", result.message);
    }
  }

  // What must never reach another office's device.
  std::vector<std::string> secrets() const {
    return {member.given_name, member.family_name, member.phone, member.email, request.id};
  }
};

void check_no_secret(const std::string& body, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    CHECK_MESSAGE(body.find(secret) == std::string::npos, "an answer carries " << secret);
  }
}

}  // namespace

TEST_CASE("a device of office B cannot create into, update, void or re-status office A's records") {
  test::TestServer server;
  auto a = test::enroll_desk(server, "Nairobi");
  auto b = test::enroll_desk(server, "Accra");
  const OfficeA office_a(server, a);
  const auto before = test::central_snapshot(server.store());
  // The request id is known to the attacker in these attacks; only personal data must not leak.
  auto secrets = office_a.secrets();
  secrets.pop_back();

  std::vector<std::pair<std::string, protocol::Change>> attacks;
  {
    auto m = office_a.member;
    m.region = "Taken over";
    attacks.emplace_back("update a member",
                         test::change_of(m, b.next_hlc(), {"region"}, Operation::update));
    // An old clock: before, the losing change came back with the whole record.
    attacks.emplace_back(
        "read through a conflict",
        test::change_of(m, test::hlc_at(1000, b.node), {"region", "email"}, Operation::update));
    auto voided = office_a.member;
    voided.voided = true;
    voided.void_reason = "spam";
    attacks.emplace_back(
        "void a member",
        test::change_of(voided, b.next_hlc(), {"voided", "void_reason"}, Operation::void_record));
    auto created = test::sample_member(9);
    created.id = office_a.member.id;
    attacks.emplace_back("create over a member's id", test::change_of(created, b.next_hlc()));
  }
  {
    model::Attendance fresh{.id = util::new_uuid_v7(),
                            .member_id = office_a.member.id,
                            .event_id = office_a.event.id,
                            .day = "2026-11-29"};
    attacks.emplace_back("check another office's member in", test::change_of(fresh, b.next_hlc()));
    auto voided = office_a.attendance;
    voided.voided = true;
    attacks.emplace_back("void an attendance",
                         test::change_of(voided, b.next_hlc(), {"voided"}, Operation::void_record));
  }
  {
    auto cancelled = office_a.request;
    cancelled.status = model::RequestStatus::cancelled;
    cancelled.transitions.push_back({.status = model::RequestStatus::cancelled,
                                     .actor = "desk",
                                     .at = "2026-11-29T10:00:00.000Z"});
    attacks.emplace_back(
        "cancel a request",
        test::change_of(cancelled, b.next_hlc(), {"status", "transitions"}, Operation::transition));
    auto approved = cancelled;
    approved.status = model::RequestStatus::approved;
    approved.transitions.back().status = model::RequestStatus::approved;
    attacks.emplace_back(
        "approve a request",
        test::change_of(approved, b.next_hlc(), {"status", "transitions"}, Operation::transition));
    auto edited = office_a.request;
    edited.contact_name = "Someone Else";
    attacks.emplace_back("edit a request", test::change_of(edited, b.next_hlc(), {"contact_name"},
                                                           Operation::update));
    attacks.emplace_back(
        "route a new request to office A",
        test::change_of(test::request_for("Nairobi", util::new_uuid_v7()), b.next_hlc()));
    attacks.emplace_back(
        "request for office A's member",
        test::change_of(test::request_for("Accra", office_a.member.id), b.next_hlc()));
  }
  {
    auto renamed = office_a.event;
    renamed.name = "Cancelled - go home";
    attacks.emplace_back("rename an event",
                         test::change_of(renamed, b.next_hlc(), {"name"}, Operation::update));
    auto fake = test::sample_event();
    fake.id = util::new_uuid_v7();
    fake.office = "Nairobi";
    attacks.emplace_back("create an event for office A", test::change_of(fake, b.next_hlc()));
    auto over = office_a.event;
    over.office = "Accra";
    attacks.emplace_back("take an event over", test::change_of(over, b.next_hlc()));
  }

  for (const auto& [what, change] : attacks) {
    CAPTURE(what);
    const auto pushed = test::push_raw(server, b, {change});
    const auto& result = pushed.response.results.front();
    CHECK(result.outcome == Outcome::rejected);
    CHECK(result.code == "forbidden");
    CHECK_FALSE(result.message.empty());
    CHECK_FALSE(result.server_record.has_value());
    CHECK(result.errors.empty());
    check_no_secret(pushed.body, secrets);
  }
  // Nothing changed centrally, and nothing of office A reaches B by pull.
  CHECK(test::central_snapshot(server.store()) == before);
  auto res =
      server.client()->Get("/v1/sync/pull?cursor=0&limit=1000", test::bearer(b.enrolled.token));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  check_no_secret(res->body, office_a.secrets());
  const auto page = protocol::decode_pull_response(res->body);
  REQUIRE(page);
  for (const auto& c : page->changes) CHECK(c.entity == protocol::Entity::event);

  // B's own event: its office is B's, filled in when left empty.
  auto own = test::sample_event();
  own.id = util::new_uuid_v7();
  own.office = "";
  CHECK(test::push_one(server, b, test::change_of(own, b.next_hlc())).outcome == Outcome::applied);
  const auto events = server.store().list(protocol::Entity::event);
  CHECK(std::any_of(events.begin(), events.end(), [&](const protocol::Record& r) {
    const auto& e = std::get<model::TrainingEvent>(r);
    return e.id == own.id && e.office == "Accra";
  }));
  // ...and it cannot be moved to office A afterwards.
  own.office = "Nairobi";
  CHECK(test::push_one(server, b, test::change_of(own, b.next_hlc(), {"office"}, Operation::update))
            .code == "forbidden");
  // The catalogue stays the server's.
  model::ResourcePack pack{.id = "CP-FAKE", .title = "Fake", .languages = {"en"}};
  CHECK(test::push_one(server, b, test::change_of(pack, b.next_hlc())).code == "read_only_entity");
}

TEST_CASE("conflict answers, and replays of them, carry only records the device may pull") {
  test::TestServer server;
  auto a = test::enroll_desk(server, "Nairobi");
  auto a2 = test::enroll_desk(server, "Nairobi");
  auto b = test::enroll_desk(server, "Accra");
  const OfficeA office_a(server, a);
  auto newer = office_a.member;
  newer.region = "Kisumu";
  REQUIRE(
      test::push_one(server, a, test::change_of(newer, a.next_hlc(), {"region"}, Operation::update))
          .outcome == Outcome::applied);
  // A second desk of office A loses a field: it gets the merged record back.
  auto older = office_a.member;
  older.region = "Nakuru";
  const auto losing =
      test::change_of(older, test::hlc_at(1000, a2.node), {"region"}, Operation::update);
  const auto conflict = test::push_one(server, a2, losing);
  CHECK(conflict.outcome == Outcome::conflict);
  REQUIRE(conflict.server_record.has_value());
  CHECK(std::get<model::Member>(*conflict.server_record).region == "Kisumu");
  // Its own replay still does.
  const auto again = test::push_one(server, a2, losing);
  CHECK(again.outcome == Outcome::duplicate);
  CHECK(again.server_record.has_value());
  // The same change replayed by office B's device: the outcome, never the record.
  const auto replayed = test::push_raw(server, b, {losing});
  CHECK(replayed.response.results.front().outcome == Outcome::duplicate);
  CHECK_FALSE(replayed.response.results.front().server_record.has_value());
  check_no_secret(replayed.body, office_a.secrets());
}

TEST_CASE(
    "a desk creates, cancels and delivers requests, approvals are central's, and the actor is "
    "the server's") {
  test::TestServer server;
  auto a = test::enroll_desk(server, "Nairobi");
  std::string name;
  for (const auto& d : server.store().list_devices()) {
    if (d.id == a.enrolled.device_id) name = d.name;
  }
  REQUIRE_FALSE(name.empty());
  const std::string identity = "device:" + a.enrolled.device_id + " (" + name + ")";
  const auto held = [&](const std::string& id) {
    for (const auto& r : server.store().list(protocol::Entity::request)) {
      if (std::get<model::ResourceRequest>(r).id == id) return std::get<model::ResourceRequest>(r);
    }
    FAIL("no request " << id);
    return model::ResourceRequest{};
  };

  auto request = test::request_for("Nairobi", util::new_uuid_v7());
  request.transitions.front().actor = "Director General";
  REQUIRE(test::push_one(server, a, test::change_of(request, a.next_hlc())).outcome ==
          Outcome::applied);
  REQUIRE(held(request.id).transitions.size() == 1);
  CHECK(held(request.id).transitions[0].actor == identity);

  // Approving, preparing and dispatching are decisions made centrally.
  for (const auto status : {model::RequestStatus::approved, model::RequestStatus::ready,
                            model::RequestStatus::dispatched}) {
    CAPTURE(model::to_string(status));
    auto moved = request;
    moved.status = status;
    moved.transitions.push_back(
        {.status = status, .actor = "desk", .at = "2026-11-29T10:00:00.000Z"});
    const auto result = test::push_one(
        server, a,
        test::change_of(moved, a.next_hlc(), {"status", "transitions"}, Operation::transition));
    CHECK(result.outcome == Outcome::rejected);
    CHECK(result.code == "forbidden_transition");
    CHECK(held(request.id).status == model::RequestStatus::requested);
  }
  // Nor can a decision be slipped into the history alone.
  {
    auto sneaky = request;
    sneaky.transitions.push_back({.status = model::RequestStatus::approved,
                                  .actor = "Regional office",
                                  .at = "2026-11-29T09:00:00.000Z"});
    CHECK(test::push_one(server, a,
                         test::change_of(sneaky, a.next_hlc(), {"transitions"}, Operation::update))
              .code == "forbidden_transition");
    CHECK(held(request.id).transitions.size() == 1);
  }
  // A new request starts as requested.
  {
    auto delivered_at_once = test::request_for("Nairobi", util::new_uuid_v7());
    delivered_at_once.status = model::RequestStatus::delivered;
    CHECK(test::push_one(server, a, test::change_of(delivered_at_once, a.next_hlc())).code ==
          "forbidden_transition");
  }

  // Cancelling is the desk's; history it echoes back stays as the server holds it.
  {
    auto cancelled = request;
    cancelled.status = model::RequestStatus::cancelled;
    cancelled.transitions.front().actor = "Someone Else";
    cancelled.transitions.push_back({.status = model::RequestStatus::cancelled,
                                     .actor = "Mallory",
                                     .at = "2026-11-29T11:00:00.000Z"});
    CHECK(test::push_one(server, a,
                         test::change_of(cancelled, a.next_hlc(), {"status", "transitions"},
                                         Operation::transition))
              .outcome == Outcome::applied);
    const auto after = held(request.id);
    CHECK(after.status == model::RequestStatus::cancelled);
    REQUIRE(after.transitions.size() == 2);
    CHECK(after.transitions[0].actor == identity);
    CHECK(after.transitions[1].actor == identity);
  }

  // Central approves (as the admin command does); the desk then hands the packs out.
  auto second = test::request_for("Nairobi", util::new_uuid_v7());
  REQUIRE(test::push_one(server, a, test::change_of(second, a.next_hlc())).outcome ==
          Outcome::applied);
  auto approved = server.store().set_request_status(second.id, model::RequestStatus::approved,
                                                    "admin:regional");
  REQUIRE(approved);
  auto delivered = *approved;
  delivered.status = model::RequestStatus::delivered;
  delivered.received_by = "Amina W.";
  delivered.transitions[1].actor = "desk says it was approved by me";
  delivered.transitions.push_back({.status = model::RequestStatus::delivered,
                                   .actor = "Desk 2",
                                   .at = "2026-11-29T12:00:00.000Z"});
  CHECK(test::push_one(
            server, a,
            test::change_of(delivered, a.next_hlc(), {"status", "transitions", "received_by"},
                            Operation::transition))
            .outcome == Outcome::applied);
  const auto after = held(second.id);
  CHECK(after.status == model::RequestStatus::delivered);
  CHECK(after.received_by == "Amina W.");
  REQUIRE(after.transitions.size() == 3);
  const auto actor_of = [&](model::RequestStatus status) {
    for (const auto& t : after.transitions) {
      if (t.status == status) return t.actor;
    }
    return std::string("(none)");
  };
  CHECK(actor_of(model::RequestStatus::requested) == identity);
  CHECK(actor_of(model::RequestStatus::approved) == "admin:regional");
  CHECK(actor_of(model::RequestStatus::delivered) == identity);
}

TEST_CASE("the real agent of office B pushing a change to office A's member gets it refused") {
  test::keep_traffic_local();
  test::TestServer server;
  auto a = test::enroll_desk(server, "Nairobi");
  const OfficeA office_a(server, a);
  const auto before = test::central_snapshot(server.store());

  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  const auto code = server.store().create_enrolment_code("Accra", std::chrono::hours(1));
  auto enrolled = test::run_process(
      test::sync_args("enroll", db, {"--server", test::local_url(server), "--code", code}),
      dir.path(), std::chrono::seconds(30));
  REQUIRE_MESSAGE(enrolled.exit_code == 0, enrolled.err);

  // A registration at B's kiosk whose outbox change is rewritten to A's member id.
  const auto ids = test::register_members(kiosk, 1, 500);
  {
    auto& kdb = kiosk.db();
    store::Transaction tx(kdb);
    kdb.query("UPDATE outbox SET entity_id = ?1, payload = replace(payload, ?2, ?1)")
        .bind_all(office_a.member.id, ids.front())
        .run();
    tx.commit();
  }
  auto once = test::run_process(test::sync_args("once", db), dir.path());
  INFO(once.out);
  INFO(once.err);
  CHECK(kiosk.queue_counts().pending == 0);
  const auto rejected = kiosk.rejected_changes();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected.front().reject_code == "forbidden");
  CHECK(test::central_snapshot(server.store()) == before);
  // The kiosk pulled nothing of office A.
  CHECK_FALSE(kiosk.find_request(office_a.request.id).has_value());
}
