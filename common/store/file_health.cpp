// Checks and repairs of the database file: mode, side files, integrity, a cut WAL, disk space.
#include "common/store/file_health.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/store/database.hpp"
#include "common/util/strings.hpp"

namespace alliance::store {
namespace {

std::string octal_mode(mode_t mode) {
  return util::format("{}{}{}{}", (mode >> 9) & 7, (mode >> 6) & 7, (mode >> 3) & 7, mode & 7);
}

bool in_my_groups(gid_t gid) {
  if (getegid() == gid) return true;
  std::array<gid_t, 256> groups{};
  const int n = getgroups(static_cast<int>(groups.size()), groups.data());
  for (int i = 0; i < n; ++i) {
    if (groups[static_cast<std::size_t>(i)] == gid) return true;
  }
  return false;
}

// "chmod 600 FILE" or "chmod 660 FILE" for the folder's kind (database_file_mode).
std::string chmod_fix(const std::filesystem::path& file, const std::filesystem::path& db_path) {
  // Three digits, as people type it: chmod 600, chmod 660.
  return util::format("chmod {} {}",
                      octal_mode(static_cast<mode_t>(database_file_mode(db_path))).substr(1),
                      file.string());
}

std::uint32_t read_u32(const unsigned char* p) {
  std::uint32_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint32_t read_u32_big_endian(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Reads exactly n bytes from the start of a file; false when it is shorter or unreadable.
bool read_head(const std::filesystem::path& path, unsigned char* out, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
  return in.gcount() == static_cast<std::streamsize>(n);
}

}  // namespace

bool mode_allows_writing(const struct stat& st) {
  const uid_t me = geteuid();
  if (me == st.st_uid) return (st.st_mode & S_IWUSR) != 0;
  if (me == 0) return (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0;
  if (in_my_groups(st.st_gid)) return (st.st_mode & S_IWGRP) != 0;
  return (st.st_mode & S_IWOTH) != 0;
}

void require_writable(const std::filesystem::path& db_path) {
  const std::string file = db_path.string();
  std::filesystem::path folder = db_path.parent_path();
  if (folder.empty()) folder = ".";
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    throw StoreError(SQLITE_READONLY,
                     util::format("{} is on a read-only file system: nothing can be saved. Fix: "
                                  "remount it read-write (or move the database to a writable "
                                  "disk), then start again",
                                  file));
  }
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) {
    const bool writable =
        mode_allows_writing(st) && (geteuid() == 0 || ::access(file.c_str(), W_OK) == 0);
    if (!writable) {
      throw StoreError(SQLITE_READONLY,
                       util::format("{} is not writable (mode {}, owner uid {}): nothing can be "
                                    "saved to it, so this program does not start on it. Fix: {} "
                                    "as the file's owner (and chown it to the user the kiosk and "
                                    "the agent run as), then start again",
                                    file, octal_mode(st.st_mode & 07777), st.st_uid,
                                    chmod_fix(db_path, db_path)));
    }
  }
  struct stat dir {};
  if (::stat(folder.c_str(), &dir) == 0) {
    const bool writable =
        mode_allows_writing(dir) && (geteuid() == 0 || ::access(folder.c_str(), W_OK) == 0);
    if (!writable) {
      throw StoreError(
          SQLITE_READONLY,
          util::format("the folder {} is not writable (mode {}): SQLite keeps its "
                       "-wal and -shm files next to {} and cannot create them. Fix: "
                       "chmod u+w {} (g+w in a shared folder), then start again",
                       folder.string(), octal_mode(dir.st_mode & 07777), file, folder.string()));
    }
  }
}

void repair_side_file_modes(const std::filesystem::path& db_path, bool must) {
  const auto wanted = static_cast<mode_t>(database_file_mode(db_path));
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::path side = db_path;
    side += suffix;
    struct stat st {};
    if (::lstat(side.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if ((st.st_mode & 07777) == wanted) continue;
    if (::chmod(side.c_str(), wanted) == 0) continue;
    if (!must) continue;
    throw StoreError(SQLITE_READONLY,
                     util::format("{} has mode {} instead of {} and cannot be repaired ({}). Fix: "
                                  "{} as its owner, then start again",
                                  side.string(), octal_mode(st.st_mode & 07777), octal_mode(wanted),
                                  std::strerror(errno), chmod_fix(side, db_path)));
  }
}

std::optional<std::string> wal_cut_problem(const std::filesystem::path& db_path) {
  std::filesystem::path wal = db_path;
  wal += "-wal";
  std::filesystem::path shm = db_path;
  shm += "-shm";
  std::error_code ec;
  const auto wal_size = std::filesystem::file_size(wal, ec);
  if (ec || wal_size == 0) return std::nullopt;

  // The wal-index header (SQLite's wal.c): two copies of 48 bytes, native
  // byte order; equal copies are a settled header.
  std::array<unsigned char, 96> index{};
  if (!read_head(shm, index.data(), index.size())) return std::nullopt;
  if (std::memcmp(index.data(), index.data() + 48, 48) != 0) return std::nullopt;
  const unsigned char* hdr = index.data();
  const bool initialised = hdr[12] != 0;
  if (read_u32(hdr) != 3007000 || !initialised) return std::nullopt;
  std::uint16_t page_field = 0;
  std::memcpy(&page_field, hdr + 14, sizeof page_field);
  const std::uint64_t page_size = (page_field & 0xfe00u) + ((page_field & 0x0001u) << 16);
  const std::uint64_t committed_frames = read_u32(hdr + 16);
  if (page_size == 0 || committed_frames == 0) return std::nullopt;

  std::array<unsigned char, 32> wal_header{};
  if (!read_head(wal, wal_header.data(), wal_header.size())) {
    return util::format("its write-ahead log {} is cut short ({} bytes, shorter than its header)",
                        wal.string(), wal_size);
  }
  const std::uint32_t magic = read_u32_big_endian(wal_header.data());
  if (magic != 0x377f0682 && magic != 0x377f0683) return std::nullopt;
  // The index belongs to this log only while their salts agree (a restarted
  // log has new salts).
  if (std::memcmp(wal_header.data() + 16, hdr + 32, 8) != 0) return std::nullopt;
  const std::uint64_t needed = 32 + committed_frames * (page_size + 24);
  if (wal_size >= needed) return std::nullopt;
  return util::format(
      "its write-ahead log {} is cut short: {} bytes, but the committed records it held need {} "
      "bytes ({} pages); saved records are missing",
      wal.string(), wal_size, needed, committed_frames);
}

IntegrityReport check_integrity(Database& db, bool full) {
  IntegrityReport report;
  try {
    auto q = db.query(full ? "PRAGMA integrity_check(100)" : "PRAGMA quick_check(100)");
    while (q.step()) {
      std::string line = q.text(0);
      if (line == "ok") continue;
      report.ok = false;
      report.problems.push_back(std::move(line));
    }
  } catch (const StoreError& e) {
    // A file damaged enough fails the check itself ("database disk image is malformed").
    report.ok = false;
    report.problems.emplace_back(e.what());
  }
  return report;
}

std::string damaged_message(const std::filesystem::path& db_path, const std::string& problem) {
  const std::string file = db_path.string();
  return util::format(
      "{} is damaged ({}); nothing is written to it. Recovery: stop the kiosk and the sync agent, "
      "move {} and its -wal and -shm files aside (keep them: records may be salvaged), then "
      "`alliance-sync restore --db {} BACKUP` with the latest backup and start again; the agent "
      "then re-sends whatever the server does not have (docs/OPERATIONS.md, \"A damaged "
      "database\")",
      file, problem, file, file);
}

std::optional<std::uint64_t> free_space(const std::filesystem::path& db_path) {
  std::filesystem::path folder = db_path.parent_path();
  if (folder.empty()) folder = ".";
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(fs.f_bavail) * static_cast<std::uint64_t>(fs.f_frsize);
}

void refuse_new_records_if_disk_low(const std::filesystem::path& db_path) {
  const auto free = free_space(db_path);
  if (!free || *free >= kLowSpaceBytes) return;
  throw StoreError(SQLITE_FULL,
                   util::format("the disk holding {} is nearly full ({} KB free, {} KB needed "
                                "for new records); nothing was saved. Records already saved are "
                                "safe and keep syncing. Free some space (delete old exports or "
                                "logs) and try again",
                                db_path.string(), *free / 1024, kLowSpaceBytes / 1024));
}

std::filesystem::path reserve_path(const std::filesystem::path& db_path) {
  std::filesystem::path p = db_path;
  p += "-reserve";
  return p;
}

void keep_disk_reserve(const std::filesystem::path& db_path) {
  const auto path = reserve_path(db_path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) return;
  const auto free = free_space(db_path);
  if (!free || *free < kReserveBytes + kLowSpaceBytes) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;
  // Real blocks, not a hole: the point is to hold space that can be given back.
  const bool held = ::posix_fallocate(fd, 0, static_cast<off_t>(kReserveBytes)) == 0;
  ::close(fd);
  if (!held) ::unlink(path.c_str());
}

void with_disk_reserve(const std::filesystem::path& db_path, const std::function<void()>& write) {
  try {
    write();
  } catch (const StoreError& e) {
    if ((e.sqlite_code() & 0xff) != SQLITE_FULL) throw;
    if (::unlink(reserve_path(db_path).c_str()) != 0) throw;
    write();
  }
}

}  // namespace alliance::store
