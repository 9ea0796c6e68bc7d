// Who is probably already a member: the one duplicate rule the kiosk's "Is
// this you?", the spreadsheet import and central's duplicate list all apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/member.hpp"

namespace alliance::model {

// What made the rule decide, strongest first in DuplicateAssessment::reasons.
// Stable names (duplicate_signal_name) appear in central's CSV and JSON.
enum class DuplicateSignal : std::uint8_t {
  name_same,           // the same name by search key (any script, accents, case)
  name_swapped,        // given and family names exchanged
  name_variant,        // a spelling variant: Mohammed/Muhammad, Fatuma/Fatima
  name_typo,           // within the bounded edit distance (one or two slips)
  name_partial,        // one name is the other with a middle or second family name left out
  family_only,         // the same family name, another given name (a household)
  organisation_same,   // the same organisation, or its initials ("MoH")
  organisation_other,  // both named, and different
  phone_same,          // the same E.164 number
  phone_other,         // both have one, and they differ
  email_same,          // the same address
  email_other,         // both have one, and they differ
  birth_year_same,     // both given, within one year
  birth_year_other,    // both given, two or more years apart
  gender_other,        // both given (not prefer_not_to_say), and different
  shared_contact,      // a phone or e-mail in common but not the name: a household or office
};

std::string_view duplicate_signal_name(DuplicateSignal s);

enum class DuplicateVerdict : std::uint8_t { different, possible, likely };

std::string_view duplicate_verdict_name(DuplicateVerdict v);

// The rule's answer for one pair. Thresholds (docs/ARCHITECTURE.md,
// "Duplicates"): likely at kLikelyScore or more, possible at kPossibleScore or
// more, otherwise different; a name that does not match at all is always
// different, whatever else is shared.
struct DuplicateAssessment {
  int score = 0;  // 0..100
  DuplicateVerdict verdict = DuplicateVerdict::different;
  // Strong enough to show the person on the public desk ("Is this you?"):
  // likely, the name matching by key, swap, variant or typo (not a partial
  // name), the same phone or e-mail, and no contradicting birth year or gender.
  bool public_offer = false;
  std::vector<DuplicateSignal> reasons;
};

inline constexpr int kLikelyScore = 70;
inline constexpr int kPossibleScore = 45;

// A member's folded keys, made once (ICU folding is the costly part) so that
// central can compare one member with many candidates.
struct DuplicateProfile {
  MemberKind kind = MemberKind::individual;
  std::vector<std::string> given;   // folded words of the given name (organisation: its name)
  std::vector<std::string> family;  // folded words of the family name
  std::string organisation;         // folded organisation (individuals)
  std::vector<std::string> organisation_initials;  // "moh" and "mh" for "Ministry of Health"
  std::string phone;
  std::string email;
  std::optional<int> birth_year;
  std::string gender;
};

DuplicateProfile duplicate_profile(const Member& m);

// Compares two members; both normalised (normalize_and_validate). Symmetric.
DuplicateAssessment assess_duplicate(const DuplicateProfile& a, const DuplicateProfile& b);
DuplicateAssessment assess_duplicate(const Member& a, const Member& b);

// The keys under which a member is filed for finding candidates without
// comparing every pair (central's duplicate list): phone, e-mail, and name
// keys made so that a swap, a variant or one typo in one of the names still
// shares a key with the other spelling.
std::vector<std::string> duplicate_blocking_keys(const DuplicateProfile& p);

// Variant key of one folded word: consonant skeleton (doubled letters,
// vowels and h after a consonant dropped, c/q -> k, ph -> f, x -> ks), and
// a small table of spellings the skeleton does not join (docs/ARCHITECTURE.md).
std::string name_variant_key(std::string_view folded_word);

// Optimal-string-alignment (Damerau-Levenshtein) distance between two words,
// or limit + 1 when it exceeds limit (the work stays bounded).
int bounded_edit_distance(std::string_view a, std::string_view b, int limit);

enum class DuplicateReason { phone, email, name_and_organisation };

// Whether `existing` is probably the person who typed `typed`, and why, for
// the kiosk desk and the import: assess_duplicate with a likely verdict.
// The reason says what matched besides the name: phone, else e-mail, else
// (name and organisation, or name and birth year) name_and_organisation.
// A voided member is never a duplicate, nor is a record itself, nor a
// member merged into another (merged_into).
std::optional<DuplicateReason> duplicate_reason(const Member& typed, const Member& existing);

// As duplicate_reason, but only when strong enough for the public desk
// (DuplicateAssessment::public_offer).
std::optional<DuplicateReason> public_duplicate_reason(const Member& typed, const Member& existing);

}  // namespace alliance::model
