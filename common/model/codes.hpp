// Stable code lists and the string forms of the model's enums.
//
// Codes are what is stored and sent on the wire; labels are looked up in the
// i18n tables under "code.<list>.<code>", so adding a language never touches
// stored data.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"

namespace alliance::model {

std::span<const std::string_view> gender_codes();
std::span<const std::string_view> organisation_type_codes();
std::span<const std::string_view> role_codes();
std::span<const std::string_view> qualification_codes();
std::span<const std::string_view> interest_group_codes();
std::span<const std::string_view> language_codes();  // UI languages: en, fr, pt, es

bool is_code_in(std::span<const std::string_view> list, std::string_view code);

std::string_view to_string(MemberKind v);
std::string_view to_string(EventKind v);
std::string_view to_string(PackFormat v);
std::string_view to_string(DeliveryPreference v);
std::string_view to_string(RequestStatus v);

std::optional<MemberKind> member_kind_from(std::string_view s);
std::optional<EventKind> event_kind_from(std::string_view s);
std::optional<PackFormat> pack_format_from(std::string_view s);
std::optional<DeliveryPreference> delivery_from(std::string_view s);
std::optional<RequestStatus> request_status_from(std::string_view s);

}  // namespace alliance::model
