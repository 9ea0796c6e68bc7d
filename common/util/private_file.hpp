// Files for personal data (exports, bundles): owner-only, complete or absent,
// never written through a symbolic link.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace alliance::util {

struct FileWriteError {
  bool exists = false;  // something (a file, a folder, a symbolic link) is at the path
  std::string message;  // names the path and what to do
};

// Creates the file `path` holding `contents`, mode 0600 whatever the umask.
// The bytes go to a new temporary file in the same folder (opened with
// O_CREAT|O_EXCL|O_NOFOLLOW, so it cannot be a link someone planted), are
// flushed to disk, and the file is then linked to `path` only if nothing is
// there (renameat2 RENAME_NOREPLACE, or link() where the file system lacks it):
// an existing file or symbolic link at `path` is refused (exists = true), never
// followed or replaced, and after a crash `path` is either absent or complete.
// A symbolic link to a folder higher up is followed as usual: the person chose
// that folder.
std::expected<void, FileWriteError> write_new_private_file(const std::filesystem::path& path,
                                                           std::string_view contents);

// The same, except that a file already at `path` is replaced (atomically: a
// reader sees the old file or the new one, never a part). A folder there is
// refused. For files a program writes again and again (answer bundles).
std::expected<void, FileWriteError> write_private_file(const std::filesystem::path& path,
                                                       std::string_view contents);

}  // namespace alliance::util
