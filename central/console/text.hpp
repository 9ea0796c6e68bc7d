// The console's words in its four languages (en, fr, pt, es), the labels of
// stored codes, and how a request picks a language: ?lang=, then the
// remembered cookie, then Accept-Language.
#pragma once

#include <optional>
#include <string_view>

namespace alliance::central::console {

enum class Lang { en, fr, pt, es };

std::string_view code_of(Lang lang);
std::optional<Lang> lang_from(std::string_view code);  // "fr", "FR", "fr-CA" -> fr
// The best of the four for an Accept-Language header (q-values honoured); en by default.
Lang lang_from_accept_language(std::string_view header);

// The text for `key` in `lang` (English when missing, the key itself when unknown).
std::string_view tr(Lang lang, std::string_view key);

// The label of a stored code in `lang`: `list` is a code list of
// common/model/codes.hpp ("role", "organisation_type", ...). The kiosk's own
// labels (model::code_label over assets/i18n), so both name a code alike;
// the code itself when it has no label.
std::string_view code_label(Lang lang, std::string_view list, std::string_view code);

}  // namespace alliance::central::console
