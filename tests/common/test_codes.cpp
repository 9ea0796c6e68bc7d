// Code lists and their labels, enum names, display names and the request status lifecycle.
#include <doctest/doctest.h>

#include <array>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/model/codes.hpp"
#include "common/model/i18n.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"

using namespace alliance::model;

namespace {

bool all_snake_case(std::span<const std::string_view> list) {
  for (const std::string_view code : list) {
    if (code.empty()) return false;
    for (const char c : code) {
      if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    }
  }
  return true;
}

bool no_duplicates(std::span<const std::string_view> list) {
  return std::set<std::string_view>(list.begin(), list.end()).size() == list.size();
}

}  // namespace

TEST_CASE("code lists hold the agreed codes") {
  CHECK(gender_codes().size() == 4);
  CHECK(organisation_type_codes().size() == 9);
  CHECK(role_codes().size() == 11);
  CHECK(qualification_codes().size() == 8);
  CHECK(interest_group_codes().size() == 10);
  CHECK(language_codes().size() == 4);

  CHECK(is_code_in(gender_codes(), "prefer_not_to_say"));
  CHECK(is_code_in(organisation_type_codes(), "un_agency"));
  CHECK(is_code_in(organisation_type_codes(), "community_based"));
  CHECK(is_code_in(role_codes(), "child_protection_officer"));
  CHECK(is_code_in(role_codes(), "para_professional"));
  CHECK(is_code_in(qualification_codes(), "doctorate"));
  CHECK(is_code_in(qualification_codes(), "none"));
  CHECK(is_code_in(interest_group_codes(), "gender_based_violence"));
  CHECK(is_code_in(interest_group_codes(), "social_protection"));
  for (const std::string_view lang : {"en", "fr", "pt", "es"}) {
    CHECK_MESSAGE(is_code_in(language_codes(), lang), lang);
  }
}

TEST_CASE("code lists are stable snake_case keys without repeats") {
  const std::array lists = {gender_codes(),        organisation_type_codes(), role_codes(),
                            qualification_codes(), interest_group_codes(),    language_codes()};
  for (const auto list : lists) {
    CHECK(all_snake_case(list));
    CHECK(no_duplicates(list));
  }
}

TEST_CASE("code_label: the language's label, else English's, else the code itself") {
  const alliance::util::EmbeddedFile files[] = {
      {"en.json",
       R"({"code.role.social_worker": "Social worker", "code.role.educator": "Educator"})"},
      {"fr.json", R"({"code.role.social_worker": "Travailleur social"})"}};
  const auto tables = I18n::parse(files);
  REQUIRE(tables.has_value());
  CHECK(code_label(*tables, "fr", "role", "social_worker") == "Travailleur social");
  CHECK(code_label(*tables, "fr", "role", "educator") == "Educator");
  CHECK(code_label(*tables, "fr", "role", "astronaut") == "astronaut");
  CHECK(code_label(*tables, "fr", "role", "") == "");
  CHECK(code_label(*tables, "en", "gender", "social_worker") == "social_worker");  // other list

  // The embedded tables label every code of the lists members carry, in each language.
  const auto& embedded = I18n::embedded();
  const std::pair<std::string_view, std::span<const std::string_view>> lists[] = {
      {"role", role_codes()},
      {"organisation_type", organisation_type_codes()},
      {"gender", gender_codes()},
      {"qualification", qualification_codes()},
      {"interest_group", interest_group_codes()},
      {"language", language_codes()}};
  for (const std::string_view language : language_codes()) {
    for (const auto& [list, codes] : lists) {
      for (const std::string_view code : codes) {
        INFO(language << " " << list << " " << code);
        CHECK(code_label(embedded, language, list, code) != code);
      }
    }
  }
  CHECK(code_label(embedded, "fr", "role", "social_worker") == "Travailleur·se social·e");
}

TEST_CASE("is_code_in is exact") {
  CHECK_FALSE(is_code_in(gender_codes(), "Female"));
  CHECK_FALSE(is_code_in(gender_codes(), "female "));
  CHECK_FALSE(is_code_in(gender_codes(), ""));
  CHECK_FALSE(is_code_in(role_codes(), "social"));
  CHECK_FALSE(is_code_in(language_codes(), "de"));
  CHECK_FALSE(is_code_in({}, "female"));
}

TEST_CASE("enum names round-trip") {
  for (const auto v : {MemberKind::individual, MemberKind::organisation}) {
    CHECK(member_kind_from(to_string(v)) == v);
  }
  for (const auto v : {EventKind::training, EventKind::webinar}) {
    CHECK(event_kind_from(to_string(v)) == v);
  }
  for (const auto v : {PackFormat::print, PackFormat::digital}) {
    CHECK(pack_format_from(to_string(v)) == v);
  }
  for (const auto v : {DeliveryPreference::pickup, DeliveryPreference::delivery,
                       DeliveryPreference::digital_link}) {
    CHECK(delivery_from(to_string(v)) == v);
  }
  for (const auto v :
       {RequestStatus::requested, RequestStatus::approved, RequestStatus::ready,
        RequestStatus::dispatched, RequestStatus::delivered, RequestStatus::cancelled}) {
    CHECK(request_status_from(to_string(v)) == v);
  }
}

TEST_CASE("enum names are the snake_case enumerator names") {
  CHECK(to_string(MemberKind::individual) == "individual");
  CHECK(to_string(MemberKind::organisation) == "organisation");
  CHECK(to_string(EventKind::webinar) == "webinar");
  CHECK(to_string(PackFormat::digital) == "digital");
  CHECK(to_string(DeliveryPreference::pickup) == "pickup");
  CHECK(to_string(DeliveryPreference::digital_link) == "digital_link");
  CHECK(to_string(RequestStatus::requested) == "requested");
  CHECK(to_string(RequestStatus::ready) == "ready");
  CHECK(to_string(RequestStatus::dispatched) == "dispatched");
  CHECK(to_string(RequestStatus::cancelled) == "cancelled");
}

TEST_CASE("unknown enum names are rejected") {
  CHECK_FALSE(member_kind_from("Individual").has_value());
  CHECK_FALSE(member_kind_from("").has_value());
  CHECK_FALSE(event_kind_from("seminar").has_value());
  CHECK_FALSE(pack_format_from("ebook").has_value());
  CHECK_FALSE(delivery_from("digital-link").has_value());
  CHECK_FALSE(delivery_from("digital link").has_value());
  CHECK_FALSE(request_status_from("canceled").has_value());
  CHECK_FALSE(request_status_from("ready ").has_value());
}

TEST_CASE("display_name of an individual joins given and family names") {
  Member m;
  m.given_name = "Amina";
  m.family_name = "Okafor";
  m.organisation = "Ministry of Gender";
  CHECK(m.display_name() == "Amina Okafor");

  m.family_name.clear();
  CHECK(m.display_name() == "Amina");
  m.given_name = "  ";
  m.family_name = "Okafor ";
  CHECK(m.display_name() == "Okafor");
}

TEST_CASE("display_name of an organisation is its name") {
  Member m;
  m.kind = MemberKind::organisation;
  m.organisation = "Kenya Association of Social Workers";
  m.contact_person = "Grace Wanjiru";
  CHECK(m.display_name() == "Kenya Association of Social Workers");
}

TEST_CASE("stock_at finds an office's stock or zero") {
  ResourcePack pack;
  pack.stock = {{"Nairobi", 12}, {"Dakar", 0}, {"Maputo", 3}};
  CHECK(pack.stock_at("Nairobi") == 12);
  CHECK(pack.stock_at("Maputo") == 3);
  CHECK(pack.stock_at("Dakar") == 0);
  CHECK(pack.stock_at("Lusaka") == 0);
  CHECK(pack.stock_at("nairobi") == 0);
}

TEST_CASE("status ranks follow the lifecycle") {
  CHECK(status_rank(RequestStatus::requested) < status_rank(RequestStatus::approved));
  CHECK(status_rank(RequestStatus::approved) < status_rank(RequestStatus::ready));
  CHECK(status_rank(RequestStatus::ready) < status_rank(RequestStatus::dispatched));
  CHECK(status_rank(RequestStatus::dispatched) < status_rank(RequestStatus::delivered));
}

TEST_CASE("can_transition moves forward only") {
  struct Case {
    RequestStatus from;
    RequestStatus to;
    bool allowed;
  };
  using S = RequestStatus;
  const Case cases[] = {
      {S::requested, S::approved, true},    {S::requested, S::delivered, true},
      {S::approved, S::ready, true},        {S::ready, S::dispatched, true},
      {S::approved, S::dispatched, true},   {S::dispatched, S::delivered, true},
      {S::requested, S::cancelled, true},   {S::dispatched, S::cancelled, true},
      {S::ready, S::cancelled, true},       {S::approved, S::requested, false},
      {S::delivered, S::dispatched, false}, {S::dispatched, S::ready, false},
      {S::approved, S::approved, false},    {S::delivered, S::cancelled, false},
      {S::cancelled, S::cancelled, false},  {S::cancelled, S::requested, false},
      {S::cancelled, S::delivered, false},
  };
  for (const Case& c : cases) {
    CAPTURE(to_string(c.from));
    CAPTURE(to_string(c.to));
    CHECK(can_transition(c.from, c.to) == c.allowed);
  }
}

TEST_CASE("merge_status lets cancelled win and otherwise the furthest") {
  using S = RequestStatus;
  CHECK(merge_status(S::approved, S::dispatched) == S::dispatched);
  CHECK(merge_status(S::dispatched, S::approved) == S::dispatched);
  CHECK(merge_status(S::ready, S::ready) == S::ready);
  CHECK(merge_status(S::delivered, S::requested) == S::delivered);
  CHECK(merge_status(S::delivered, S::cancelled) == S::cancelled);
  CHECK(merge_status(S::cancelled, S::delivered) == S::cancelled);
  CHECK(merge_status(S::requested, S::cancelled) == S::cancelled);
}
