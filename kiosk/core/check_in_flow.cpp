// The controller's check-in flow: a returning participant finds themselves
// and is checked in to today's event once.
#include "kiosk/core/controller.hpp"

#include <algorithm>

#include "kiosk/core/controller_shared.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {

void Controller::check_in_member(const model::Member& member) {
  state_.selected_member = member;
  if (!state_.current_event) {
    notify("notice.no_event", true);
    return;
  }
  try {
    auto result = store_.check_in(member.id, state_.current_event->id, state_.today);
    if (!result) {
      notify(result.error().front().key, true);
      return;
    }
    state_.already_checked_in = result->already_checked_in;
    go(Screen::check_in_done);
    notify(result->already_checked_in ? "notice.already_checked_in" : "notice.checked_in", false);
  } catch (const std::exception& e) {
    store_error(e);
  }
}

void Controller::on(const intent::StartCheckIn&) {
  clear_public_state();
  go(Screen::check_in);
  if (!state_.current_event) notify("notice.no_event", true);
}

void Controller::on(const intent::Search& i) {
  if (state_.screen != Screen::check_in && state_.screen != Screen::request_requester) return;
  state_.search_query = i.query;
  try {
    const std::string country = state_.current_event ? state_.current_event->country : "";
    state_.search_results = staff_search(store_, i.query, country);
  } catch (const std::exception& e) {
    store_error(e);
  }
  changed();
}

void Controller::on(const intent::SelectMember& i) {
  const auto it =
      std::find_if(state_.search_results.begin(), state_.search_results.end(),
                   [&](const store::MemberHit& h) { return h.member.id == i.member_id; });
  if (it == state_.search_results.end()) return;
  if (state_.screen == Screen::check_in) {
    state_.selected_member = it->member;
  } else if (state_.screen == Screen::request_requester) {
    state_.request.for_organisation = false;
    state_.request.member_id = it->member.id;
    state_.request.member_name = it->member.display_name();
    state_.field_errors.erase("member_id");
  }
  changed();
}

void Controller::on(const intent::ConfirmCheckIn&) {
  if (state_.screen != Screen::check_in || !state_.selected_member) return;
  check_in_member(*state_.selected_member);
}

}  // namespace alliance::kiosk
