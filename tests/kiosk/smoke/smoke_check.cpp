// Checks the kiosk smoke test's outcome in the database: the member typed
// into the real window was saved, with its outbox change queued for sync,
// every field as expected, and the staff PIN set at the terminal is stored
// as a hash.
//
// usage: kiosk_smoke_check DB GIVEN_NAME FAMILY_NAME [--staff-pin-set] [FIELD=VALUE]...
// FIELD is a member field (gender, birth_year, phone, email, country, region,
// organisation, organisation_type, role, years_experience, qualification,
// interest_groups as a comma list, e_updates and consent as yes/no).
// Exits 0 when exactly such a member exists with every FIELD=VALUE (and,
// with --staff-pin-set, a staff PIN hash is stored with no lockout), 1
// (saying why) otherwise.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/model/text.hpp"
#include "common/store/store.hpp"

namespace {

std::string number(const std::optional<int>& value) {
  return value ? std::to_string(*value) : std::string();
}

std::optional<std::string> field_of(const alliance::model::Member& m, const std::string& field) {
  if (field == "gender") return m.gender;
  if (field == "birth_year") return number(m.birth_year);
  if (field == "phone") return m.phone;
  if (field == "email") return m.email;
  if (field == "country") return m.country;
  if (field == "region") return m.region;
  if (field == "organisation") return m.organisation;
  if (field == "organisation_type") return m.organisation_type;
  if (field == "role") return m.role;
  if (field == "years_experience") return number(m.years_experience);
  if (field == "qualification") return m.qualification;
  if (field == "e_updates") return std::string(m.e_updates ? "yes" : "no");
  if (field == "consent") return std::string(m.consent.given ? "yes" : "no");
  if (field == "interest_groups") {
    std::string joined;
    for (const auto& code : m.interest_groups) joined += (joined.empty() ? "" : ",") + code;
    return joined;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: kiosk_smoke_check DB GIVEN_NAME FAMILY_NAME [--staff-pin-set] "
                 "[FIELD=VALUE]...\n";
    return 2;
  }
  bool check_pin = false;
  std::vector<std::pair<std::string, std::string>> expected;
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg == "--staff-pin-set") {
      check_pin = true;
    } else if (eq != std::string::npos) {
      expected.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
    } else {
      std::cerr << "kiosk_smoke_check: unknown argument " << arg << "\n";
      return 2;
    }
  }
  const std::string given = argv[2];
  const std::string family = argv[3];
  try {
    auto store = alliance::store::Store::open(argv[1], {.create_if_missing = false});
    int found = 0;
    for (const auto& hit : store.search_members(given + " " + family, 50)) {
      const auto& m = hit.member;
      if (m.given_name != given || m.family_name != family) continue;
      ++found;
      const auto changes = store.changes_for(m.id);
      std::cout << "found member " << m.reference_code << " (" << m.given_name << " "
                << m.family_name << ", " << m.email << ", " << m.country << "), " << changes.size()
                << " outbox change(s)\n";
      if (changes.empty()) {
        std::cerr << "kiosk_smoke_check: the member has no outbox change\n";
        return 1;
      }
      int wrong = 0;
      for (const auto& [field, value] : expected) {
        const auto stored = field_of(m, field);
        if (!stored) {
          std::cerr << "kiosk_smoke_check: no field " << field << "\n";
          return 2;
        }
        if (*stored != value) {
          std::cerr << "kiosk_smoke_check: " << field << " is \"" << *stored << "\", expected \""
                    << value << "\"\n";
          ++wrong;
        }
      }
      if (wrong > 0) return 1;
      std::cout << expected.size() << " field(s) as typed\n";
    }
    if (found != 1) {
      std::cerr << "kiosk_smoke_check: expected 1 member named " << given << " " << family
                << ", found " << found << " (" << store.member_count() << " members in all)\n";
      // What was stored instead tells a dropped key from a wrong field.
      for (const auto& hit : store.search_members(family, 5)) {
        std::cerr << "kiosk_smoke_check: stored instead: \""
                  << alliance::model::escape_for_terminal(hit.member.given_name) << "\" \""
                  << alliance::model::escape_for_terminal(hit.member.family_name) << "\"\n";
      }
      return 1;
    }
    if (check_pin) {
      const auto hash = store.meta("kiosk.staff_pin").value_or("");
      if (!hash.starts_with("pbkdf2-sha256$")) {
        std::cerr << "kiosk_smoke_check: no staff PIN hash in the database\n";
        return 1;
      }
      if (store.meta("kiosk.pin_failures").value_or("0") != "0") {
        std::cerr << "kiosk_smoke_check: wrong PIN tries are counted after set-pin\n";
        return 1;
      }
      std::cout << "staff PIN stored as a PBKDF2 hash\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kiosk_smoke_check: " << e.what() << "\n";
    return 1;
  }
}
