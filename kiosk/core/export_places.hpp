// Where staff can export to: removable drives the system has mounted, and a
// simple folder browser, so nobody has to type a path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::kiosk {

// Where desktops mount removable drives: /media/USER/LABEL (Debian, Ubuntu)
// and /run/media/USER/LABEL (Fedora and others).
std::vector<std::filesystem::path> default_removable_roots();

// Removable drives, sorted and without repeats: the mount points in
// `mounts_text` (the text of /proc/self/mounts, its \040-style escapes
// decoded) under one of `roots`, and the folders two levels under each root
// (USER/LABEL) that exist.
std::vector<std::string> removable_drives(std::string_view mounts_text,
                                          const std::vector<std::filesystem::path>& roots);
// The same for this machine now: /proc/self/mounts and default_removable_roots().
std::vector<std::string> removable_drives();

// The folders directly in `dir` that can be opened, sorted by name, hidden
// ones (".name") left out; empty when `dir` cannot be read. Bounded: at most
// kMostSubfolders.
inline constexpr std::size_t kMostSubfolders = 500;
std::vector<std::string> subfolders(const std::filesystem::path& dir);

}  // namespace alliance::kiosk
