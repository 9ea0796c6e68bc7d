// Watches the kiosk's database file: deleted, replaced, made read-only,
// damaged at start, or short of disk space. While any holds, the kiosk
// takes no new records and says why; the store itself refuses to commit
// into a file that was deleted or replaced (store::Transaction::commit).
#pragma once

#include <string>

#include "common/store/store.hpp"
#include "kiosk/core/intents.hpp"
#include "kiosk/core/store_health.hpp"

namespace alliance::kiosk {

class StoreWatch {
 public:
  // store must outlive the watch.
  explicit StoreWatch(store::Store& store);

  // A problem found when the kiosk started (the file failed its integrity
  // check or is not writable): reported from then on, whatever check() sees.
  void refuse(StoreProblem problem, std::string file, std::string detail);

  // Looks at the file now: SQLITE_FCNTL_HAS_MOVED (deleted or replaced), the
  // mode bits (root ignores them, a person does not), free space. A few
  // system calls; the controller calls it about once a second and before
  // every write.
  const StoreHealth& check();
  const StoreHealth& health() const { return health_; }

  // Whether `intent` writes a record, or starts a flow that ends in one,
  // while the file cannot take it (checks the file first).
  bool blocks(const Intent& intent);

 private:
  store::Store& store_;
  StoreHealth health_;
  bool refused_ = false;
};

}  // namespace alliance::kiosk
