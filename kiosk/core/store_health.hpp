// What the kiosk knows about its database file, as plain data for the screens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace alliance::kiosk {

enum class StoreProblem {
  none,
  deleted,    // the file at the path is gone: writes would go to an orphan
  replaced,   // another file (another inode) is at the path now
  read_only,  // the mode bits or the mount no longer allow writing
  damaged,    // failed its integrity check (or could not be read) at start
  disk_low,   // less free space than new records need (store::kLowSpaceBytes)
  missing,    // at start: the file a marker says existed is gone (database_marker.hpp)
};

struct StoreHealth {
  StoreProblem problem = StoreProblem::none;
  std::string file;    // the database path, shown to staff
  std::string detail;  // the store's own message (English), for staff and the log
  std::optional<std::uint64_t> free_bytes;  // on the file's disk, when known
  bool space_warning = false;               // below store::kSpaceWarningBytes

  bool accepting() const { return problem == StoreProblem::none; }
  bool operator==(const StoreHealth&) const = default;
};

// The i18n key of the staff message for a problem ("store.problem.deleted").
std::string problem_key(StoreProblem problem);

}  // namespace alliance::kiosk
