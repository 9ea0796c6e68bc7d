// The device list operators read: who is enrolled, for which office, when each
// device was last heard from, how far its clock is off and how many changes
// it last said were waiting.
#pragma once

#include <string>
#include <vector>

#include "central/store/central_store.hpp"

namespace alliance::central {

// The longest an enrolment code may be valid (enroll-code --ttl-hours and the
// console's form): 90 days.
inline constexpr int kMaxEnrolmentTtlHours = 24 * 90;

// Column names, in order: id, name, office, hlc_node, app_version,
// enrolled_at, last_contact_at, clock_offset_ms, revoked_at, queue_depth,
// queue_depth_at (the last two added with schema 9, so at the end).
std::string devices_csv(const std::vector<DeviceListing>& devices);
// A JSON array of objects with the same fields; absent values are null.
std::string devices_json(const std::vector<DeviceListing>& devices);

}  // namespace alliance::central
