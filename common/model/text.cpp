// UTF-8 checks, clean-up of entered text, and search keys built with ICU.
//
// Nothing here depends on the machine's locale: the kiosk runs with whatever
// locale it has, and keys must come out the same on every device so a name
// typed in Maputo is found in Nairobi.
#include "common/model/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <unicode/uvernum.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>

#include "common/util/strings.hpp"

namespace alliance::model {
namespace {

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

std::uint8_t byte_at(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

bool in_range(std::uint8_t b, std::uint8_t lo, std::uint8_t hi) {
  return b >= lo && b <= hi;
}

// Decodes one code point at s[i] under the strict rules of RFC 3629 (table 3-7
// of the Unicode standard): the allowed range of the second byte rules out
// overlong forms, surrogates and anything above U+10FFFF in one place.
// An invalid sequence reports length 1 so callers can step over the bad byte.
Decoded decode(std::string_view s, std::size_t i) {
  const std::uint8_t b0 = byte_at(s, i);
  if (b0 < 0x80) return {b0, 1, true};

  std::size_t length = 0;
  std::uint8_t lo = 0x80;
  std::uint8_t hi = 0xBF;
  char32_t cp = 0;
  if (in_range(b0, 0xC2, 0xDF)) {
    length = 2;
    cp = b0 & 0x1Fu;
  } else if (in_range(b0, 0xE0, 0xEF)) {
    length = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // below is overlong
    if (b0 == 0xED) hi = 0x9F;  // above is a surrogate
  } else if (in_range(b0, 0xF0, 0xF4)) {
    length = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // below is overlong
    if (b0 == 0xF4) hi = 0x8F;  // above is past U+10FFFF
  } else {
    return {};  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
  }

  if (i + length > s.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const std::uint8_t b = byte_at(s, i + k);
    const bool ok = k == 1 ? in_range(b, lo, hi) : in_range(b, 0x80, 0xBF);
    if (!ok) return {};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {cp, length, true};
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
         cp == 0x200F ||                    // Arabic, left-to-right and right-to-left marks
         (cp >= 0x202A && cp <= 0x202E) ||  // embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069);    // isolates
}

// The Unicode White_Space property.
bool is_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (!d.valid) return i;
    i += d.length;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view s) {
  return !first_invalid_utf8(s).has_value();
}

std::size_t utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool has_control_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (d.valid && is_control(d.code_point)) return true;
    i += d.length;
  }
  return false;
}

bool is_tidy_ascii(std::string_view s) {
  if (!s.empty() && (s.front() == ' ' || s.back() == ' ')) return false;
  char previous = 0;
  for (const char c : s) {
    if (c < 0x20 || c > 0x7E || (c == ' ' && previous == ' ')) return false;
    previous = c;
  }
  return true;
}

std::string collapse_whitespace(std::string_view s) {
  if (is_tidy_ascii(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (d.valid && is_space(d.code_point)) {
      pending_space = !out.empty();  // leading spaces are dropped, not deferred
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Cleaning entered text

namespace {

// Invisible characters with no business in a name: every format character
// (Cf: zero-width space, soft hyphen, BOM, word joiner, tags, and all the bidi
// marks, embeddings, overrides and isolates), the combining grapheme joiner
// and the Hangul fillers, which render as nothing and are used to fake blank
// names. ZWJ and ZWNJ are decided apart.
bool is_invisible(UChar32 cp) {
  return u_charType(cp) == U_FORMAT_CHAR || cp == 0x034F || cp == 0x115F || cp == 0x1160 ||
         cp == 0x3164 || cp == 0xFFA0;
}

bool is_letter_or_mark(UChar32 cp) {
  return (U_GET_GC_MASK(cp) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

// Scripts in which ZWJ/ZWNJ change shaping: cursive joining (Arabic, Persian
// half-spaces, Syriac, N'Ko, Mongolian) and conjunct forming (Brahmic scripts,
// e.g. the Sinhala "Sri" needs a ZWJ).
bool uses_joiners(UScriptCode script) {
  switch (script) {
    case USCRIPT_ARABIC:
    case USCRIPT_SYRIAC:
    case USCRIPT_NKO:
    case USCRIPT_MONGOLIAN:
    case USCRIPT_DEVANAGARI:
    case USCRIPT_BENGALI:
    case USCRIPT_GURMUKHI:
    case USCRIPT_GUJARATI:
    case USCRIPT_ORIYA:
    case USCRIPT_TAMIL:
    case USCRIPT_TELUGU:
    case USCRIPT_KANNADA:
    case USCRIPT_MALAYALAM:
    case USCRIPT_SINHALA:
    case USCRIPT_TIBETAN:
    case USCRIPT_MYANMAR:
    case USCRIPT_KHMER:
      return true;
    default:
      return false;
  }
}

UScriptCode script_of(UChar32 cp) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(cp, &status);
  return U_SUCCESS(status) ? script : USCRIPT_INVALID_CODE;
}

// The script a letter or mark belongs to; combining marks shared by many
// scripts (Inherited) take the script of the letter they sit on.
UScriptCode letter_script(const icu::UnicodeString& text, int32_t index) {
  while (index >= 0) {
    const UChar32 cp = text.char32At(index);
    if (!is_letter_or_mark(cp)) return USCRIPT_INVALID_CODE;
    const UScriptCode script = script_of(cp);
    if (script != USCRIPT_INHERITED && script != USCRIPT_COMMON) return script;
    if (index == 0) break;
    index = text.moveIndex32(index, -1);
  }
  return USCRIPT_INVALID_CODE;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw std::runtime_error(util::cat("ICU has no NFC data (", u_errorName(status),
                                       "); reinstall the ICU library (libicu72)"));
  }
  return *n;
}

}  // namespace

std::string clean_person_text(std::string_view s) {
  // Printable ASCII holds no invisible character and is already NFC: only the
  // spaces are left to collapse. Most names and places take this path.
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; })) {
    return collapse_whitespace(s);
  }
  if (!is_valid_utf8(s)) return std::string(s);
  const icu::UnicodeString in =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString kept;
  for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
    const UChar32 cp = in.char32At(i);
    if (cp == 0x200C || cp == 0x200D) {
      // Between two letters of one script that uses it, a joiner is spelling.
      const int32_t next = in.moveIndex32(i, 1);
      const UScriptCode before = kept.isEmpty()
                                     ? USCRIPT_INVALID_CODE
                                     : letter_script(kept, kept.moveIndex32(kept.length(), -1));
      const UScriptCode after = next < in.length() ? letter_script(in, next) : USCRIPT_INVALID_CODE;
      if (before == after && uses_joiners(before)) kept.append(cp);
      continue;
    }
    if (is_invisible(cp)) continue;
    kept.append(cp);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString composed = nfc().normalize(kept, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(util::cat("ICU could not normalise text: ", u_errorName(status)));
  }
  std::string out;
  composed.toUTF8String(out);
  return collapse_whitespace(out);
}

std::string strip_invisible(std::string_view s) {
  if (!is_valid_utf8(s)) return std::string(s);
  std::string kept;
  kept.reserve(s.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t at = 0; at < length;) {
    const int32_t start = at;
    UChar32 cp = 0;
    U8_NEXT(bytes, at, length, cp);
    // ZWJ and ZWNJ are format characters too: no address or number needs them.
    if (is_invisible(cp) || cp == 0x00A0 || cp == 0x2007 || cp == 0x202F) continue;
    kept.append(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(at - start)));
  }
  return collapse_whitespace(kept);
}

// ---------------------------------------------------------------------------
// Search keys
//
// A key is made in three steps:
//  1. NFKC_Casefold: compatibility forms (full-width letters, ligatures) and
//     case are folded and every default-ignorable character (ZWSP, ZWJ, ZWNJ,
//     soft hyphen, BOM, bidi controls, variation selectors...) disappears.
//  2. The text is cut into runs of one script (marks, digits and punctuation
//     go with the run they are in; white space ends a run) and each run that
//     is not Latin is romanised by the ICU transform for its script, with a
//     few rules that bring the standard romanisations closer to how people
//     spell the names in Latin letters (rules_for below).
//  3. The result is folded: NFD, nonspacing marks removed, Latin-ASCII, lower
//     case; apostrophes removed (N’Diaye = ndiaye), hyphens, other
//     punctuation and symbols become a space, spaces are collapsed.
// Runs are romanised apart so that a rule meant for one script (Ethiopic's
// silent sixth order, Devanagari's ś -> sh) never touches a Latin name.

namespace {

// Bump when a rule below changes: stored keys are then rebuilt.
constexpr int kKeyRulesRevision = 1;

enum class Romaniser {
  none,
  cyrillic,
  ethiopic,
  arabic,
  hebrew,
  han,
  han_spaced,
  hangul,
  hangul_spaced,
  kana,
  greek,
  indic_final_schwa_silent,
  indic,
  tamil,
  other
};

// Marks an Ethiopic sixth-order syllable that is not first in its word; it
// never survives the transform. Private-use characters are dropped from the
// input first, so it cannot come from a name.
constexpr UChar32 kSilentMark = 0xE000;

// The sixth-order (consonant + ə or no vowel) Ethiopic syllables, named
// "ETHIOPIC SYLLABLE <consonant>E" in Unicode ("SEE" is the fifth order).
icu::UnicodeString ethiopic_sixth_order_set() {
  icu::UnicodeString set("[");
  for (UChar32 cp = 0x1200; cp <= 0x139F; ++cp) {
    char name[80];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = u_charName(cp, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
    if (U_FAILURE(status) || length < 3) continue;
    const std::string_view n(name, static_cast<std::size_t>(length));
    if (!n.starts_with("ETHIOPIC SYLLABLE ") || !n.ends_with("E") || n.ends_with("EE")) continue;
    set.append(cp);
  }
  set.append("]");
  return set;
}

// Brahmic scripts: ISO 15919 (Any-Latin) writes श ष as ś ṣ and च as c; names
// are spelt with sh and ch (Sharma, Rajesh, Chand); ṛ is ri (Krishna);
// anusvara is m before p, b, m and n elsewhere (Sanjay).
icu::UnicodeString indic_rules() {
  return u":: Any-Latin; ś > sh; ṣ > sh; c > ch; r\\u0325 > ri; ṛ > ri;"
         u"ṁ } [pbm] > m; ṁ > n; ṃ } [pbm] > m; ṃ > n;";
}

// ICU transform rules for each romaniser. Input is already case-folded.
icu::UnicodeString rules_for(Romaniser r) {
  switch (r) {
    case Romaniser::cyrillic:
      // BGN/PCGN Russian (Yuliya, Natasha, Zhanna, Khabib) reads like English
      // spellings of Russian names; it does not know the Ukrainian letters.
      return u"і > i; ї > yi; є > ye; ґ > g; :: Russian-Latin/BGN;";
    case Romaniser::ethiopic:
      // BGN/PCGN Amharic gives the spellings people use (አበበ ቢቂላ -> Abebe
      // Bik'ila), except that it writes every sixth-order syllable with an i:
      // ተስፋዬ -> tesifayē. Written Latin keeps that vowel only at the start of
      // a word (ብርሃኑ Birhanu, ግርማ Girma) and drops it elsewhere (Tesfaye,
      // Gebre), so non-initial sixth-order syllables lose their i.
      return icu::UnicodeString(u"$sixth = ") + ethiopic_sixth_order_set() +
             u"; $letter = [[[:Ethiopic:]&[:Letter:]] \\uE000];"
             u"$letter { ($sixth) > $1 \\uE000;"
             u":: Amharic-Latin/BGN;"
             u"i \\uE000 > ; \\uE000 > ;";
    case Romaniser::arabic:
      // Vowel signs are optional in Arabic, so they go; letters people write
      // interchangeably (alef forms, teh marbuta and heh, alef maksura and
      // yeh, Persian yeh and kaf) become one.
      return u"[:Mn:] > ; \\u0640 > ; [أإآٱ] > ا; ة > ه; [ىی] > ي; ک > ك; ؤ > و; ئ > ي;"
             u":: Arabic-Latin;";
    case Romaniser::hebrew:
      return u"[:Mn:] > ; :: Hebrew-Latin;";
    case Romaniser::han:
      // Pinyin; the syllables of one run are joined (Xiaolong), see fold_query.
      return u":: Han-Latin; ' ' > ;";
    case Romaniser::han_spaced:
      return u":: Han-Latin;";
    case Romaniser::hangul_spaced:
      // A query's Hangul syllables apart: 김민준 (family name first, no space)
      // -> gim min jun finds a name stored as 민준 / 김.
      return u"$syllable = [:Hangul:]; ($syllable) } $syllable > $1 ' '; :: Any-Latin;";
    case Romaniser::greek:
      // Modern Greek (UNGEGN): Ελένη is Eleni, Βασίλης Vasilis.
      return u":: Greek-Latin/UNGEGN;";
    case Romaniser::kana:
      // Hepburn long vowels as people write names: さとう Sato, おおの Ono.
      return u":: Any-Latin; ou > o; uu > u; oo > o; ō > o; ū > u;";
    case Romaniser::indic:
      return indic_rules();
    case Romaniser::indic_final_schwa_silent:
      // Hindi, Marathi, Gujarati and Punjabi do not say the inherent a at the
      // end of a word after a single consonant (राजेश Rajesh, कुमार Kumar), but
      // do after a cluster (कृष्ण Krishna, शर्मा Sharma has ā anyway).
      return indic_rules() +
             u":: Null; $vowel = [aeiouāīūēō]; $consonant = [b-df-gj-np-tv-zḍḥḷṅṇṟṉṣśṭñ];"
             u"$end = [^[:Letter:][:Mark:]];"
             u"$vowel $consonant { a } $end > ; $vowel $consonant h { a } $end > ;"
             // Apart, or ICU takes the end-of-text rules for masking these.
             u":: Null; $vowel $consonant { a } $ > ; $vowel $consonant h { a } $ > ;";
    case Romaniser::tamil:
      // Tamil spelling in Latin letters voices k between vowels and after a
      // nasal (Murugan, Thangam), writes ச as s (Selvam) or ch when doubled,
      // and த as th (Senthil, Karthik).
      return u":: Any-Latin; $v = [aeiouāīūēō]; cc > ch; ñc > nj; c > s; tt > th; t > th;"
             u"ṟṟ > tr; $v { k } $v > g; [ṅnñṇ] { k > g;";
    case Romaniser::hangul:
    case Romaniser::other:
      return u":: Any-Latin;";
    case Romaniser::none:
      break;
  }
  return {};
}

// Step 3, on the whole romanised text.
constexpr char16_t kFoldRules[] =
    u":: NFD; :: [:Nonspacing Mark:] Remove; :: Latin-ASCII; :: Lower;"
    // Letters of African alphabets that Latin-ASCII leaves alone.
    u"ɔ > o; ɣ > g; ʋ > v; ƙ > k; ƴ > y;"
    // Apostrophes (and the modifier letters and transliteration marks used as
    // apostrophes, such as ’ ʼ ʻ ʹ ʾ ʿ) join: N’Diaye is ndiaye. Hyphens, like
    // anything else that is not a letter or digit, separate: Jean-Pierre is
    // found as "jean pierre", and María José as "maría-josé".
    u"[\\' \\` ´ ‘ ’ ‛ ′ ＇ ʹ ʻ ʼ ʽ ʾ ʿ ˈ ׳] > ;"
    u"[[:P:][:S:][:Z:][:Cc:]] > ' ';";

Romaniser romaniser_for(UScriptCode script) {
  switch (script) {
    case USCRIPT_LATIN:
    case USCRIPT_INVALID_CODE:
      return Romaniser::none;
    case USCRIPT_CYRILLIC:
      return Romaniser::cyrillic;
    case USCRIPT_ETHIOPIC:
      return Romaniser::ethiopic;
    case USCRIPT_ARABIC:
      return Romaniser::arabic;
    case USCRIPT_HEBREW:
      return Romaniser::hebrew;
    case USCRIPT_HAN:
      return Romaniser::han;
    case USCRIPT_HANGUL:
      return Romaniser::hangul;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
      return Romaniser::kana;
    case USCRIPT_GREEK:
      return Romaniser::greek;
    case USCRIPT_DEVANAGARI:
    case USCRIPT_GURMUKHI:
    case USCRIPT_GUJARATI:
      return Romaniser::indic_final_schwa_silent;
    case USCRIPT_BENGALI:  // Bengali names keep it in Latin: Subrata, Ananta
    case USCRIPT_ORIYA:
    case USCRIPT_TELUGU:
    case USCRIPT_KANNADA:
    case USCRIPT_MALAYALAM:
      return Romaniser::indic;
    case USCRIPT_TAMIL:
      return Romaniser::tamil;
    default:
      return Romaniser::other;
  }
}

std::unique_ptr<icu::Transliterator> build(const icu::UnicodeString& rules, const char* what) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString::fromUTF8(what), rules, UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status) || !t) {
    throw std::runtime_error(util::cat("cannot build the ICU search-key transform '", what, "' (",
                                       u_errorName(status), " at rule offset ", parse_error.offset,
                                       "); is the ICU library (libicu72) complete?"));
  }
  return t;
}

// ASCII needs none of the ICU steps: the same result, without them. Latin
// letters and digits stay (lower-cased), apostrophes join, anything else
// separates. Must agree with kFoldRules (tested).
std::string ascii_key(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c == '\'' || c == '`') {
      continue;
    } else {
      out.push_back(' ');
    }
  }
  return collapse_whitespace(out);
}

bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// One set of ICU objects per thread: a transliterator is not safe to share,
// and building one parses rule tables (milliseconds) while using it takes
// microseconds. Each is built on first use, so a kiosk that never sees a Han
// name never pays for the Han table.
class KeyMaker {
 public:
  KeyMaker() {
    UErrorCode status = U_ZERO_ERROR;
    casefold_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || casefold_ == nullptr) {
      throw std::runtime_error(util::cat("ICU has no NFKC_Casefold data (", u_errorName(status),
                                         "); reinstall the ICU library (libicu72)"));
    }
    nfd_ = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || nfd_ == nullptr) {
      throw std::runtime_error(util::cat("ICU has no NFD data (", u_errorName(status),
                                         "); reinstall the ICU library (libicu72)"));
    }
    fold_ = build(icu::UnicodeString(kFoldRules), "alliance-fold");
  }

  std::string key(std::string_view text, bool split_syllables) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString input = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    // Accents typed as apostrophes (N´Diaye) would decompose to a space and a
    // mark in NFKC; they are apostrophes here.
    input.findAndReplace(icu::UnicodeString(u"\u00B4"), icu::UnicodeString(u"'"));
    input.findAndReplace(icu::UnicodeString(u"\u1FFD"), icu::UnicodeString(u"'"));
    input.findAndReplace(icu::UnicodeString(u"\u02CA"), icu::UnicodeString(u"'"));
    const icu::UnicodeString folded = casefold_->normalize(input, status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(util::cat("ICU could not case-fold text: ", u_errorName(status)));
    }
    icu::UnicodeString romanised;
    icu::UnicodeString run;
    Romaniser run_kind = Romaniser::none;
    auto flush = [&] {
      if (run_kind != Romaniser::none && !run.isEmpty()) {
        Romaniser kind = run_kind;
        if (split_syllables && kind == Romaniser::han) kind = Romaniser::han_spaced;
        if (split_syllables && kind == Romaniser::hangul) kind = Romaniser::hangul_spaced;
        transliterator(kind).transliterate(run);
      }
      romanised.append(run);
      run.remove();
      run_kind = Romaniser::none;
    };
    for (int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
      const UChar32 cp = folded.char32At(i);
      if (u_charType(cp) == U_PRIVATE_USE_CHAR) continue;
      if (u_isUWhiteSpace(cp)) {
        flush();
        romanised.append(static_cast<UChar>(' '));
        continue;
      }
      const UScriptCode script = script_of(cp);
      // Marks, digits and punctuation stay in the run they are in.
      if (script != USCRIPT_COMMON && script != USCRIPT_INHERITED) {
        const Romaniser kind = romaniser_for(script);
        if (kind != run_kind) {
          flush();
          run_kind = kind;
        }
      }
      run.append(cp);
    }
    flush();

    // Step 3. Most names are Latin letters with accents, which are ASCII once
    // decomposed and stripped of their marks: those need no Latin-ASCII pass.
    const icu::UnicodeString decomposed = nfd_->normalize(romanised, status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(util::cat("ICU could not decompose text: ", u_errorName(status)));
    }
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
      const UChar32 cp = decomposed.char32At(i);
      if (u_charType(cp) != U_NON_SPACING_MARK) stripped.append(cp);
    }
    std::string out;
    stripped.toUTF8String(out);
    if (is_ascii(out)) return ascii_key(out);
    fold_->transliterate(stripped);  // its NFD and mark removal have nothing left to do
    out.clear();
    stripped.toUTF8String(out);
    return collapse_whitespace(out);
  }

 private:
  icu::Transliterator& transliterator(Romaniser kind) {
    auto& slot = by_kind_[kind];
    if (!slot) slot = build(rules_for(kind), "alliance-romanise");
    return *slot;
  }

  const icu::Normalizer2* casefold_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  std::unique_ptr<icu::Transliterator> fold_;
  std::map<Romaniser, std::unique_ptr<icu::Transliterator>> by_kind_;
};

KeyMaker& key_maker() {
  thread_local KeyMaker maker;
  return maker;
}

}  // namespace

std::string fold_for_search(std::string_view s) {
  return is_ascii(s) ? ascii_key(s) : key_maker().key(s, /*split_syllables=*/false);
}

std::string fold_query(std::string_view s) {
  return is_ascii(s) ? ascii_key(s) : key_maker().key(s, /*split_syllables=*/true);
}

std::string search_key_version() {
  return util::cat("rules ", kKeyRulesRevision, ", ICU ", U_ICU_VERSION, ", Unicode ",
                   U_UNICODE_VERSION);
}

std::string escape_for_terminal(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    const char32_t cp = d.code_point;
    const bool layout = cp == '\t' || cp == '\n' || (cp == '\r' && s.substr(i + 1, 1) == "\n");
    if (!d.valid) {
      const std::uint8_t byte = byte_at(s, i);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else if (is_control(cp) && !layout) {
      out += "\\u";
      for (const int shift : {12, 8, 4, 0}) out += kHex[(cp >> shift) & 0x0F];
    } else {
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

}  // namespace alliance::model
