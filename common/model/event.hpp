// Training events and webinars, and the attendance recorded at them.
#pragma once

#include <string>

namespace alliance::model {

enum class EventKind { training, webinar };

struct TrainingEvent {
  std::string id;  // UUIDv7
  EventKind kind = EventKind::training;
  std::string name;
  std::string place;
  std::string country;     // ISO 3166-1 alpha-2; the default country for phone numbers
  std::string start_date;  // YYYY-MM-DD
  std::string end_date;    // YYYY-MM-DD, on or after start_date
  std::string organiser;
  std::string office;  // regional office that runs it
  std::string hlc;
  std::string updated_at;
  bool voided = false;
};

// One member present at one event on one day; registering counts as the
// first day's check-in. (member, event, day) is unique.
struct Attendance {
  std::string id;  // UUIDv7
  std::string member_id;
  std::string event_id;
  std::string day;            // YYYY-MM-DD, local date at the desk
  std::string checked_in_at;  // ISO-8601 UTC
  std::string hlc;
  bool voided = false;
};

}  // namespace alliance::model
