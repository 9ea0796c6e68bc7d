// The string tables: parsing, fallback and formatting, and that every language
// has every key the kiosk can show (UI labels, validation errors, code labels).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "common/model/codes.hpp"
#include "common/model/i18n.hpp"
#include "common/model/limits.hpp"
#include "common/model/validation.hpp"

namespace {

using alliance::model::I18n;
namespace model = alliance::model;
using alliance::util::EmbeddedFile;

const I18n& tables() {
  return I18n::embedded();
}

std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += "  " + k + "\n";
  return out;
}

// The {n} placeholders a text uses.
std::set<std::string> placeholders(std::string_view text) {
  static const std::regex pattern(R"(\{[0-9]+\})");
  std::set<std::string> out;
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), pattern); it != std::sregex_iterator();
       ++it) {
    out.insert(it->str());
  }
  return out;
}

void collect(std::set<std::string>& keys, const model::FieldErrors& errors) {
  for (const auto& e : errors) keys.insert(e.key);
}

// Every validation key the model can produce, found by validating records
// that are wrong in every way it checks.
std::set<std::string> validation_keys() {
  std::set<std::string> keys;
  const model::ValidationContext context{.default_country = "KE", .current_year = 2026};
  const std::string bad_utf8 = "\xff\xfe";
  const std::string control = "a\x01z";
  const std::string long_text(300, 'a');

  for (const std::string& v : {bad_utf8, control, long_text}) {
    for (const auto kind : {model::MemberKind::individual, model::MemberKind::organisation}) {
      model::Member m;
      m.kind = kind;
      m.given_name = m.family_name = m.contact_person = m.gender = m.country = m.phone = m.email =
          m.region = m.organisation = m.organisation_type = m.role = m.qualification =
              m.preferred_language = m.consent.text_version = m.void_reason = v;
      m.interest_groups = {v};
      collect(keys, model::normalize_and_validate(m, context));
    }
    model::TrainingEvent e;
    e.name = e.place = e.country = e.start_date = e.end_date = e.organiser = e.office = v;
    collect(keys, model::normalize_and_validate(e));
    model::Attendance a;
    a.member_id = a.event_id = a.day = v;
    collect(keys, model::normalize_and_validate(a));
    model::ResourcePack p;
    p.id = p.title = v;
    p.languages = {v};
    collect(keys, model::normalize_and_validate(p));
    model::ResourceRequest r;
    r.member_id = r.organisation_name = r.contact_name = r.contact_phone = r.contact_email =
        r.delivery_address = r.office = r.event_id = v;
    r.lines = {{.pack_id = v, .quantity = 1}};
    collect(keys, model::normalize_and_validate(r, context));
  }

  // Empty records: every required field, for both kinds of member.
  for (const auto kind : {model::MemberKind::individual, model::MemberKind::organisation}) {
    model::Member m;
    m.kind = kind;
    collect(keys, model::normalize_and_validate(m, context));
  }
  {
    model::TrainingEvent e;
    collect(keys, model::normalize_and_validate(e));
    model::Attendance a;
    collect(keys, model::normalize_and_validate(a));
    model::ResourcePack p;
    collect(keys, model::normalize_and_validate(p));
    model::ResourceRequest r;
    r.delivery = model::DeliveryPreference::digital_link;
    collect(keys, model::normalize_and_validate(r, context));
    r.delivery = model::DeliveryPreference::delivery;
    r.lines = {{.pack_id = " ", .quantity = 0}};
    collect(keys, model::normalize_and_validate(r, context));
  }

  // Values of the right shape that are wrong.
  for (const auto kind : {model::MemberKind::individual, model::MemberKind::organisation}) {
    model::Member m;
    m.kind = kind;
    m.given_name = "R2D2";
    m.family_name = "#hash";
    m.contact_person = "@someone";
    m.gender = "unknown";
    m.birth_year = 1800;
    m.country = "ZZ";
    m.phone = "12";
    m.email = "not-an-address";
    collect(keys, model::normalize_and_validate(m, context));
    // Every reason a phone number is refused (phone.hpp).
    m.country = "KE";
    for (const char* phone :
         {"12", "+254 7123 4567 8901 23", "+254 012 345 678", "+999 1234 5678", "call me"}) {
      m.phone = phone;
      collect(keys, model::normalize_and_validate(m, context));
    }
    m.country = "";
    m.phone = "0712 345 678";
    collect(keys, model::normalize_and_validate(m, {.default_country = "", .current_year = 2026}));
    m.organisation_type = m.role = m.qualification = m.preferred_language = "nope";
    m.years_experience = 99;
    m.interest_groups = {"knitting"};
    collect(keys, model::normalize_and_validate(m, context));
  }
  {
    model::TrainingEvent e;
    e.name = "Event";
    e.country = "ZZ";
    e.start_date = "2026-02-30";
    e.end_date = "2026-13-01";
    collect(keys, model::normalize_and_validate(e));
    e.start_date = "2026-03-10";
    e.end_date = "2026-03-01";
    collect(keys, model::normalize_and_validate(e));
    model::Attendance a;
    a.member_id = a.event_id = "x";
    a.day = "yesterday";
    collect(keys, model::normalize_and_validate(a));
    model::ResourcePack p;
    p.id = "has spaces!";
    p.title = "Pack";
    p.languages = {"english"};
    p.stock = {{.office = "Nairobi", .quantity = -1}};
    collect(keys, model::normalize_and_validate(p));
    model::ResourceRequest r;
    r.organisation_name = "Org";
    r.contact_phone = "12";
    r.contact_email = "bad";
    r.office = "Nairobi";
    r.lines = {{.pack_id = "P", .quantity = 5000}};
    collect(keys, model::normalize_and_validate(r, context));
    for (const char* phone :
         {"+254 7123 4567 8901 23", "+254 012 345 678", "+999 1234 5678", "call me"}) {
      r.contact_phone = phone;
      collect(keys, model::normalize_and_validate(r, context));
    }
    r.contact_phone = "0712 345 678";
    collect(keys, model::normalize_and_validate(r, {.default_country = "", .current_year = 2026}));
  }
  return keys;
}

// Keys the controller and store use beyond what validation produces.
const std::vector<std::string> kControllerKeys = {"member.birth_year.invalid",
                                                  "member.years_experience.invalid",
                                                  "request.status.not_allowed",
                                                  "notice.saved",
                                                  "notice.checked_in",
                                                  "notice.already_checked_in",
                                                  "notice.no_event",
                                                  "notice.store_error",
                                                  "notice.pin_wrong",
                                                  "notice.pin_locked",
                                                  "notice.pin_set",
                                                  "notice.pin_too_short",
                                                  "notice.request_saved",
                                                  "notice.request_empty",
                                                  "notice.export_done",
                                                  "notice.export_failed",
                                                  "notice.sync_requested",
                                                  "notice.member_updated",
                                                  "notice.member_voided",
                                                  "notice.event_saved",
                                                  "notice.status_changed",
                                                  "notice.not_allowed",
                                                  "notice.draft_restored",
                                                  "sync.state.idle",
                                                  "sync.state.syncing",
                                                  "sync.state.offline",
                                                  "sync.state.backing_off",
                                                  "sync.state.not_enrolled",
                                                  "sync.state.revoked",
                                                  "sync.state.unknown",
                                                  "consent.text",
                                                  "language.native_name"};

// Literal keys the views pass to their translate helpers (tr / trf).
std::set<std::string> ui_source_keys() {
  const auto ui_dir =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path() /
      "kiosk" / "ui";
  REQUIRE_MESSAGE(std::filesystem::is_directory(ui_dir), ui_dir.string());
  static const std::regex call(R"(\btrf?\(\s*"([^"]+)\")");
  std::set<std::string> keys;
  for (const auto& entry : std::filesystem::directory_iterator(ui_dir)) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string source = buffer.str();
    for (auto it = std::sregex_iterator(source.begin(), source.end(), call);
         it != std::sregex_iterator(); ++it) {
      keys.insert((*it)[1].str());
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("i18n parses flat tables and falls back to English then to the key") {
  const EmbeddedFile files[] = {
      {"en.json", R"({"hello": "Hello {0}", "bye": "Bye", "pair": "{1} and {0}"})"},
      {"fr.json", R"({"hello": "Bonjour {0}"})"},
  };
  auto parsed = I18n::parse(files);
  REQUIRE(parsed.has_value());
  const I18n& t = *parsed;
  CHECK(t.text("fr", "hello") == "Bonjour {0}");
  CHECK(t.text("fr", "bye") == "Bye");
  CHECK(t.text("pt", "bye") == "Bye");
  CHECK(t.text("fr", "no.such.key") == "no.such.key");
  CHECK(t.format("fr", "hello", {"Amina"}) == "Bonjour Amina");
  CHECK(t.format("en", "pair", {"a", "b"}) == "b and a");
  CHECK(t.format("en", "hello", {}) == "Hello {0}");  // a missing argument stays visible
  CHECK(t.has("fr", "hello"));
  CHECK_FALSE(t.has("fr", "bye"));
  CHECK(t.languages() == std::vector<std::string>{"en", "fr"});
  CHECK(t.missing_keys("fr") == std::vector<std::string>{"bye", "pair"});
}

TEST_CASE("i18n rejects malformed tables with the file name in the error") {
  const EmbeddedFile not_json[] = {{"en.json", "{\"a\": "}};
  auto a = I18n::parse(not_json);
  REQUIRE_FALSE(a.has_value());
  CHECK(a.error().find("en.json") != std::string::npos);

  const EmbeddedFile not_flat[] = {{"fr.json", R"({"a": {"b": "c"}})"}};
  auto b = I18n::parse(not_flat);
  REQUIRE_FALSE(b.has_value());
  CHECK(b.error().find("\"a\"") != std::string::npos);

  const EmbeddedFile not_object[] = {{"es.json", "[1, 2]"}};
  CHECK_FALSE(I18n::parse(not_object).has_value());

  const EmbeddedFile bad_name[] = {{"readme.txt", "{}"}};
  CHECK_FALSE(I18n::parse(bad_name).has_value());
}

TEST_CASE("the embedded tables are English French Portuguese and Spanish") {
  CHECK(tables().languages() == std::vector<std::string>{"en", "es", "fr", "pt"});
  for (const std::string_view code : model::language_codes()) {
    CHECK(tables().has(code, "language.native_name"));
  }
}

TEST_CASE("every language has every English key and no others") {
  const I18n& t = tables();
  const auto english = t.keys("en");
  const std::set<std::string> english_set(english.begin(), english.end());
  for (const auto& lang : t.languages()) {
    const auto missing = t.missing_keys(lang);
    if (!missing.empty()) std::cerr << lang << " lacks:\n" << joined(missing);
    CHECK_MESSAGE(missing.empty(), lang << " lacks " << missing.size() << " keys");
    std::vector<std::string> extra;
    for (const auto& key : t.keys(lang)) {
      if (!english_set.contains(key)) extra.push_back(key);
    }
    if (!extra.empty()) std::cerr << lang << " has keys English lacks:\n" << joined(extra);
    CHECK_MESSAGE(extra.empty(), lang << " has " << extra.size() << " extra keys");
  }
}

TEST_CASE("translations keep every placeholder of the English text") {
  const I18n& t = tables();
  for (const auto& key : t.keys("en")) {
    const auto wanted = placeholders(t.text("en", key));
    for (const auto& lang : t.languages()) {
      const auto got = placeholders(t.text(lang, key));
      for (const auto& p : wanted) {
        CHECK_MESSAGE(got.contains(p), lang << " " << key << " lacks " << p);
      }
    }
  }
}

TEST_CASE("every validation error key has a text") {
  const auto keys = validation_keys();
  CHECK(keys.size() > 100);  // the records above really exercise the rules
  for (const auto& key : keys) CHECK_MESSAGE(tables().has("en", key), key);
  for (const auto& key : kControllerKeys) CHECK_MESSAGE(tables().has("en", key), key);
}

// The keys the field limits can produce (model/limits.hpp): every bounded
// text can be too long, unreadable or hold hidden characters, every list can
// have too many items, and an id can be malformed.
std::set<std::string> limit_keys() {
  std::set<std::string> keys;
  for (const model::FieldLimit& l : model::field_limits()) {
    if (l.message != "member" && l.message != "event" && l.message != "attendance" &&
        l.message != "pack" && l.message != "request") {
      continue;  // wire-only fields: the codec's errors, never shown to staff
    }
    if (l.max_items > 0) keys.insert(model::limit_key(l, "too_many"));
    if (l.max_length == 0) continue;
    for (const char* problem : {"too_long", "control_characters", "invalid_utf8"}) {
      keys.insert(model::limit_key(l, problem));
    }
    if (l.shape == model::FieldShape::id && l.field.find('[') == std::string_view::npos) {
      keys.insert(model::limit_key(l, "invalid"));
    }
  }
  return keys;
}

TEST_CASE("every key a field limit can produce has a text in every language") {
  const auto keys = limit_keys();
  CHECK(keys.size() > 150);
  for (const auto& key : keys) {
    for (const auto& lang : tables().languages()) {
      CHECK_MESSAGE(tables().has(lang, key), lang << " " << key);
    }
  }
}

TEST_CASE("every code in every code list has a label") {
  const std::pair<const char*, std::span<const std::string_view>> lists[] = {
      {"gender", model::gender_codes()},
      {"organisation_type", model::organisation_type_codes()},
      {"role", model::role_codes()},
      {"qualification", model::qualification_codes()},
      {"interest_group", model::interest_group_codes()},
      {"language", model::language_codes()},
  };
  for (const auto& [list, codes] : lists) {
    for (const auto code : codes) {
      const std::string key = std::string("code.") + list + "." + std::string(code);
      CHECK_MESSAGE(tables().has("en", key), key);
    }
  }
  const auto check = [](const char* list, std::string_view code) {
    const std::string key = std::string("code.") + list + "." + std::string(code);
    CHECK_MESSAGE(tables().has("en", key), key);
  };
  for (const auto v : {model::DeliveryPreference::pickup, model::DeliveryPreference::delivery,
                       model::DeliveryPreference::digital_link}) {
    check("delivery", model::to_string(v));
    const std::string next = "request.done.next." + std::string(model::to_string(v));
    CHECK_MESSAGE(tables().has("en", next), next);
  }
  for (const auto v : {model::RequestStatus::requested, model::RequestStatus::approved,
                       model::RequestStatus::ready, model::RequestStatus::dispatched,
                       model::RequestStatus::delivered, model::RequestStatus::cancelled}) {
    check("request_status", model::to_string(v));
  }
  for (const auto v : {model::PackFormat::print, model::PackFormat::digital}) {
    check("pack_format", model::to_string(v));
  }
  for (const auto v : {model::MemberKind::individual, model::MemberKind::organisation}) {
    check("member_kind", model::to_string(v));
  }
  for (const auto v : {model::EventKind::training, model::EventKind::webinar}) {
    check("event_kind", model::to_string(v));
  }
}

TEST_CASE("every key the views use exists") {
  const auto keys = ui_source_keys();
  CHECK(keys.size() > 50);
  for (const auto& key : keys) CHECK_MESSAGE(tables().has("en", key), key);
}

TEST_CASE("the consent text says what is kept and how to withdraw in every language") {
  const I18n& t = tables();
  for (const auto& lang : t.languages()) {
    const auto text = t.text(lang, "consent.text");
    CHECK(text.find("2026-01") != std::string_view::npos);
    CHECK(text.size() > 600);
  }
}

TEST_CASE("a table marked right to left says so and its marker is not a text key") {
  const EmbeddedFile files[] = {
      {"en.json", R"({"hello": "Hello"})"},
      {"ar.json", R"({"_direction": "rtl", "hello": "مرحبا"})"},
      {"fr.json", R"({"_direction": "ltr", "hello": "Bonjour"})"},
  };
  auto parsed = I18n::parse(files);
  REQUIRE(parsed.has_value());
  CHECK(parsed->right_to_left("ar"));
  CHECK_FALSE(parsed->right_to_left("fr"));
  CHECK_FALSE(parsed->right_to_left("en"));
  CHECK_FALSE(parsed->right_to_left("xx"));  // an unknown language is left to right
  CHECK(parsed->keys("ar") == std::vector<std::string>{"hello"});
  CHECK(parsed->missing_keys("ar").empty());
  for (const auto& lang : tables().languages()) CHECK_FALSE(tables().right_to_left(lang));
}
