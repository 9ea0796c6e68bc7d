// Unicode text checks and folding shared by validation and search.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::model {

bool is_valid_utf8(std::string_view s);
// The offset of the first byte that does not start a well-formed UTF-8
// sequence (overlong forms, surrogates, code points above U+10FFFF and
// truncated sequences are ill-formed), or nullopt if the text is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);
// Number of code points; assumes valid UTF-8.
std::size_t utf8_length(std::string_view s);
// True if s contains C0/C1 control characters, DEL, or bidirectional
// override/isolate characters (which can disguise text on a shared screen).
bool has_control_characters(std::string_view s);
// Text from records made safe to print on a terminal: C0 controls, DEL, C1
// controls and bidirectional marks, embeddings, overrides and isolates become
// visible \uXXXX escapes (so JSON stays valid JSON with the same values), and
// bytes that are not UTF-8 become \xNN. Tab, LF and CR before LF are kept:
// they lay out the output and cannot drive the terminal.
std::string escape_for_terminal(std::string_view s);
// Trims ASCII and Unicode spaces at both ends and folds inner runs of
// whitespace to a single space.
std::string collapse_whitespace(std::string_view s);
// Lower case with Latin diacritics removed and Cyrillic lower-cased, for
// search: "José Ñúñez" -> "jose nunez". Characters it does not know pass through.
std::string fold_for_search(std::string_view s);

}  // namespace alliance::model
