// The duplicate list: blocking by shared keys, the rule on each candidate pair, CSV and JSON.
#include "central/admin/duplicates.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "common/protocol/codec.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// A key shared by more members than this (a switchboard phone, a very common
// name with one initial) is too broad to compare all its pairs; its members
// still meet through their other keys.
constexpr std::size_t kMaxBlock = 500;

std::string reasons_text(const model::DuplicateAssessment& a, char separator) {
  std::vector<std::string> names;
  for (const auto s : a.reasons) names.emplace_back(model::duplicate_signal_name(s));
  return util::join(names, separator);
}

}  // namespace

std::vector<DuplicatePair> find_duplicate_pairs(const std::vector<OfficeMember>& members) {
  std::vector<model::DuplicateProfile> profiles(members.size());
  std::map<std::string, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (members[i].member.voided) continue;
    profiles[i] = model::duplicate_profile(members[i].member);
    for (auto& key : model::duplicate_blocking_keys(profiles[i])) {
      blocks[util::cat(members[i].office, "\x1f", key)].push_back(i);
    }
  }
  std::set<std::pair<std::size_t, std::size_t>> compared;
  std::vector<DuplicatePair> pairs;
  for (const auto& [key, block] : blocks) {
    if (block.size() < 2 || block.size() > kMaxBlock) continue;
    for (std::size_t x = 0; x < block.size(); ++x) {
      for (std::size_t y = x + 1; y < block.size(); ++y) {
        if (!compared.insert({block[x], block[y]}).second) continue;
        auto assessment = model::assess_duplicate(profiles[block[x]], profiles[block[y]]);
        if (assessment.verdict == model::DuplicateVerdict::different) continue;
        pairs.push_back({members[block[x]].office, members[block[x]].member,
                         members[block[y]].member, std::move(assessment)});
      }
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const DuplicatePair& a, const DuplicatePair& b) {
    if (a.assessment.score != b.assessment.score) return a.assessment.score > b.assessment.score;
    return std::tie(a.office, a.first.id, a.second.id) <
           std::tie(b.office, b.first.id, b.second.id);
  });
  return pairs;
}

std::string duplicates_csv(const std::vector<DuplicatePair>& pairs) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row({"office", "verdict", "score", "reasons", "first_id", "first_reference_code",
              "first_name", "second_id", "second_reference_code", "second_name"});
  for (const auto& p : pairs) {
    writer.row({p.office, std::string(model::duplicate_verdict_name(p.assessment.verdict)),
                std::to_string(p.assessment.score), reasons_text(p.assessment, ';'), p.first.id,
                p.first.reference_code, p.first.display_name(), p.second.id,
                p.second.reference_code, p.second.display_name()});
  }
  return std::move(out).str();
}

std::string duplicates_json(const std::vector<DuplicatePair>& pairs) {
  auto member_json = [](const model::Member& m) {
    return util::cat("{\"id\":", protocol::json_string(m.id),
                     ",\"reference_code\":", protocol::json_string(m.reference_code),
                     ",\"name\":", protocol::json_string(m.display_name()), "}");
  };
  std::string out = "[";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const DuplicatePair& p = pairs[i];
    std::string reasons;
    for (const auto s : p.assessment.reasons) {
      if (!reasons.empty()) reasons += ",";
      reasons += protocol::json_string(model::duplicate_signal_name(s));
    }
    out += i == 0 ? "\n  " : ",\n  ";
    out += util::cat(
        "{\"office\":", protocol::json_string(p.office),
        ",\"verdict\":", protocol::json_string(model::duplicate_verdict_name(p.assessment.verdict)),
        ",\"score\":", p.assessment.score, ",\"reasons\":[", reasons,
        "],\"first\":", member_json(p.first), ",\"second\":", member_json(p.second), "}");
  }
  out += pairs.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace alliance::central
