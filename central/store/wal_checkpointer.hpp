// Checkpoints a SQLite central's write-ahead log on a thread of its own.
//
// SQLite's automatic checkpoint runs inside the commit that crosses its
// threshold: the copy of the log into the database file and that file's
// fsync then happen while central's single writer holds its lock, and every
// push waits behind them. Here the writer's commits only count the log's
// pages; a thread with its own connection copies them (a PASSIVE checkpoint,
// which never blocks the writer or any reader). A commit is durable once it
// is in the log (synchronous=FULL), so moving the copy changes no guarantee.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "common/store/database.hpp"

namespace alliance::central::sql {

struct WalCheckpointOptions {
  // The thread starts a checkpoint once the log holds this many pages. Pages
  // that many commits rewrite (indexes' inner pages) are then copied once.
  int start_pages = 4096;
  // A log this long is checkpointed by the writer itself, as SQLite would:
  // the bound on the log's size when the thread falls behind (it cannot reset
  // a log that a writer appends to while it copies).
  int writer_pages = 65536;
};

class WalCheckpointer {
 public:
  // Takes over `writer`'s checkpoints (its WAL hook) and opens a connection
  // of its own to `path`. Throws store::StoreError when it cannot.
  WalCheckpointer(store::Database& writer, const std::filesystem::path& path,
                  WalCheckpointOptions options = {});
  // Stops the thread and gives the writer SQLite's own checkpoints back.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints the thread completed, and the pages in the log after the
  // writer's last commit (for tests and benchmarks).
  long checkpoints() const;
  int log_pages() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();

  store::Database& writer_;
  store::Database own_;
  const WalCheckpointOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  int log_pages_ = 0;
  bool wanted_ = false;  // the log reached start_pages since the last checkpoint began
  long checkpoints_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // started by the constructor, once the members above are ready
};

}  // namespace alliance::central::sql
