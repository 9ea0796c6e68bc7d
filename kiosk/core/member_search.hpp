// The desk's member search, shared by check-in, the request form and
// `alliance-kiosk find`, and the terminal's view of its results.
#pragma once

#include <cstddef>
#include <ostream>
#include <string_view>
#include <vector>

#include "common/store/store.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::kiosk {

// How many people a search shows at the desk.
inline constexpr std::size_t kStaffSearchLimit = 20;

// Members matching what staff typed (reference code, phone, e-mail or name:
// store::Store::search_members), best first, at most kStaffSearchLimit.
// event_country reads a national phone number (the current event's country).
// Throws StoreError when the database fails.
std::vector<store::MemberHit> staff_search(store::Store& store, std::string_view query,
                                           std::string_view event_country);

// What a public screen may show of m: the given name (an organisation
// member: its name) and the last kPublicCodeEnd symbols of its reference code.
PublicMatch public_view(const model::Member& m);

struct PublicSearchResult {
  PublicSearchOutcome outcome = PublicSearchOutcome::nothing_typed;
  std::optional<model::Member> member;  // when found; for the controller, not the screen
};

// The search of the public Check-in and Request screens, where anyone may be
// standing: a participant finds only themselves. query must be a whole
// reference code (util::normalize_reference_code), a whole phone number
// (model::normalize_phone with event_country, compared as E.164) or a whole
// e-mail address (any case); or a full name, every word in any order and
// compared by search key (model::fold_query), together with birth_year (an
// individual's year of birth). No prefixes, no partial names. More than one
// member matching gives `several` and no member, so a shared phone never
// shows someone else. Voided members are never found. Throws StoreError.
PublicSearchResult public_search(store::Store& store, std::string_view query,
                                 std::string_view birth_year, std::string_view event_country);

// A value on one line of terminal output: escape_for_terminal, and tab and
// line ends (which it keeps, and which would split the value) as \uXXXX too.
std::string one_line_for_terminal(std::string_view value);

// One line per match: id, reference code, name, phone, e-mail, separated by
// tabs. Control characters in a value (tab and line ends too) are printed as
// \uXXXX (model::escape_for_terminal), so nothing stored in the database can
// drive the terminal or break a line.
void write_match_lines(const std::vector<store::MemberHit>& hits, std::ostream& out);
// A JSON array of objects with id, reference_code, kind, given_name,
// family_name, organisation, contact_person, phone, email and matched_by
// (reference_code, phone, email or name). Control characters are \uXXXX
// escapes, so the JSON holds the stored values exactly and the terminal is safe.
void write_match_json(const std::vector<store::MemberHit>& hits, std::ostream& out);

}  // namespace alliance::kiosk
