// Country names by language, and reading a country typed as a code or a name.
#include "common/model/country_names.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>

#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::model {
namespace generated {
extern const CountryNames kCountryNames[];
extern const std::size_t kCountryNameCount;
}  // namespace generated

namespace {

// Everyday English names that iso-codes spells otherwise.
struct ExtraName {
  std::string_view name;
  std::string_view alpha2;
};
constexpr ExtraName kExtraNames[] = {
    {"UK", "GB"},         {"Great Britain", "GB"}, {"Britain", "GB"},        {"Ivory Coast", "CI"},
    {"DRC", "CD"},        {"DR Congo", "CD"},      {"Vietnam", "VN"},        {"Russia", "RU"},
    {"Swaziland", "SZ"},  {"Cape Verde", "CV"},    {"Czech Republic", "CZ"}, {"Turkey", "TR"},
    {"East Timor", "TL"}, {"Burma", "MM"},
};

std::string_view name_in(const CountryNames& country, std::string_view language) {
  if (language == "fr") return country.fr;
  if (language == "pt") return country.pt;
  if (language == "es") return country.es;
  return country.en;
}

// Fold key -> alpha-2, built once. A key two countries share reads as
// neither; a short form ("Tanzania" from "Tanzania, United Republic of")
// counts only when no full name or other short form has it.
class NameIndex {
 public:
  NameIndex() {
    std::map<std::string, std::set<std::string_view>> full;
    std::map<std::string, std::set<std::string_view>> short_forms;
    for (const auto& country : all_country_names()) {
      std::vector<std::string> names = util::split(country.aliases, '|');
      for (const std::string_view name : {country.en, country.fr, country.pt, country.es}) {
        names.emplace_back(name);
      }
      for (const std::string& name : names) {
        full[fold_for_search(name)].insert(country.alpha2);
        const std::size_t cut = name.find_first_of(",(");
        if (cut != std::string::npos && cut > 0) {
          short_forms[fold_for_search(name.substr(0, cut))].insert(country.alpha2);
        }
      }
    }
    for (const auto& extra : kExtraNames) full[fold_for_search(extra.name)].insert(extra.alpha2);
    for (const auto& [key, codes] : full) {
      if (codes.size() == 1) codes_.emplace(key, *codes.begin());
    }
    for (const auto& [key, codes] : short_forms) {
      if (codes.size() == 1 && !full.contains(key)) codes_.emplace(key, *codes.begin());
    }
  }

  std::optional<std::string> find(std::string_view text) const {
    const auto found = codes_.find(fold_for_search(text));
    if (found == codes_.end()) return std::nullopt;
    return std::string(found->second);
  }

 private:
  std::map<std::string, std::string_view, std::less<>> codes_;
};

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool all_ascii_letters(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

const CountryNames* by_alpha2(std::string_view code) {
  if (code.size() != 2) return nullptr;
  const std::string wanted = upper_ascii(code);
  const auto countries = all_country_names();
  const auto it = std::lower_bound(
      countries.begin(), countries.end(), wanted,
      [](const CountryNames& country, const std::string& key) { return country.alpha2 < key; });
  if (it == countries.end() || it->alpha2 != wanted) return nullptr;
  return &*it;
}

}  // namespace

std::span<const CountryNames> all_country_names() {
  return {generated::kCountryNames, generated::kCountryNameCount};
}

std::string_view country_name(std::string_view code, std::string_view language) {
  const CountryNames* country = by_alpha2(code);
  return country != nullptr ? name_in(*country, language) : std::string_view{};
}

std::vector<const CountryNames*> countries_by_name(std::string_view language) {
  std::vector<std::pair<std::string, const CountryNames*>> keyed;
  for (const auto& country : all_country_names()) {
    keyed.emplace_back(fold_for_search(name_in(country, language)), &country);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const CountryNames*> out;
  out.reserve(keyed.size());
  for (const auto& [key, country] : keyed) out.push_back(country);
  return out;
}

std::optional<std::string> country_from_text(std::string_view text) {
  const std::string trimmed = collapse_whitespace(text);
  if (trimmed.empty()) return std::nullopt;
  if (trimmed.size() == 2 && all_ascii_letters(trimmed)) {
    if (const CountryNames* country = by_alpha2(trimmed)) return std::string(country->alpha2);
  }
  if (trimmed.size() == 3 && all_ascii_letters(trimmed)) {
    const std::string wanted = upper_ascii(trimmed);
    for (const auto& country : all_country_names()) {
      if (country.alpha3 == wanted) return std::string(country.alpha2);
    }
  }
  static const NameIndex index;  // built on first use; thread-safe static init
  return index.find(trimmed);
}

}  // namespace alliance::model
