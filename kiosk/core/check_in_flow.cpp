// The controller's check-in flow: a returning participant finds themselves
// and is checked in to today's event once.
#include "kiosk/core/controller.hpp"

#include <algorithm>

#include "kiosk/core/controller_shared.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {

void Controller::check_in_member(const PublicMatch& member) {
  state_.selected_member = member;
  if (!state_.current_event) {
    notify("notice.no_event", true);
    return;
  }
  try {
    auto result = store_.check_in(member.member_id, state_.current_event->id, state_.today);
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

// Public screens: exact facts only, at most one person, shown as PublicMatch.
void Controller::on(const intent::Search& i) {
  if (state_.screen != Screen::check_in && state_.screen != Screen::request_requester) return;
  state_.search_query = i.query;
  state_.search_birth_year = i.birth_year;
  state_.search_match.reset();
  state_.search_outcome = PublicSearchOutcome::nothing_typed;
  try {
    const std::string country = state_.current_event ? state_.current_event->country : "";
    auto found = public_search(store_, i.query, i.birth_year, country);
    state_.search_outcome = found.outcome;
    if (found.member) state_.search_match = public_view(*found.member);
  } catch (const std::exception& e) {
    store_error(e);
  }
  // Nothing of an earlier search stays chosen on screen.
  if (state_.selected_member && (!state_.search_match || state_.search_match->member_id !=
                                                             state_.selected_member->member_id)) {
    state_.selected_member.reset();
  }
  changed();
}

void Controller::on(const intent::SelectMember& i) {
  if (!state_.search_match || state_.search_match->member_id != i.member_id) return;
  if (state_.screen == Screen::check_in) {
    state_.selected_member = state_.search_match;
  } else if (state_.screen == Screen::request_requester) {
    state_.request.for_organisation = false;
    state_.request.member_id = state_.search_match->member_id;
    state_.request.member_name =
        state_.search_match->name + " (…" + state_.search_match->code_end + ")";
    state_.field_errors.erase("member_id");
  }
  changed();
}

void Controller::on(const intent::ConfirmCheckIn&) {
  if (state_.screen != Screen::check_in || !state_.selected_member) return;
  check_in_member(*state_.selected_member);
}

}  // namespace alliance::kiosk
