// Store: registering a list of members at once, all or nothing.
#include <chrono>

#include "common/store/store.hpp"
#include "common/util/time.hpp"

namespace alliance::store {

std::expected<std::vector<model::Member>, std::vector<RowErrors>> Store::register_members(
    std::vector<model::Member> drafts, const model::ValidationContext& context) {
  // Validate everything before taking the write lock, so a bad file never
  // holds up the agent and never leaves half a list behind.
  std::vector<RowErrors> problems;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    auto errors = model::normalize_and_validate(drafts[i], context);
    if (!errors.empty()) problems.push_back({i, std::move(errors)});
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));

  std::vector<model::Member> saved;
  if (drafts.empty()) return saved;
  saved.reserve(drafts.size());
  Transaction tx(db_);
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  for (auto& draft : drafts) saved.push_back(insert_new_member(std::move(draft), {}, now));
  tx.commit();
  return saved;
}

}  // namespace alliance::store
