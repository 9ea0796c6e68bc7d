// Unicode text checks, clean-up of entered names, and the search keys (ICU).
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
// marks, embeddings, overrides or isolates (which can disguise text on a
// shared screen).
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
// Printable ASCII with single spaces between words and none at the ends:
// text collapse_whitespace leaves as it is, with no control character and a
// code point per byte. Most fields are; checking this first skips the passes.
bool is_tidy_ascii(std::string_view s);

// Person-entered text (names, organisation, region, contact person) as it is
// stored: NFC; invisible characters removed (format characters such as the
// zero-width space, soft hyphen, byte-order mark and word joiner, bidi marks
// and controls, Hangul fillers, the combining grapheme joiner); white space
// collapsed. Zero-width joiner and non-joiner stay only between two letters
// of a script whose shaping they change (Arabic, Syriac, N'Ko, Mongolian, the
// Brahmic scripts, Myanmar, Khmer, Tibetan), where they are part of how the
// name is spelt; anywhere else they are dropped. Control characters other
// than white space are kept, so validation still reports them. Text that is
// not valid UTF-8 is returned unchanged (validation rejects it).
std::string clean_person_text(std::string_view s);

// Contact details (e-mail addresses, phone numbers) as they are read: every
// invisible character clean_person_text removes, ZWJ and ZWNJ included, and
// the no-break spaces (U+00A0, U+2007, U+202F) that copying from a document
// or a spreadsheet leaves inside them, are removed; white space is
// collapsed. Text that is not valid UTF-8 is returned unchanged.
std::string strip_invisible(std::string_view s);

// The search and duplicate key of a name: what is left when accents, case,
// script, apostrophe and hyphen variants and invisible characters no longer
// matter. "Nguyễn" -> "nguyen", "Александра" -> "aleksandra", "አበበ" ->
// "abebe", "N’Diaye" and "N'Diaye" -> "ndiaye", "Ștefan" -> "stefan",
// "Jean‑Pierre" -> "jean pierre", "张伟" -> "zhangwei". Each script run is
// romanised by an ICU transform (docs/ARCHITECTURE.md, "Search keys", lists
// them), then the whole is folded to lower-case ASCII where Latin allows;
// apostrophes are dropped, other punctuation becomes a space, spaces collapse.
// Deterministic for a given search_key_version(). Thread-safe: each thread
// builds its own ICU transliterators on first use. Throws std::runtime_error
// only if ICU cannot build a transform (a broken installation), never because
// of the input; bytes that are not UTF-8 count as U+FFFD.
std::string fold_for_search(std::string_view s);
// The key of a typed query: fold_for_search, except that each Han character
// and Hangul syllable becomes its own word ("张伟" -> "zhang wei", "김민준" ->
// "gim min jun"), so a name typed family name first without a space still
// finds the given and family names, which are stored apart.
std::string fold_query(std::string_view s);
// Names the rules and the ICU data that made a key; when it changes, stored
// keys must be rebuilt (the device store does so when it opens a file).
std::string search_key_version();

}  // namespace alliance::model
