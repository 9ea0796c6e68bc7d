// The duplicate rule (duplicates.hpp); docs/ARCHITECTURE.md, "Duplicates",
// gives the points and thresholds and why.
#include "common/model/duplicates.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::model {

namespace {

// Points. A name must match for anything else to count: a phone or e-mail
// alone is a household or an office, never the same person.
constexpr int kNameSame = 50;
constexpr int kNameSwapped = 48;
constexpr int kNameVariant = 44;
constexpr int kNameTypo = 40;
constexpr int kNamePartial = 36;
constexpr int kOrganisationNameSame = 60;  // organisation members: their name is distinctive
constexpr int kOrganisationSame = 10;
constexpr int kOrganisationOther = -10;
constexpr int kPhoneSame = 35;
constexpr int kEmailSame = 30;
constexpr int kContactCap = 40;  // phone and e-mail together
constexpr int kPhoneOther = -20;
constexpr int kEmailOther = -20;
constexpr int kBirthYearSame = 10;
constexpr int kBirthYearOther = -60;  // outweighs a shared phone: parent and child
constexpr int kGenderOther = -40;

// Name particles left out when comparing words (never a name's first word).
constexpr std::array<std::string_view, 19> kParticles = {
    "da",  "de",  "do",  "dos", "das", "di",   "du",    "del", "della", "van",
    "von", "der", "den", "bin", "ibn", "bint", "binti", "al",  "el"};

// Words left out of organisation initials ("Ministry of Health" -> "mh").
constexpr std::array<std::string_view, 22> kOrganisationStopWords = {
    "of", "for", "the", "and", "de", "du", "des", "la", "le",  "les",  "et",
    "da", "do",  "dos", "das", "e",  "y",  "del", "el", "los", "pour", "a"};

// Spellings the variant key does not join (another consonant, or too short
// for a skeleton): each is read as the group's usual spelling.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kVariantTable = {{
    {"othman", "usman"},
    {"uthman", "usman"},
    {"osman", "usman"},
    {"ibrahima", "ibrahim"},
    {"oumar", "omar"},
    {"umar", "omar"},
    {"kim", "gim"},  // Korean: the usual spelling and the romanisation of 김
}};

std::string_view usual_spelling(std::string_view word) {
  for (const auto& [spelling, group] : kVariantTable) {
    if (word == spelling) return group;
  }
  return word;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  for (const auto& w : util::split(fold_for_search(text), ' ')) {
    if (!w.empty()) words.push_back(w);
  }
  return words;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w;
  return out;
}

// Words compared as a set: particles out, unless nothing else is left.
std::vector<std::string> significant(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && one_of(kParticles, words[i])) continue;
    out.push_back(words[i]);
  }
  return out.empty() ? words : out;
}

// Slips allowed in a word of this length (the shorter of the two).
int typo_allowance(std::size_t length) {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

enum class WordMatch { none, typo, variant, same };

// A word without a silent final h after a vowel (Khadijah, Sarah, Aishah).
std::string_view without_final_h(std::string_view w) {
  if (w.size() >= 3 && w.back() == 'h' && is_vowel(w[w.size() - 2])) w.remove_suffix(1);
  return w;
}

// Whether b is a with two neighbouring letters exchanged.
bool adjacent_swap(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    if (a[i] != b[i]) {
      return a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
    }
  }
  return false;
}

WordMatch match_words(const std::string& a, const std::string& b) {
  if (a == b) return WordMatch::same;
  if (a.empty() || b.empty()) return WordMatch::none;
  if (usual_spelling(a) == usual_spelling(b)) return WordMatch::variant;
  if (adjacent_swap(a, b)) return WordMatch::typo;  // "Jonh", "Kevni"
  // Another last letter where one ends in a vowel is usually another
  // person (Mario/Maria, Daniel/Daniela, Aleksandr/Aleksandra), not a slip.
  auto final_letter = [](std::string_view w) {
    w = without_final_h(w);
    return w.back() == 'y' ? 'i' : w.back();
  };
  if (final_letter(a) != final_letter(b) &&
      (is_vowel(without_final_h(a).back()) || is_vowel(without_final_h(b).back()))) {
    return WordMatch::none;
  }
  const std::string va = name_variant_key(a);
  if (va.size() >= 4 && va == name_variant_key(b)) return WordMatch::variant;
  // Four letters or fewer: only a swap (above); one other letter makes
  // another name (Jane/June, Mary/Mark).
  const std::size_t shorter = std::min(a.size(), b.size());
  const int allowance = typo_allowance(shorter);
  if (allowance > 0 && bounded_edit_distance(a, b, allowance) <= allowance) {
    return WordMatch::typo;
  }
  return WordMatch::none;
}

// How well each word of `fewer` pairs with a distinct word of `more`
// (greedy, best match first): the weakest pair, and how many paired.
struct Pairing {
  WordMatch weakest = WordMatch::same;
  std::size_t paired = 0;
  int typos = 0;
};

Pairing pair_words(const std::vector<std::string>& fewer, const std::vector<std::string>& more) {
  Pairing result;
  std::vector<bool> used(more.size(), false);
  for (const auto& word : fewer) {
    WordMatch best = WordMatch::none;
    std::size_t best_at = 0;
    for (std::size_t j = 0; j < more.size(); ++j) {
      if (used[j]) continue;
      const WordMatch m = match_words(word, more[j]);
      if (m > best) {
        best = m;
        best_at = j;
      }
    }
    if (best == WordMatch::none) {
      result.weakest = WordMatch::none;
      continue;
    }
    used[best_at] = true;
    ++result.paired;
    if (best == WordMatch::typo) ++result.typos;
    result.weakest = std::min(result.weakest, best);
  }
  return result;
}

bool any_word_matches(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (match_words(x, y) >= WordMatch::variant) return true;
    }
  }
  return false;
}

// The name signal of two individuals, or nullopt when the names do not match.
std::optional<DuplicateSignal> individual_name_match(const DuplicateProfile& a,
                                                     const DuplicateProfile& b, bool& same_family) {
  same_family = false;
  if (a.given.empty() && a.family.empty()) return std::nullopt;
  if (b.given.empty() && b.family.empty()) return std::nullopt;
  if (a.given == b.given && a.family == b.family) return DuplicateSignal::name_same;
  // Written without spaces or with another split ("Jean Pierre"/"Jeanpierre",
  // Han names typed family name first in one field).
  const std::string a_given = joined(a.given), a_family = joined(a.family);
  const std::string b_given = joined(b.given), b_family = joined(b.family);
  if (a_given + a_family == b_given + b_family) return DuplicateSignal::name_same;
  if (a_given == b_family && a_family == b_given) return DuplicateSignal::name_swapped;
  if (a_given + a_family == b_family + b_given || a_family + a_given == b_given + b_family) {
    return DuplicateSignal::name_swapped;
  }
  std::vector<std::string> all_a = a.given, all_b = b.given;
  all_a.insert(all_a.end(), a.family.begin(), a.family.end());
  all_b.insert(all_b.end(), b.family.begin(), b.family.end());
  all_a = significant(all_a);
  all_b = significant(all_b);
  const bool a_fewer = all_a.size() <= all_b.size();
  const auto& fewer = a_fewer ? all_a : all_b;
  const auto& more = a_fewer ? all_b : all_a;
  const Pairing p = pair_words(fewer, more);
  if (p.weakest != WordMatch::none && fewer.size() == more.size()) {
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    if (p.weakest == WordMatch::same) {
      return sorted(all_a) == sorted(all_b) && !(a.given == b.given) ? DuplicateSignal::name_swapped
                                                                     : DuplicateSignal::name_same;
    }
    if (p.weakest == WordMatch::variant) return DuplicateSignal::name_variant;
    // Typos: at most two slips, and at least one word spelt alike.
    if (p.typos <= 2 && p.typos < static_cast<int>(fewer.size())) return DuplicateSignal::name_typo;
  }
  // A middle name or second family name left out: every word of the shorter
  // name (two at least) in the longer one, given name included.
  if (p.weakest >= WordMatch::variant && fewer.size() >= 2 && fewer.size() < more.size() &&
      any_word_matches(a.given, b.given)) {
    return DuplicateSignal::name_partial;
  }
  same_family = any_word_matches(a.family, b.family) || any_word_matches(a.family, b.given) ||
                any_word_matches(a.given, b.family);
  return std::nullopt;
}

bool organisations_match(const DuplicateProfile& a, const DuplicateProfile& b) {
  if (a.organisation.empty() || b.organisation.empty()) return false;
  if (a.organisation == b.organisation) return true;
  auto compact = [](std::string s) {
    std::erase(s, ' ');
    return s;
  };
  const std::string a_compact = compact(a.organisation);
  const std::string b_compact = compact(b.organisation);
  if (a_compact == b_compact) return true;
  // "MoH" for "Ministry of Health": one is a single word equal to the
  // other's initials (with or without its small words).
  auto abbreviates = [](const std::string& word, const DuplicateProfile& full) {
    return word.size() >= 2 &&
           std::find(full.organisation_initials.begin(), full.organisation_initials.end(), word) !=
               full.organisation_initials.end();
  };
  return abbreviates(a_compact, b) || abbreviates(b_compact, a);
}

bool comparable_gender(const std::string& g) {
  return !g.empty() && g != "prefer_not_to_say";
}

}  // namespace

std::string_view duplicate_signal_name(DuplicateSignal s) {
  switch (s) {
    case DuplicateSignal::name_same:
      return "name_same";
    case DuplicateSignal::name_swapped:
      return "name_swapped";
    case DuplicateSignal::name_variant:
      return "name_variant";
    case DuplicateSignal::name_typo:
      return "name_typo";
    case DuplicateSignal::name_partial:
      return "name_partial";
    case DuplicateSignal::family_only:
      return "family_only";
    case DuplicateSignal::organisation_same:
      return "organisation_same";
    case DuplicateSignal::organisation_other:
      return "organisation_other";
    case DuplicateSignal::phone_same:
      return "phone_same";
    case DuplicateSignal::phone_other:
      return "phone_other";
    case DuplicateSignal::email_same:
      return "email_same";
    case DuplicateSignal::email_other:
      return "email_other";
    case DuplicateSignal::birth_year_same:
      return "birth_year_same";
    case DuplicateSignal::birth_year_other:
      return "birth_year_other";
    case DuplicateSignal::gender_other:
      return "gender_other";
    case DuplicateSignal::shared_contact:
      return "shared_contact";
  }
  return "unknown";
}

std::string_view duplicate_verdict_name(DuplicateVerdict v) {
  switch (v) {
    case DuplicateVerdict::different:
      return "different";
    case DuplicateVerdict::possible:
      return "possible";
    case DuplicateVerdict::likely:
      return "likely";
  }
  return "unknown";
}

std::string name_variant_key(std::string_view word) {
  word = without_final_h(usual_spelling(word));
  std::string w;
  w.reserve(word.size() + 2);
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    const char next = i + 1 < word.size() ? word[i + 1] : '\0';
    if (c == 'p' && next == 'h') {
      w += 'f';
      ++i;
    } else if (c == 'x') {
      w += "ks";
    } else if (c == 'c' && (next == 'e' || next == 'i' || next == 'y')) {
      w += 's';  // Yacine/Yassine
    } else if (c == 'c' || c == 'q') {
      w += 'k';
    } else if (c == 'w') {
      w += 'u';
    } else {
      w += c;
    }
  }
  // The class of the first vowel (a; e or i; o or u) keeps names apart that
  // share their consonants (Hassan/Hussein) while Mohammed/Muhammad,
  // Yusuf/Youssef and Fatuma/Fatima stay together.
  char vowel_class = '-';
  for (const char c : w) {
    if (c == 'a') vowel_class = 'a';
    if (c == 'e' || c == 'i') vowel_class = 'i';
    if (c == 'o' || c == 'u') vowel_class = 'u';
    if (vowel_class != '-') break;
  }
  // Skeleton: consonants only, an h after a consonant dropped (kh, th, dh,
  // sh keep their first letter), doubled consonants once.
  std::string key(1, vowel_class);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if ((is_vowel(c) && !(c == 'y' && i == 0)) || c == ' ') continue;
    if (c == 'h' && i > 0 && !is_vowel(w[i - 1])) continue;
    if (key.size() > 1 && key.back() == c) continue;
    key += c;
  }
  return key;
}

int bounded_edit_distance(std::string_view a, std::string_view b, int limit) {
  const auto diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > static_cast<std::size_t>(limit)) return limit + 1;
  // Names are short (model/limits.hpp): three rows of the table suffice.
  const std::size_t m = b.size();
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    int row_best = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], limit + 1);
}

DuplicateProfile duplicate_profile(const Member& m) {
  DuplicateProfile p;
  p.kind = m.kind;
  const std::vector<std::string> org_words = words_of(m.organisation);
  p.organisation = util::join(org_words, ' ');
  if (m.kind == MemberKind::organisation) {
    p.given = org_words;  // the organisation's own name
  } else {
    p.given = words_of(m.given_name);
    p.family = words_of(m.family_name);
  }
  if (org_words.size() >= 2) {
    std::string all, significant_only;
    for (const auto& w : org_words) {
      all += w.front();
      if (!one_of(kOrganisationStopWords, w)) significant_only += w.front();
    }
    p.organisation_initials = {all, significant_only};
  }
  p.phone = m.phone;
  p.email = m.email;
  p.birth_year = m.birth_year;
  p.gender = m.gender;
  return p;
}

DuplicateAssessment assess_duplicate(const DuplicateProfile& a, const DuplicateProfile& b) {
  DuplicateAssessment out;
  if (a.kind != b.kind) return out;
  int score = 0;
  std::optional<DuplicateSignal> name;
  bool same_family = false;
  if (a.kind == MemberKind::organisation) {
    // The organisation's own name: folded, compacted, or its initials.
    if (organisations_match(a, b)) {
      name = DuplicateSignal::name_same;
      score += kOrganisationNameSame;
    }
  } else {
    name = individual_name_match(a, b, same_family);
    if (name) {
      switch (*name) {
        case DuplicateSignal::name_same:
          score += kNameSame;
          break;
        case DuplicateSignal::name_swapped:
          score += kNameSwapped;
          break;
        case DuplicateSignal::name_variant:
          score += kNameVariant;
          break;
        case DuplicateSignal::name_typo:
          score += kNameTypo;
          break;
        default:
          score += kNamePartial;
          break;
      }
    }
  }
  if (name) out.reasons.push_back(*name);

  const bool phone_same = !a.phone.empty() && a.phone == b.phone;
  const bool email_same = !a.email.empty() && a.email == b.email;
  if (!name) {
    // Shared phone or e-mail with another name: a household, a parent and
    // child, an office address. Never the same person by this rule.
    if (same_family) out.reasons.push_back(DuplicateSignal::family_only);
    if (phone_same || email_same) out.reasons.push_back(DuplicateSignal::shared_contact);
    return out;
  }

  int contact = 0;
  if (phone_same) {
    contact += kPhoneSame;
    out.reasons.push_back(DuplicateSignal::phone_same);
  }
  if (email_same) {
    contact += kEmailSame;
    out.reasons.push_back(DuplicateSignal::email_same);
  }
  score += std::min(contact, kContactCap);
  // Another phone or e-mail counts against only when nothing is shared:
  // with the phone in common, another e-mail is a second address.
  if (contact == 0 && !a.phone.empty() && !b.phone.empty()) {
    score += kPhoneOther;
    out.reasons.push_back(DuplicateSignal::phone_other);
  }
  if (contact == 0 && !a.email.empty() && !b.email.empty()) {
    score += kEmailOther;
    out.reasons.push_back(DuplicateSignal::email_other);
  }
  bool contradicted = false;
  if (a.kind == MemberKind::individual) {
    if (organisations_match(a, b)) {
      score += kOrganisationSame;
      out.reasons.push_back(DuplicateSignal::organisation_same);
    } else if (!a.organisation.empty() && !b.organisation.empty()) {
      score += kOrganisationOther;
      out.reasons.push_back(DuplicateSignal::organisation_other);
    }
    if (a.birth_year && b.birth_year) {
      const int gap = *a.birth_year > *b.birth_year ? *a.birth_year - *b.birth_year
                                                    : *b.birth_year - *a.birth_year;
      if (gap <= 1) {
        score += kBirthYearSame;
        out.reasons.push_back(DuplicateSignal::birth_year_same);
      } else {
        score += kBirthYearOther;
        contradicted = true;
        out.reasons.push_back(DuplicateSignal::birth_year_other);
      }
    }
    if (comparable_gender(a.gender) && comparable_gender(b.gender) && a.gender != b.gender) {
      score += kGenderOther;
      contradicted = true;
      out.reasons.push_back(DuplicateSignal::gender_other);
    }
  }

  out.score = std::clamp(score, 0, 100);
  out.verdict = out.score >= kLikelyScore     ? DuplicateVerdict::likely
                : out.score >= kPossibleScore ? DuplicateVerdict::possible
                                              : DuplicateVerdict::different;
  out.public_offer = out.verdict == DuplicateVerdict::likely &&
                     *name != DuplicateSignal::name_partial && (phone_same || email_same) &&
                     !contradicted;
  return out;
}

DuplicateAssessment assess_duplicate(const Member& a, const Member& b) {
  return assess_duplicate(duplicate_profile(a), duplicate_profile(b));
}

std::vector<std::string> duplicate_blocking_keys(const DuplicateProfile& p) {
  std::vector<std::string> keys;
  if (!p.phone.empty()) keys.push_back("p:" + p.phone);
  if (!p.email.empty()) keys.push_back("e:" + p.email);
  std::vector<std::string> words = p.given;
  words.insert(words.end(), p.family.begin(), p.family.end());
  words = significant(words);
  if (p.kind == MemberKind::organisation) {
    if (!words.empty()) keys.push_back("o:" + joined(words));
    for (const auto& initials : p.organisation_initials) keys.push_back("o:" + initials);
    return keys;
  }
  // Every pair of words, order-free: one word by its variant key, the other
  // by its first letter. A swap, a variant, a missing middle name or one
  // typo in one word still leaves a pair in common.
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t j = 0; j < words.size(); ++j) {
      if (i == j || words[j].empty()) continue;
      const std::string variant = name_variant_key(words[i]);
      keys.push_back(util::cat("n:", variant.empty() ? words[i] : variant, "|",
                               std::string(1, words[j].front())));
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

namespace {

std::optional<DuplicateReason> reason_of(const DuplicateAssessment& a) {
  auto has = [&](DuplicateSignal s) {
    return std::find(a.reasons.begin(), a.reasons.end(), s) != a.reasons.end();
  };
  if (has(DuplicateSignal::phone_same)) return DuplicateReason::phone;
  if (has(DuplicateSignal::email_same)) return DuplicateReason::email;
  return DuplicateReason::name_and_organisation;
}

bool excluded(const Member& typed, const Member& existing) {
  return existing.voided || (!typed.id.empty() && typed.id == existing.id);
}

}  // namespace

std::optional<DuplicateReason> duplicate_reason(const Member& typed, const Member& existing) {
  if (excluded(typed, existing)) return std::nullopt;
  const auto a = assess_duplicate(typed, existing);
  if (a.verdict != DuplicateVerdict::likely) return std::nullopt;
  return reason_of(a);
}

std::optional<DuplicateReason> public_duplicate_reason(const Member& typed,
                                                       const Member& existing) {
  if (excluded(typed, existing)) return std::nullopt;
  const auto a = assess_duplicate(typed, existing);
  if (!a.public_offer) return std::nullopt;
  return reason_of(a);
}

}  // namespace alliance::model
