// Who is probably already a member: the rule the kiosk's "Is this you?" uses,
// kept in the domain so central and the importer can apply the same one.
#pragma once

#include <optional>

#include "common/model/member.hpp"

namespace alliance::model {

enum class DuplicateReason { phone, email, name_and_organisation };

// Whether `existing` is probably the person who typed `typed`, and why. Both
// must be normalised (normalize_and_validate): the same E.164 phone, the same
// e-mail, or the same name (by search key, model::fold_for_search) in the same
// organisation. A voided member is never a duplicate, nor is a record itself.
std::optional<DuplicateReason> duplicate_reason(const Member& typed, const Member& existing);

}  // namespace alliance::model
