// The kiosk's watch on its database file, and which intents it stops.
#include "kiosk/core/store_watch.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <type_traits>
#include <variant>

#include "common/store/file_health.hpp"
#include "common/util/log.hpp"

namespace alliance::kiosk {

std::string problem_key(StoreProblem problem) {
  switch (problem) {
    case StoreProblem::none:
      return "";
    case StoreProblem::deleted:
      return "store.problem.deleted";
    case StoreProblem::replaced:
      return "store.problem.replaced";
    case StoreProblem::read_only:
      return "store.problem.read_only";
    case StoreProblem::damaged:
      return "store.problem.damaged";
    case StoreProblem::disk_low:
      return "store.problem.disk_low";
    case StoreProblem::missing:
      return "store.problem.missing";
  }
  return "";
}

StoreWatch::StoreWatch(store::Store& store) : store_(store) {
  health_.file = store_.db().path().string();
}

void StoreWatch::refuse(StoreProblem problem, std::string file, std::string detail) {
  refused_ = true;
  health_.problem = problem;
  health_.file = std::move(file);
  health_.detail = std::move(detail);
}

const StoreHealth& StoreWatch::check() {
  if (refused_) return health_;
  const auto& path = store_.db().path();
  StoreHealth now;
  now.file = path.string();
  now.free_bytes = store::free_space(path);
  now.space_warning = now.free_bytes && *now.free_bytes < store::kSpaceWarningBytes;
  struct stat st {};
  struct statvfs fs {};
  if (::stat(path.c_str(), &st) != 0) {
    now.problem = StoreProblem::deleted;
  } else if (store_.db().has_moved()) {
    now.problem = StoreProblem::replaced;
  } else if (!store::mode_allows_writing(st) ||
             (::statvfs(path.parent_path().empty() ? "." : path.parent_path().c_str(), &fs) == 0 &&
              (fs.f_flag & ST_RDONLY) != 0)) {
    now.problem = StoreProblem::read_only;
  } else if (now.free_bytes && *now.free_bytes < store::kLowSpaceBytes) {
    now.problem = StoreProblem::disk_low;
  }
  if (now.problem != health_.problem && now.problem != StoreProblem::none) {
    log::error("kiosk.store_problem", {{"problem", log::Text(problem_key(now.problem))}});
  }
  health_ = std::move(now);
  return health_;
}

bool StoreWatch::blocks(const Intent& intent) {
  const bool writes = std::visit(
      [](const auto& i) {
        using T = std::decay_t<decltype(i)>;
        return std::is_same_v<T, intent::StartRegistration> || std::is_same_v<T, intent::Save> ||
               std::is_same_v<T, intent::ThisIsMe> || std::is_same_v<T, intent::NotMe> ||
               std::is_same_v<T, intent::StartCheckIn> ||
               std::is_same_v<T, intent::ConfirmCheckIn> ||
               std::is_same_v<T, intent::StartRequest> ||
               std::is_same_v<T, intent::SubmitRequest> || std::is_same_v<T, intent::CreateEvent> ||
               std::is_same_v<T, intent::SaveMemberEdit> || std::is_same_v<T, intent::VoidMember> ||
               std::is_same_v<T, intent::VoidAttendance> ||
               std::is_same_v<T, intent::ConfirmVoid> || std::is_same_v<T, intent::RestoreVoided> ||
               std::is_same_v<T, intent::MarkRequest>;
      },
      intent);
  return writes && !check().accepting();
}

}  // namespace alliance::kiosk
