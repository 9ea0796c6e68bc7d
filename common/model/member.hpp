// Member: an individual social service worker or an organisation that joins the alliance.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace alliance::model {

enum class MemberKind { individual, organisation };

// The version of the consent wording the kiosk shows (the i18n key
// "consent.text" in every language); stored with every consent given there.
inline constexpr const char* kConsentTextVersion = "2026-01";

// Consent to data processing, with the version of the text the person agreed to.
struct Consent {
  bool given = false;
  std::string text_version;  // e.g. "2026-01"; identifies the exact wording shown
  std::string given_at;      // ISO-8601 UTC, set when the member is saved
};

// Code lists (organisation types, roles, qualifications, genders, interest
// groups) are stable keys such as "ngo" or "case_manager"; their labels live in
// the i18n tables so every language shows its own wording. See codes.hpp.
struct Member {
  std::string id;  // UUIDv7, made on the device that first saved it
  MemberKind kind = MemberKind::individual;
  std::string reference_code;  // short human code, see util/reference_code.hpp

  // Individual members.
  std::string given_name;
  std::string family_name;
  std::string gender;  // optional code: female, male, other, prefer_not_to_say
  std::optional<int> birth_year;

  // Organisation members: `organisation` is then the member's own name.
  std::string contact_person;

  std::string phone;    // E.164 after normalisation, e.g. +254712345678
  std::string email;    // lower-cased after normalisation
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::string region;   // region or district, free text
  std::string organisation;
  std::string organisation_type;  // code
  std::string role;               // workforce role / cadre code
  std::optional<int> years_experience;
  std::string qualification;  // highest qualification code
  std::vector<std::string> interest_groups;
  bool e_updates = false;          // monthly e-update opt-in
  std::string preferred_language;  // en, fr, pt, es
  Consent consent;

  std::string event_id;  // the training event where the member registered, if any

  // Bookkeeping, maintained by the store.
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;  // ISO-8601 UTC
  std::string hlc;         // hybrid logical clock of the last change, see util/hlc.hpp
  bool voided = false;     // a voided entry stays (and syncs) but is hidden from lists
  std::string void_reason;
  // Set by central only (`alliance-central merge`): this member was one
  // person registered twice and is now a tombstone (also voided) for the
  // member with this id, which took over its attendance and requests.
  std::string merged_into;

  // The name staff see in lists: "Given Family" or the organisation's name.
  std::string display_name() const;
};

}  // namespace alliance::model
