// The duplicate rule (model::duplicate_reason) and the store's lookup of it.
#include <doctest/doctest.h>

#include "common/model/duplicates.hpp"
#include "common/model/validation.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using model::DuplicateReason;

TEST_CASE("a duplicate shares the phone, the e-mail, or the name within one organisation") {
  auto existing = test::sample_member(1);
  existing.id = "existing";
  auto typed = test::sample_member(2);  // another phone, e-mail and name
  CHECK_FALSE(model::duplicate_reason(typed, existing));

  auto same_phone = typed;
  same_phone.phone = existing.phone;
  CHECK(model::duplicate_reason(same_phone, existing) == DuplicateReason::phone);

  auto same_email = typed;
  same_email.email = existing.email;
  CHECK(model::duplicate_reason(same_email, existing) == DuplicateReason::email);

  // The same name by its search key (case and accents do not matter) ...
  auto same_name = typed;
  same_name.given_name = "JOSE";  // existing: José Wanjiru
  same_name.family_name = existing.family_name;
  CHECK(model::duplicate_reason(same_name, existing) == DuplicateReason::name_and_organisation);
  // ... but only in the same organisation.
  same_name.organisation = "Another Society";
  CHECK_FALSE(model::duplicate_reason(same_name, existing));

  // Never a voided member, never the record itself.
  existing.voided = true;
  CHECK_FALSE(model::duplicate_reason(same_phone, existing));
  existing.voided = false;
  same_phone.id = existing.id;
  CHECK_FALSE(model::duplicate_reason(same_phone, existing));
}

TEST_CASE("the store offers possible duplicates, phone and e-mail matches first, never voided") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto first = s.register_member(test::sample_member(1), test::kenya_context());
  auto second = s.register_member(test::sample_member(2), test::kenya_context());
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());

  auto typed = test::sample_member(3);
  typed.phone = first->member.phone;
  typed.email = second->member.email;
  REQUIRE(model::normalize_and_validate(typed, test::kenya_context()).empty());
  auto found = s.possible_duplicates(typed, "KE");
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == first->member.id);
  CHECK(found[1].id == second->member.id);

  REQUIRE(s.void_member(first->member.id, "test"));
  found = s.possible_duplicates(typed, "KE");
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == second->member.id);
}

TEST_CASE("a registration deletes its form's draft in its own transaction") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  s.save_draft("registration", R"({"given_name":"Amina"})");

  // Invalid: nothing is written and the draft stays for another try.
  auto invalid = test::sample_member(1);
  invalid.consent.given = false;
  CHECK_FALSE(s.register_member(invalid, test::kenya_context(), {}, {}, "registration"));
  CHECK(s.load_draft("registration").has_value());

  // The draft's deletion fails after the member was written: both roll back.
  s.db().exec(
      "CREATE TEMP TRIGGER refuse_draft_delete BEFORE DELETE ON main.drafts "
      "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
  CHECK_THROWS(
      s.register_member(test::sample_member(1), test::kenya_context(), {}, {}, "registration"));
  CHECK(s.load_draft("registration").has_value());
  CHECK(s.member_count() == 0);
  CHECK(s.queue_counts().pending == 0);
  s.db().exec("DROP TRIGGER refuse_draft_delete");

  REQUIRE(s.register_member(test::sample_member(1), test::kenya_context(), {}, {}, "registration"));
  CHECK_FALSE(s.load_draft("registration").has_value());
  CHECK(s.member_count() == 1);
}
