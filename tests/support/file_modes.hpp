// File modes and SQLite's side files, for tests of the database file.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

namespace alliance::test {

// The permission bits as stat(2) gives them: tests run as root, which passes
// access(2) whatever the mode, so they read the bits.
inline unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) throw std::runtime_error("no file at " + p.string());
  return st.st_mode & 07777;
}

// db + "-wal", db + "-shm", ...
inline std::filesystem::path side_file(const std::filesystem::path& db, const char* suffix) {
  std::filesystem::path p = db;
  p += suffix;
  return p;
}

}  // namespace alliance::test
