// duplicates: possible duplicate members across devices, found by the one duplicate rule.
#pragma once

#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/model/duplicates.hpp"
#include "common/model/member.hpp"

namespace alliance::central {

// Two members of one office the rule calls possible or likely
// (model::assess_duplicate), likeliest first.
struct DuplicatePair {
  std::string office;
  model::Member first, second;
  model::DuplicateAssessment assessment;
};

// Compares only members that share a blocking key
// (model::duplicate_blocking_keys) within one office, never all pairs;
// voided members are left out. Each pair is listed once.
std::vector<DuplicatePair> find_duplicate_pairs(const std::vector<OfficeMember>& members);

// CSV (header row; reasons joined by ';') and JSON (an array) forms of the list.
std::string duplicates_csv(const std::vector<DuplicatePair>& pairs);
std::string duplicates_json(const std::vector<DuplicatePair>& pairs);

}  // namespace alliance::central
