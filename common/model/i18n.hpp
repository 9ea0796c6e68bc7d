// UI strings and code-list labels in English, French, Portuguese and
// Spanish, from assets/i18n: the kiosk's words, and the labels of stored codes
// (roles, organisation types, ...) that the kiosk and the office console show.
//
// Tables are flat JSON objects, key -> text, embedded in the binary at build
// time. Text may hold {0}, {1}, ... filled by format(). A key missing in a
// language falls back to English, then to the key itself, so a gap shows as
// English rather than as nothing (a test keeps the tables complete).
//
// Keys starting with "_" describe the table itself: "_direction": "rtl"
// marks a right-to-left language (the views then lay themselves out right
// to left); without it a language is left to right. They never fall back.
#pragma once

#include <expected>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/embedded.hpp"

namespace alliance::model {

// assets/i18n/*.json as compiled in: "en.json", "fr.json", ...
std::span<const util::EmbeddedFile> embedded_i18n_tables();

class I18n {
 public:
  // The tables compiled into the program. Throws std::runtime_error if one
  // is not a flat JSON object of strings (a build-time mistake).
  static const I18n& embedded();
  // Parses tables named "<lang>.json"; an error names the file and problem.
  static std::expected<I18n, std::string> parse(std::span<const util::EmbeddedFile> files);

  std::string_view text(std::string_view language, std::string_view key) const;
  std::string format(std::string_view language, std::string_view key,
                     const std::vector<std::string>& args) const;
  bool has(std::string_view language, std::string_view key) const;
  // Whether `language`'s table says "_direction": "rtl".
  bool right_to_left(std::string_view language) const;
  std::vector<std::string> languages() const;  // "en" first
  // The text keys (not the "_" ones that describe the table).
  std::vector<std::string> keys(std::string_view language) const;
  // Keys English has that `language` lacks.
  std::vector<std::string> missing_keys(std::string_view language) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables_;
};

// The label of `code` in the code list `list` ("role", "organisation_type",
// ... as codes.hpp lists them): the tables' "code.<list>.<code>" in
// `language`, English when that language lacks it, and the code itself when
// no table has it (a code from a newer kiosk), so a key is never shown.
std::string_view code_label(const I18n& tables, std::string_view language, std::string_view list,
                            std::string_view code);

}  // namespace alliance::model
