// The rules a record must meet before it is saved on a kiosk or accepted centrally.
//
// Each field is cleaned first (whitespace collapsed, case normalised) and then
// checked; a field reports at most one problem, the first that applies, so a
// form shows one clear message per field and every field at once.
#include "common/model/validation.hpp"

#include <idn2.h>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/model/codes.hpp"
#include "common/model/country.hpp"
#include "common/model/phone.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::model {
namespace {

constexpr std::string_view kRequired = "required";
constexpr std::string_view kInvalid = "invalid";
constexpr std::string_view kTooLong = "too_long";
constexpr std::string_view kUnknownCode = "unknown_code";
constexpr std::string_view kOutOfRange = "out_of_range";
constexpr std::string_view kControlCharacters = "control_characters";
constexpr std::string_view kInvalidUtf8 = "invalid_utf8";
constexpr std::string_view kTooMany = "too_many";

constexpr int kMinAge = 14;
constexpr int kMaxAge = 100;
constexpr int kMaxYearsExperience = 70;
constexpr int kMaxLineQuantity = 1000;
constexpr std::size_t kMaxEmailLocalLength = 64;
constexpr std::size_t kMaxDomainLabelLength = 63;
constexpr std::size_t kMaxDomainLength = 253;  // of the A-label form, as DNS counts it

// Collects errors for one record; keys are "<entity>.<key_field>.<problem>".
class Errors {
 public:
  explicit Errors(std::string_view entity) : entity_(entity) {}

  void add(std::string_view field, std::string_view key_field, std::string_view problem) {
    std::string key = entity_;
    key.append(".").append(key_field).append(".").append(problem);
    errors_.push_back({std::string(field), std::move(key)});
  }
  void add(std::string_view field, std::string_view problem) { add(field, field, problem); }
  // A problem whose message quotes what was typed ({0}), made printable.
  void add_quoting(std::string_view field, std::string_view problem, std::string_view typed) {
    add(field, problem);
    errors_.back().value = escape_for_terminal(typed);
  }

  // Rejects bytes that are not UTF-8 (leaving them untouched), collapses
  // whitespace, then rejects control and bidi characters and text over the
  // field's limit (limits.hpp; `path` names it there, `index` is the list
  // element for "lines[].pack_id"). Returns whether the field may go on to
  // its own checks.
  bool text(std::string& value, std::string_view path, std::size_t index = 0) {
    const FieldLimit& limit = limit_of(entity_, path);
    if (is_tidy_ascii(value)) {  // most fields: nothing to clean, a code point per byte
      if (value.size() <= limit.max_length) return true;
      add(reported_field(limit, index), limit.key_field, kTooLong);
      return false;
    }
    const std::string field = reported_field(limit, index);
    if (!is_valid_utf8(value)) {
      add(field, limit.key_field, kInvalidUtf8);
      return false;
    }
    value = collapse_whitespace(value);
    if (has_control_characters(value)) {
      add(field, limit.key_field, kControlCharacters);
      return false;
    }
    if (utf8_length(value) > limit.max_length) {
      add(field, limit.key_field, kTooLong);
      return false;
    }
    return true;
  }

  const FieldLimit& limit(std::string_view path) const { return limit_of(entity_, path); }

  // Checks a list's length against its limit; returns whether it is within.
  bool count(std::size_t items, std::string_view path) {
    const FieldLimit& limit = limit_of(entity_, path);
    if (items <= limit.max_items) return true;
    add(reported_field(limit), limit.key_field, kTooMany);
    return false;
  }

  // A record id or a reference to one: within its limit and made of
  // letters, digits, '-', '_', '.' and ':' (UUIDs, catalogue ids).
  // Returns whether the text checks passed.
  bool id(std::string& value, std::string_view path, bool required) {
    if (!text(value, path)) return false;
    const auto id_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_' || c == '.' || c == ':';
    };
    if (value.empty()) {
      if (required) add(path, kRequired);
    } else if (!std::all_of(value.begin(), value.end(), id_char)) {
      add(path, kInvalid);
    }
    return true;
  }

  // Bookkeeping text the store writes (timestamps, clocks): only bounded and clean.
  void bookkeeping(std::string& value, std::string_view path) { text(value, path); }

  FieldErrors take() { return std::move(errors_); }

 private:
  std::string entity_;
  FieldErrors errors_;
};

void to_lower_ascii(std::string& s) {
  s = util::ascii_lower(s);
}

void to_upper_ascii(std::string& s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes valid UTF-8 (the caller has checked) into code points.
std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    std::size_t length = 1;
    char32_t cp = b0;
    if (b0 >= 0xF0) {
      length = 4;
      cp = b0 & 0x07u;
    } else if (b0 >= 0xE0) {
      length = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xC0) {
      length = 2;
      cp = b0 & 0x1Fu;
    }
    for (std::size_t k = 1; k < length && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<std::uint8_t>(s[i + k]) & 0x3Fu);
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

bool is_digit_code_point(char32_t cp) {
  return (cp >= '0' && cp <= '9') || cp == 0xB2 || cp == 0xB3 || cp == 0xB9 ||
         (cp >= 0x0660 && cp <= 0x0669) ||  // Arabic-Indic
         (cp >= 0x06F0 && cp <= 0x06F9) ||  // Extended Arabic-Indic
         (cp >= 0x0966 && cp <= 0x096F) ||  // Devanagari
         (cp >= 0x09E6 && cp <= 0x09EF) ||  // Bengali
         (cp >= 0x1369 && cp <= 0x137C) ||  // Ethiopic numbers
         (cp >= 0xFF10 && cp <= 0xFF19);    // full-width
}

// Good enough to tell a name from punctuation, emoji or digits, across the
// scripts the alliance's members write in, without carrying Unicode tables.
bool is_letter_code_point(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp < 0xC0) return false;  // Latin-1 punctuation and symbols
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x0300 && cp <= 0x036F) return false;    // combining marks
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;    // punctuation, symbols, arrows, shapes
  if (cp >= 0x3000 && cp <= 0x303F) return false;    // CJK punctuation
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;    // private use
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;    // variation selectors
  if (cp >= 0xFF00 && cp <= 0xFF20) return false;    // full-width punctuation and digits
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return false;    // specials
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
  return !is_digit_code_point(cp);
}

bool is_plausible_name(std::string_view name) {
  constexpr std::string_view kForbidden = "<>{}[]@#$%^*=_|\\~`\"";
  if (name.find_first_of(kForbidden) != std::string_view::npos) return false;
  const std::u32string cps = code_points(name);
  return std::any_of(cps.begin(), cps.end(), is_letter_code_point) &&
         std::none_of(cps.begin(), cps.end(), is_digit_code_point);
}

bool is_valid_local_part(std::string_view local) {
  constexpr std::string_view kLocalSymbols = "!#$%&'*+/=?^_`{|}~-.";
  if (local.empty() || local.size() > kMaxEmailLocalLength) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(local.begin(), local.end(), [&](char c) {
    return is_ascii_alpha(c) || is_ascii_digit(c) ||
           kLocalSymbols.find(c) != std::string_view::npos;
  });
}

// An ASCII domain as DNS has it (A-labels for internationalised names):
// labels of [a-z0-9-], not starting or ending with '-', at least two of them.
bool is_valid_ascii_domain(std::string_view domain) {
  if (domain.size() > kMaxDomainLength) return false;
  std::size_t labels = 0;
  std::string_view tld;
  for (std::size_t start = 0; start <= domain.size();) {
    const auto dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > kMaxDomainLabelLength) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!(c >= 'a' && c <= 'z') && !is_ascii_digit(c) && c != '-') return false;
    }
    ++labels;
    tld = label;
    start = dot + 1;
  }
  // Top-level domains are never numeric and never a single letter.
  return labels >= 2 && tld.size() >= 2 && !std::all_of(tld.begin(), tld.end(), is_ascii_digit);
}

struct Idn2Free {
  void operator()(char* p) const { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Free>;

// IDNA2008 with the UTS #46 mapping (lower case, NFC, full-width dots),
// non-transitional: "münchen.de" and "MÜNCHEN.de" -> "xn--mnchen-3ya.de".
std::optional<std::string> to_a_label(const std::string& domain) {
  char* out = nullptr;
  const int rc = idn2_to_ascii_8z(domain.c_str(), &out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  const Idn2String owned(out);
  if (rc != IDN2_OK || owned == nullptr) return std::nullopt;
  return std::string(owned.get());
}

std::optional<std::string> to_u_label(const std::string& domain) {
  char* out = nullptr;
  const int rc = idn2_to_unicode_8z8z(domain.c_str(), &out, 0);
  const Idn2String owned(out);
  if (rc != IDN2_OK || owned == nullptr) return std::nullopt;
  return std::string(owned.get());
}

bool is_plain_ascii_domain(std::string_view domain) {
  for (std::size_t start = 0; start <= domain.size();) {
    const auto dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.size() >= 4 && label.substr(2, 2) == "--") return false;
    start = dot + 1;
  }
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || is_ascii_digit(c) || c == '-' || c == '.';
  });
}

// The stored form of an e-mail address, or nullopt if it cannot be one:
// the local part ASCII (as before: no internationalised mailboxes), the
// domain checked as its A-label and stored as Unicode, so "name@münchen.de",
// "name@MÜNCHEN.DE" and "name@xn--mnchen-3ya.de" are one address.
std::optional<std::string> canonical_email(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string local = util::ascii_lower(email.substr(0, at));
  if (!is_valid_local_part(local)) return std::nullopt;
  const std::string domain(email.substr(at + 1));
  if (domain.empty() || domain.find_first_of(" \t") != std::string::npos) return std::nullopt;
  // A domain already in lower-case letters, digits, hyphens and dots, with no
  // "--" where IDNA reserves it ("xn--"), is its own A-label and its own
  // U-label: libidn2 would hand it back unchanged.
  if (is_plain_ascii_domain(domain)) {
    if (!is_valid_ascii_domain(domain)) return std::nullopt;
    return util::cat(local, "@", domain);
  }
  const auto ascii = to_a_label(domain);
  if (!ascii || !is_valid_ascii_domain(*ascii)) return std::nullopt;
  const auto unicode = to_u_label(*ascii);
  if (!unicode) return std::nullopt;
  return util::cat(local, "@", *unicode);
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// A calendar date written YYYY-MM-DD.
bool is_valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (!is_ascii_digit(s[i])) return false;
  }
  const auto number = [s](std::size_t pos, std::size_t count) {
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (s[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int last = kDaysInMonth[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
  return day <= last;
}

// A person's name: letters, with spaces, hyphens, apostrophes and dots.
void check_name(Errors& errors, std::string& value, std::string_view field, bool required) {
  if (!errors.text(value, field)) return;
  if (value.empty()) {
    if (required) errors.add(field, kRequired);
    return;
  }
  if (!is_plausible_name(value)) errors.add(field, kInvalid);
}

void check_text(Errors& errors, std::string& value, std::string_view field, bool required) {
  if (errors.text(value, field) && required && value.empty()) errors.add(field, kRequired);
}

void check_code(Errors& errors, std::string& value, std::string_view field,
                std::span<const std::string_view> codes) {
  if (errors.text(value, field) && !value.empty() && !is_code_in(codes, value)) {
    errors.add(field, kUnknownCode);
  }
}

void check_country(Errors& errors, std::string& value) {
  if (!errors.text(value, "country")) return;
  to_upper_ascii(value);
  if (value.empty()) {
    errors.add("country", kRequired);
  } else if (find_country(value) == nullptr) {
    errors.add("country", kUnknownCode);
  }
}

// A cleaned e-mail address made canonical (canonical_email); `value` must
// already be non-empty.
void check_email(Errors& errors, std::string& value, std::string_view field) {
  if (auto canonical = canonical_email(value)) {
    value = std::move(*canonical);
  } else {
    errors.add_quoting(field, kInvalid, value);
  }
}

// A cleaned phone number to E.164, read with `country` (phone.hpp); the
// error says why libphonenumber refused it and quotes the number.
void check_phone(Errors& errors, std::string& value, std::string_view field,
                 std::string_view country) {
  if (auto e164 = parse_phone(value, country)) {
    value = std::move(*e164);
  } else {
    errors.add_quoting(field, phone_problem_name(e164.error()), value);
  }
}

void check_range(Errors& errors, const std::optional<int>& value, std::string_view field, int lo,
                 int hi) {
  if (value && (*value < lo || *value > hi)) errors.add(field, kOutOfRange);
}

void check_date(Errors& errors, std::string& value, std::string_view field) {
  if (!errors.text(value, field)) return;
  if (value.empty()) {
    errors.add(field, kRequired);
  } else if (!is_valid_date(value)) {
    errors.add(field, kInvalid);
  }
}

// Cleans a list of short codes (collapsed, empties and repeats dropped, order
// kept) and reports the first problem with any of them: too many items (as
// received), unreadable, hidden characters, too long, or not accepted.
// Returns whether the list passed.
template <typename Accept>
bool check_code_list(Errors& errors, std::vector<std::string>& values, std::string_view field,
                     bool lower_case, std::string_view rejected, Accept accept) {
  if (!errors.count(values.size(), field)) return false;
  const std::size_t max_length = errors.limit(field).max_length;
  std::vector<std::string> cleaned;
  std::string_view problem;
  for (std::string& value : values) {
    if (!is_valid_utf8(value)) {
      if (problem.empty()) problem = kInvalidUtf8;
      cleaned.push_back(value);
      continue;
    }
    std::string v = collapse_whitespace(value);
    if (lower_case) to_lower_ascii(v);
    if (v.empty() || std::find(cleaned.begin(), cleaned.end(), v) != cleaned.end()) continue;
    if (problem.empty()) {
      if (has_control_characters(v)) {
        problem = kControlCharacters;
      } else if (utf8_length(v) > max_length) {
        problem = kTooLong;
      } else if (!accept(v)) {
        problem = rejected;
      }
    }
    cleaned.push_back(std::move(v));
  }
  values = std::move(cleaned);
  if (!problem.empty()) errors.add(field, problem);
  return problem.empty();
}

// Text people type about themselves: NFC, no invisible characters (text.hpp).
template <std::same_as<std::string>... Fields>
void clean_entered_text(Fields&... fields) {
  ((fields = clean_person_text(fields)), ...);
}

std::string indexed(std::string_view list, std::size_t index, std::string_view field) {
  std::string out(list);
  out.append("[").append(std::to_string(index)).append("].").append(field);
  return out;
}

}  // namespace

FieldErrors normalize_and_validate(Member& member, const ValidationContext& context) {
  clean_entered_text(member.given_name, member.family_name, member.contact_person,
                     member.organisation, member.region);
  Errors errors("member");
  const bool individual = member.kind == MemberKind::individual;

  errors.id(member.id, "id", false);
  errors.bookkeeping(member.reference_code, "reference_code");
  check_name(errors, member.given_name, "given_name", individual);
  check_name(errors, member.family_name, "family_name", individual);
  check_code(errors, member.gender, "gender", gender_codes());
  check_range(errors, member.birth_year, "birth_year", context.current_year - kMaxAge,
              context.current_year - kMinAge);
  check_name(errors, member.contact_person, "contact_person", !individual);

  // The country comes before the phone: a national number needs it.
  check_country(errors, member.country);

  // Pasted addresses and numbers carry zero-width and no-break spaces.
  member.phone = strip_invisible(member.phone);
  member.email = strip_invisible(member.email);
  const bool phone_ok = errors.text(member.phone, "phone");
  const bool email_ok = errors.text(member.email, "email");
  if (phone_ok && email_ok && member.phone.empty() && member.email.empty()) {
    errors.add("phone", "contact", kRequired);
  }
  if (phone_ok && !member.phone.empty()) {
    // A member's number is written the way it is dialled where they live; the
    // event's country only stands in when theirs is missing or unknown.
    const std::string_view country = find_country(member.country) != nullptr
                                         ? std::string_view(member.country)
                                         : std::string_view(context.default_country);
    check_phone(errors, member.phone, "phone", country);
  }
  if (email_ok && !member.email.empty()) check_email(errors, member.email, "email");

  check_text(errors, member.region, "region", false);
  check_text(errors, member.organisation, "organisation", !individual);
  check_code(errors, member.organisation_type, "organisation_type", organisation_type_codes());
  check_code(errors, member.role, "role", role_codes());
  check_range(errors, member.years_experience, "years_experience", 0, kMaxYearsExperience);
  check_code(errors, member.qualification, "qualification", qualification_codes());
  check_code_list(errors, member.interest_groups, "interest_groups", false, kUnknownCode,
                  [](const std::string& code) { return is_code_in(interest_group_codes(), code); });
  check_code(errors, member.preferred_language, "preferred_language", language_codes());

  // Consent is only meaningful together with the wording that was agreed to.
  if (errors.text(member.consent.text_version, "consent.text_version") && individual &&
      (!member.consent.given || member.consent.text_version.empty())) {
    errors.add("consent", kRequired);
  }
  errors.bookkeeping(member.consent.given_at, "consent.given_at");
  errors.id(member.event_id, "event_id", false);
  errors.bookkeeping(member.created_at, "created_at");
  errors.bookkeeping(member.updated_at, "updated_at");
  errors.bookkeeping(member.hlc, "hlc");
  check_text(errors, member.void_reason, "void_reason", false);
  errors.id(member.merged_into, "merged_into", false);
  return errors.take();
}

bool is_calendar_date(std::string_view text) {
  return is_valid_date(text);
}

FieldErrors normalize_and_validate(TrainingEvent& event) {
  clean_entered_text(event.name, event.place, event.organiser);
  Errors errors("event");
  errors.id(event.id, "id", false);
  check_text(errors, event.name, "name", true);
  check_text(errors, event.place, "place", false);
  check_country(errors, event.country);
  check_date(errors, event.start_date, "start_date");
  check_date(errors, event.end_date, "end_date");
  // ISO dates order as strings do.
  if (is_valid_date(event.start_date) && is_valid_date(event.end_date) &&
      event.end_date < event.start_date) {
    errors.add("end_date", kOutOfRange);
  }
  check_text(errors, event.organiser, "organiser", false);
  check_text(errors, event.office, "office", false);
  errors.bookkeeping(event.hlc, "hlc");
  errors.bookkeeping(event.updated_at, "updated_at");
  return errors.take();
}

FieldErrors normalize_and_validate(Attendance& attendance) {
  Errors errors("attendance");
  errors.id(attendance.id, "id", false);
  errors.id(attendance.member_id, "member_id", true);
  errors.id(attendance.event_id, "event_id", true);
  check_date(errors, attendance.day, "day");
  errors.bookkeeping(attendance.checked_in_at, "checked_in_at");
  errors.bookkeeping(attendance.hlc, "hlc");
  return errors.take();
}

FieldErrors normalize_and_validate(ResourcePack& pack) {
  Errors errors("pack");
  if (errors.text(pack.id, "id")) {
    const auto id_char = [](char c) {
      return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == '_';
    };
    if (pack.id.empty()) {
      errors.add("id", kRequired);
    } else if (!std::all_of(pack.id.begin(), pack.id.end(), id_char)) {
      errors.add("id", kInvalid);
    }
  }
  check_text(errors, pack.title, "title", true);

  // Languages are ISO 639-1 codes; with no closed list to pick from, a bad
  // one is "invalid" rather than an unknown code.
  const auto iso_639_1 = [](const std::string& code) {
    return code.size() == 2 && is_ascii_alpha(code[0]) && is_ascii_alpha(code[1]);
  };
  if (check_code_list(errors, pack.languages, "languages", true, kInvalid, iso_639_1) &&
      pack.languages.empty()) {
    errors.add("languages", kRequired);
  }

  if (errors.count(pack.stock.size(), "stock")) {
    for (std::size_t i = 0; i < pack.stock.size(); ++i) {
      OfficeStock& stock = pack.stock[i];
      errors.text(stock.office, "stock[].office", i);
      if (stock.quantity < 0) errors.add(indexed("stock", i, "quantity"), "stock", kOutOfRange);
    }
  }
  errors.bookkeeping(pack.hlc, "hlc");
  errors.bookkeeping(pack.updated_at, "updated_at");
  return errors.take();
}

FieldErrors normalize_and_validate(ResourceRequest& request, const ValidationContext& context) {
  clean_entered_text(request.organisation_name, request.contact_name);
  Errors errors("request");
  errors.id(request.id, "id", false);
  errors.bookkeeping(request.reference_code, "reference_code");
  const bool member_ok = errors.id(request.member_id, "member_id", false);
  const bool organisation_ok = errors.text(request.organisation_name, "organisation_name");
  if (member_ok && organisation_ok && request.member_id.empty() &&
      request.organisation_name.empty()) {
    errors.add("member_id", "requester", kRequired);
  }

  check_text(errors, request.contact_name, "contact_name", false);
  request.contact_phone = strip_invisible(request.contact_phone);
  request.contact_email = strip_invisible(request.contact_email);
  if (errors.text(request.contact_phone, "contact_phone") && !request.contact_phone.empty()) {
    check_phone(errors, request.contact_phone, "contact_phone", context.default_country);
  }
  if (errors.text(request.contact_email, "contact_email")) {
    if (!request.contact_email.empty()) {
      check_email(errors, request.contact_email, "contact_email");
    } else if (request.delivery == DeliveryPreference::digital_link && request.member_id.empty()) {
      // A member's own e-mail address is on their record; anyone else needs one here.
      errors.add("contact_email", kRequired);
    }
  }

  if (request.lines.empty()) errors.add("lines", kRequired);
  if (errors.count(request.lines.size(), "lines")) {
    for (std::size_t i = 0; i < request.lines.size(); ++i) {
      RequestLine& line = request.lines[i];
      if (errors.text(line.pack_id, "lines[].pack_id", i) && line.pack_id.empty()) {
        errors.add(indexed("lines", i, "pack_id"), "pack_id", kRequired);
      }
      if (line.quantity < 1 || line.quantity > kMaxLineQuantity) {
        errors.add(indexed("lines", i, "quantity"), "quantity", kOutOfRange);
      }
    }
  }

  check_text(errors, request.delivery_address, "delivery_address",
             request.delivery == DeliveryPreference::delivery);
  check_text(errors, request.office, "office", true);
  errors.id(request.event_id, "event_id", false);
  if (errors.count(request.transitions.size(), "transitions")) {
    for (std::size_t i = 0; i < request.transitions.size(); ++i) {
      errors.text(request.transitions[i].actor, "transitions[].actor", i);
      errors.text(request.transitions[i].at, "transitions[].at", i);
    }
  }
  check_text(errors, request.received_by, "received_by", false);
  errors.bookkeeping(request.created_at, "created_at");
  errors.bookkeeping(request.updated_at, "updated_at");
  errors.bookkeeping(request.hlc, "hlc");
  return errors.take();
}

}  // namespace alliance::model
