// Owner-only new files: a private temporary file, fsync, then a no-replace rename.
#include "common/util/private_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/util/strings.hpp"
#include "common/util/uuid.hpp"

namespace alliance::util {
namespace {

// Closes a descriptor and, unless kept, removes the temporary file it names.
class TemporaryFile {
 public:
  TemporaryFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TemporaryFile() {
    close();
    if (!kept_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int close() {
    const int rc = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return rc;
  }
  void keep() { kept_ = true; }

 private:
  int fd_;
  std::string path_;
  bool kept_ = false;
};

std::string reason() {
  return std::strerror(errno);
}

std::unexpected<FileWriteError> failure(std::string message) {
  return std::unexpected(FileWriteError{.exists = false, .message = std::move(message)});
}

std::unexpected<FileWriteError> already_there(const std::string& target) {
  return std::unexpected(FileWriteError{
      .exists = true,
      .message = format("{} already exists; exports never overwrite a file: choose another name "
                        "or move the old file away",
                        target)});
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool unsupported(int error) {
  return error == EINVAL || error == ENOSYS || error == ENOTSUP || error == EOPNOTSUPP ||
         error == EPERM;
}

// Gives the finished temporary file its final name without replacing anything.
std::expected<void, FileWriteError> link_into_place(TemporaryFile& temp,
                                                    const std::string& target) {
  if (::renameat2(AT_FDCWD, temp.path().c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    temp.keep();
    return {};
  }
  if (errno == EEXIST) return already_there(target);
  if (!unsupported(errno)) return failure(format("cannot create {}: {}", target, reason()));
  // File systems without RENAME_NOREPLACE: a hard link also refuses an
  // existing name and does not follow a link at it.
  if (::link(temp.path().c_str(), target.c_str()) == 0) return {};  // temp is unlinked on return
  if (errno == EEXIST) return already_there(target);
  return failure(
      format("cannot create {}: {} (the folder's file system supports neither "
             "no-replace renames nor hard links; choose a folder on another drive)",
             target, reason()));
}

enum class Existing { refuse, replace };

std::expected<void, FileWriteError> write_private(const std::filesystem::path& path,
                                                  std::string_view contents, Existing existing) {
  const std::string target = path.string();
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (path.filename().empty()) return failure(format("{} names a folder, not a file", target));
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (existing == Existing::refuse) return already_there(target);
    if (S_ISDIR(st.st_mode)) return failure(format("{} is a folder, not a file", target));
  }
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return failure(
        format("the folder {} does not exist; create it or choose another", folder.string()));
  }

  const std::string temp_path =
      (folder / cat(".", path.filename().string(), ".", new_uuid_v7(), ".tmp")).string();
  const int fd =
      ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return failure(format("cannot create a file in {}: {}", folder.string(), reason()));
  TemporaryFile temp(fd, temp_path);
  // The umask can only take bits away from 0600, but say it exactly anyway.
  if (::fchmod(temp.fd(), 0600) != 0) {
    return failure(format("cannot make {} private: {}", temp_path, reason()));
  }
  if (!write_all(temp.fd(), contents)) {
    return failure(format("writing {} failed: {} (disk full?)", target, reason()));
  }
  if (::fsync(temp.fd()) != 0 || temp.close() != 0) {
    return failure(format("writing {} failed: {} (disk full or removed?)", target, reason()));
  }
  if (existing == Existing::replace) {
    // rename() replaces the name itself: a symbolic link there is replaced, never followed.
    if (::rename(temp.path().c_str(), target.c_str()) != 0) {
      return failure(format("cannot write {}: {}", target, reason()));
    }
    temp.keep();
  } else if (auto placed = link_into_place(temp, target); !placed) {
    return placed;
  }
  // The new name itself survives a power cut once the folder is on disk.
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace

std::expected<void, FileWriteError> write_new_private_file(const std::filesystem::path& path,
                                                           std::string_view contents) {
  return write_private(path, contents, Existing::refuse);
}

std::expected<void, FileWriteError> write_private_file(const std::filesystem::path& path,
                                                       std::string_view contents) {
  return write_private(path, contents, Existing::replace);
}

}  // namespace alliance::util
