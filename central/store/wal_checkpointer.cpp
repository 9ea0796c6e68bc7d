#include "central/store/wal_checkpointer.hpp"

#include <pthread.h>
#include <signal.h>

#include <utility>

#include "central/store/prepare_pool.hpp"
#include "common/store/file_health.hpp"
#include "common/util/log.hpp"

namespace alliance::central::sql {

namespace {

// Blocks every signal in this thread while it lives, so a thread started
// meanwhile takes no process signal: SIGTERM landing on the checkpointer's
// thread would end `serve` with its default action instead of a clean stop.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous_);
  }
  ~AllSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t previous_{};
};

}  // namespace

WalCheckpointer::WalCheckpointer(store::Database& writer, const std::filesystem::path& path,
                                 WalCheckpointOptions options)
    : writer_(writer), own_(store::Database::open(path)), options_(options) {
  {
    const AllSignalsBlocked blocked;
    thread_ = std::thread([this] { run(); });
  }
  // The hook replaces SQLite's automatic checkpoint on the writer.
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_wal_autocheckpoint(writer_.handle(), store::kWalAutocheckpointPages);
}

long WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

int WalCheckpointer::log_pages() const {
  std::lock_guard lock(mutex_);
  return log_pages_;
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (wal_pages >= checkpointer.options_.writer_pages) {
    // Busy (the thread is copying) is fine: the log is checkpointed either way.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  bool start = false;
  {
    std::lock_guard lock(checkpointer.mutex_);
    checkpointer.log_pages_ = wal_pages;
    start = wal_pages >= checkpointer.options_.start_pages;
    checkpointer.wanted_ = checkpointer.wanted_ || start;
  }
  if (start) checkpointer.wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  // Copying the log can wait; the writer appending to it cannot.
  lower_this_thread_priority(kYieldingNice);
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || wanted_; });
    if (stopping_) return;
    // A commit during the copy asks again: the log may then only be copied
    // up to where it was when the copy began.
    wanted_ = false;
    lock.unlock();
    const int rc = sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    const int primary = rc & 0xff;
    if (primary != SQLITE_OK && primary != SQLITE_BUSY && primary != SQLITE_LOCKED) {
      // The writer's own checkpoint at writer_pages still bounds the log.
      log::warn("wal_checkpoint_failed", {{"reason", log::Text(sqlite3_errmsg(own_.handle()))}});
    }
    lock.lock();
    if (rc == SQLITE_OK) ++checkpoints_;
  }
}

}  // namespace alliance::central::sql
