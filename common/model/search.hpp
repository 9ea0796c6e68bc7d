// How a typed search is read and how a member is keyed for it: one rule for
// the kiosk's search (common/store/members.cpp) and the office console's
// (central/store/record_keys.cpp, central/console/records_query.cpp).
#pragma once

#include <string>
#include <string_view>

#include "common/model/member.hpp"

namespace alliance::model {

// The folded name a member is found by: the organisation and its contact,
// or the given and family names (fold_for_search).
std::string member_name_key(MemberKind kind, std::string_view given, std::string_view family,
                            std::string_view organisation, std::string_view contact_person);
std::string member_name_key(const Member& member);

// Typed text as reference-code symbols: dashes and spaces dropped, letters
// upper-cased ("ab3k-9x" → "AB3K9X"). Stored codes keyed this way match.
std::string reference_code_symbols(std::string_view text);
// Whether symbols (reference_code_symbols) can be all or the start of a
// reference code: 4 to util::kReferenceLength symbols of its alphabet.
bool could_be_reference_code(std::string_view symbols);

// Whether typed text reads as a phone number: at least three digits and
// nothing but digits, '+', spaces, '-', '(', ')' and '.'.
bool looks_like_phone(std::string_view text);

}  // namespace alliance::model
