// The duplicate rule (duplicates.hpp).
#include "common/model/duplicates.hpp"

#include "common/model/text.hpp"

namespace alliance::model {

std::optional<DuplicateReason> duplicate_reason(const Member& typed, const Member& existing) {
  if (existing.voided || (!typed.id.empty() && typed.id == existing.id)) return std::nullopt;
  if (!typed.phone.empty() && typed.phone == existing.phone) return DuplicateReason::phone;
  if (!typed.email.empty() && typed.email == existing.email) return DuplicateReason::email;
  const std::string name = typed.display_name();
  if (!name.empty() && fold_for_search(existing.display_name()) == fold_for_search(name) &&
      fold_for_search(existing.organisation) == fold_for_search(typed.organisation)) {
    return DuplicateReason::name_and_organisation;
  }
  return std::nullopt;
}

}  // namespace alliance::model
