// The stable code lists and the wire names of the model's enums.
#include "common/model/codes.hpp"

#include <algorithm>
#include <array>

namespace alliance::model {
namespace {

using namespace std::string_view_literals;

constexpr std::array kGenders = {"female"sv, "male"sv, "other"sv, "prefer_not_to_say"sv};

constexpr std::array kOrganisationTypes = {"government"sv,  "ngo"sv,      "community_based"sv,
                                           "faith_based"sv, "academic"sv, "private_sector"sv,
                                           "un_agency"sv,   "donor"sv,    "other"sv};

constexpr std::array kRoles = {"social_worker"sv,
                               "para_professional"sv,
                               "case_manager"sv,
                               "child_protection_officer"sv,
                               "supervisor"sv,
                               "educator"sv,
                               "community_volunteer"sv,
                               "manager"sv,
                               "policy_maker"sv,
                               "researcher"sv,
                               "other"sv};

constexpr std::array kQualifications = {"none"sv,     "secondary"sv, "certificate"sv, "diploma"sv,
                                        "bachelor"sv, "master"sv,    "doctorate"sv,   "other"sv};

constexpr std::array kInterestGroups = {"child_protection"sv,     "case_management"sv,
                                        "workforce_planning"sv,   "supervision"sv,
                                        "education_training"sv,   "psychosocial_support"sv,
                                        "disability_inclusion"sv, "gender_based_violence"sv,
                                        "family_strengthening"sv, "social_protection"sv};

constexpr std::array kLanguages = {"en"sv, "fr"sv, "pt"sv, "es"sv};

// Enum names in declaration order, so the enum's value indexes its name.
constexpr std::array kMemberKinds = {"individual"sv, "organisation"sv};
constexpr std::array kEventKinds = {"training"sv, "webinar"sv};
constexpr std::array kPackFormats = {"print"sv, "digital"sv};
constexpr std::array kDeliveries = {"pickup"sv, "delivery"sv, "digital_link"sv};
constexpr std::array kRequestStatuses = {"requested"sv,  "approved"sv,  "ready"sv,
                                         "dispatched"sv, "delivered"sv, "cancelled"sv};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view{};
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::span<const std::string_view> gender_codes() {
  return kGenders;
}
std::span<const std::string_view> organisation_type_codes() {
  return kOrganisationTypes;
}
std::span<const std::string_view> role_codes() {
  return kRoles;
}
std::span<const std::string_view> qualification_codes() {
  return kQualifications;
}
std::span<const std::string_view> interest_group_codes() {
  return kInterestGroups;
}
std::span<const std::string_view> language_codes() {
  return kLanguages;
}

bool is_code_in(std::span<const std::string_view> list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

std::string_view to_string(MemberKind v) {
  return name_of(kMemberKinds, v);
}
std::string_view to_string(EventKind v) {
  return name_of(kEventKinds, v);
}
std::string_view to_string(PackFormat v) {
  return name_of(kPackFormats, v);
}
std::string_view to_string(DeliveryPreference v) {
  return name_of(kDeliveries, v);
}
std::string_view to_string(RequestStatus v) {
  return name_of(kRequestStatuses, v);
}

std::optional<MemberKind> member_kind_from(std::string_view s) {
  return parse<MemberKind>(kMemberKinds, s);
}
std::optional<EventKind> event_kind_from(std::string_view s) {
  return parse<EventKind>(kEventKinds, s);
}
std::optional<PackFormat> pack_format_from(std::string_view s) {
  return parse<PackFormat>(kPackFormats, s);
}
std::optional<DeliveryPreference> delivery_from(std::string_view s) {
  return parse<DeliveryPreference>(kDeliveries, s);
}
std::optional<RequestStatus> request_status_from(std::string_view s) {
  return parse<RequestStatus>(kRequestStatuses, s);
}

}  // namespace alliance::model
