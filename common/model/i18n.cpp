// Loads the embedded string tables and looks texts up with English fallback.
#include "common/model/i18n.hpp"

// cereal's header first: it makes rapidjson's assertions throw
// cereal::RapidJSONException instead of aborting the kiosk.
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

#include "common/util/strings.hpp"

namespace alliance::model {
namespace {

constexpr std::string_view kFallbackLanguage = "en";
constexpr std::string_view kSuffix = ".json";

using Table = std::map<std::string, std::string, std::less<>>;

std::expected<Table, std::string> parse_table(std::string_view name, std::string_view content) {
  RAPIDJSON_NAMESPACE::Document document;
  try {
    document.Parse(content.data(), content.size());
  } catch (const std::exception& e) {
    return std::unexpected(util::cat(name, ": ", e.what()));
  }
  if (document.HasParseError()) {
    return std::unexpected(
        util::cat(name, ": ", RAPIDJSON_NAMESPACE::GetParseError_En(document.GetParseError()),
                  " at byte ", document.GetErrorOffset()));
  }
  if (!document.IsObject()) return std::unexpected(util::cat(name, ": not a JSON object"));
  Table table;
  for (const auto& member : document.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsString()) {
      return std::unexpected(util::cat(name, ": the value of \"", key, "\" is not a string"));
    }
    if (!table.emplace(key, std::string(member.value.GetString(), member.value.GetStringLength()))
             .second) {
      return std::unexpected(util::cat(name, ": \"", key, "\" appears twice"));
    }
  }
  return table;
}

}  // namespace

const I18n& I18n::embedded() {
  static const I18n instance = [] {
    auto parsed = parse(embedded_i18n_tables());
    if (!parsed) throw std::runtime_error("i18n tables: " + parsed.error());
    return std::move(*parsed);
  }();
  return instance;
}

std::expected<I18n, std::string> I18n::parse(std::span<const util::EmbeddedFile> files) {
  I18n out;
  for (const auto& file : files) {
    if (file.name.size() <= kSuffix.size() || !file.name.ends_with(kSuffix)) {
      return std::unexpected(util::cat(file.name, ": expected a name like en.json"));
    }
    auto table = parse_table(file.name, file.content);
    if (!table) return std::unexpected(table.error());
    out.tables_.emplace(std::string(file.name.substr(0, file.name.size() - kSuffix.size())),
                        std::move(*table));
  }
  return out;
}

std::string_view I18n::text(std::string_view language, std::string_view key) const {
  for (const std::string_view lang : {language, kFallbackLanguage}) {
    const auto table = tables_.find(lang);
    if (table == tables_.end()) continue;
    const auto entry = table->second.find(key);
    if (entry != table->second.end()) return entry->second;
  }
  return key;
}

std::string I18n::format(std::string_view language, std::string_view key,
                         const std::vector<std::string>& args) const {
  const std::string_view pattern = text(language, key);
  std::string out;
  out.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i + 1);
      if (close != std::string_view::npos && close > i + 1) {
        const std::string_view digits = pattern.substr(i + 1, close - i - 1);
        if (std::all_of(digits.begin(), digits.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
          std::size_t index = 0;
          for (const char c : digits) index = index * 10 + static_cast<std::size_t>(c - '0');
          // A missing argument leaves the placeholder, so the gap is visible.
          if (index < args.size()) {
            out += args[index];
          } else {
            out += pattern.substr(i, close - i + 1);
          }
          i = close;
          continue;
        }
      }
    }
    out += pattern[i];
  }
  return out;
}

bool I18n::has(std::string_view language, std::string_view key) const {
  const auto table = tables_.find(language);
  return table != tables_.end() && table->second.contains(key);
}

bool I18n::right_to_left(std::string_view language) const {
  const auto table = tables_.find(language);
  if (table == tables_.end()) return false;
  const auto direction = table->second.find("_direction");
  return direction != table->second.end() && direction->second == "rtl";
}

std::vector<std::string> I18n::languages() const {
  std::vector<std::string> out;
  if (tables_.contains(kFallbackLanguage)) out.emplace_back(kFallbackLanguage);
  for (const auto& [lang, table] : tables_) {
    if (lang != kFallbackLanguage) out.push_back(lang);
  }
  return out;
}

std::vector<std::string> I18n::keys(std::string_view language) const {
  std::vector<std::string> out;
  const auto table = tables_.find(language);
  if (table == tables_.end()) return out;
  out.reserve(table->second.size());
  for (const auto& entry : table->second) {
    if (!entry.first.starts_with('_')) out.push_back(entry.first);  // about the table, not a text
  }
  return out;
}

std::vector<std::string> I18n::missing_keys(std::string_view language) const {
  std::vector<std::string> out;
  const auto english = tables_.find(kFallbackLanguage);
  if (english == tables_.end()) return out;
  for (const auto& entry : english->second) {
    if (!entry.first.starts_with('_') && !has(language, entry.first)) out.push_back(entry.first);
  }
  return out;
}

std::string_view code_label(const I18n& tables, std::string_view language, std::string_view list,
                            std::string_view code) {
  const std::string key = util::cat("code.", list, ".", code);
  if (!tables.has(language, key) && !tables.has(kFallbackLanguage, key)) return code;
  return tables.text(language, key);
}

}  // namespace alliance::model
