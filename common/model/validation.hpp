// Validation and normalisation of records before they are saved or accepted.
//
// Every check runs, so a form can show all its errors at once. Each error
// carries the field name and a stable key such as "member.phone.invalid",
// which the UI looks up in the i18n tables and the API returns as a code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/model/event.hpp"
#include "common/model/limits.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"

namespace alliance::model {

struct FieldError {
  std::string field;  // e.g. "phone", "lines[2].quantity"
  std::string key;    // e.g. "member.phone.invalid"
  // The value as typed, made printable (escape_for_terminal), where the
  // message quotes it as {0} (phone numbers, e-mail addresses). Only for the
  // person who typed it: never logged, never sent over the wire.
  std::string value;
  bool operator==(const FieldError&) const = default;
};
using FieldErrors = std::vector<FieldError>;

struct ValidationContext {
  // ISO alpha-2 of the event: reads national phone numbers only where the
  // record has no valid country of its own (a member's country comes first).
  std::string default_country;
  int current_year = 2026;  // for birth-year bounds
};

// Whether `text` is a calendar date written YYYY-MM-DD (the check the date fields get).
bool is_calendar_date(std::string_view text);

// Trims and normalises fields in place (phone to E.164 through
// libphonenumber, read with the member's own country; e-mail to lower case
// with its domain in Unicode, IDNA2008 through libidn2; invisible characters
// dropped from both; country to upper case), then checks them, every field and list against its
// limit in limits.hpp ("too_long", "too_many"). Returns every error found; an
// empty list means the record may be saved.
FieldErrors normalize_and_validate(Member& member, const ValidationContext& context);
FieldErrors normalize_and_validate(TrainingEvent& event);
FieldErrors normalize_and_validate(Attendance& attendance);
FieldErrors normalize_and_validate(ResourcePack& pack);
FieldErrors normalize_and_validate(ResourceRequest& request, const ValidationContext& context);

}  // namespace alliance::model
