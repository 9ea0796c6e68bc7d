// A kiosk's desk work for the console's browser test, through the kiosk's own
// store (common/store): registers one member and makes a resource request for
// them at OFFICE, each saved with its outbox change as the desk saves them, so
// the real alliance-sync pushes them. Prints the request's id and reference
// code. With --member-only, registers the same person and makes no request
// (a second desk that registered them again: a duplicate for central).
//
// usage: kiosk_request KIOSK_DB OFFICE [--member-only]
#include <iostream>
#include <string>

#include "common/store/store.hpp"
#include "support/fixtures.hpp"

int main(int argc, char** argv) {
  using namespace alliance;
  const bool member_only = argc == 4 && std::string(argv[3]) == "--member-only";
  if (argc != 3 && !member_only) {
    std::cerr << "usage: kiosk_request KIOSK_DB OFFICE [--member-only]\n";
    return 2;
  }
  try {
    auto kiosk = store::Store::open(argv[1]);
    auto registered = kiosk.register_member(test::sample_member(7), test::kenya_context());
    if (!registered) {
      std::cerr << "kiosk_request: the member did not validate\n";
      return 1;
    }
    if (member_only) {
      std::cout << registered->member.id << " " << registered->member.reference_code << "\n";
      return 0;
    }
    model::ResourceRequest draft;
    draft.member_id = registered->member.id;
    draft.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
    draft.delivery = model::DeliveryPreference::pickup;
    draft.office = argv[2];
    auto request = kiosk.create_request(draft, test::kenya_context(), "Desk 1");
    if (!request) {
      std::cerr << "kiosk_request: the request did not validate\n";
      return 1;
    }
    std::cout << request->id << " " << request->reference_code << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "kiosk_request: " << e.what() << "\n";
    return 1;
  }
}
