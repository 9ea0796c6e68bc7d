// Checks the kiosk smoke test's outcome in the database: the member typed
// into the real window was saved, with its outbox change queued for sync, and
// the staff PIN set at the terminal is stored as a hash.
//
// usage: kiosk_smoke_check DB GIVEN_NAME FAMILY_NAME [--staff-pin-set]
// Exits 0 when exactly such a member exists (and, with --staff-pin-set, a
// staff PIN hash is stored with no lockout), 1 (saying why) otherwise.
#include <iostream>
#include <string>

#include "common/store/store.hpp"

int main(int argc, char** argv) {
  const bool check_pin = argc == 5 && std::string(argv[4]) == "--staff-pin-set";
  if (argc != 4 && !check_pin) {
    std::cerr << "usage: kiosk_smoke_check DB GIVEN_NAME FAMILY_NAME [--staff-pin-set]\n";
    return 2;
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
    }
    if (found != 1) {
      std::cerr << "kiosk_smoke_check: expected 1 member named " << given << " " << family
                << ", found " << found << " (" << store.member_count() << " members in all)\n";
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
