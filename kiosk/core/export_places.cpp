// Removable drives and folders for the export screen (export_places.hpp).
#include "kiosk/core/export_places.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace alliance::kiosk {

namespace fs = std::filesystem;

namespace {

// /proc/self/mounts writes space, tab, newline and backslash as \040 and so on.
std::string decode_mount_field(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    const bool octal = field[i] == '\\' && i + 3 < field.size() &&
                       std::all_of(field.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                   field.begin() + static_cast<std::ptrdiff_t>(i) + 4,
                                   [](char c) { return c >= '0' && c <= '7'; });
    if (octal) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

bool under(const fs::path& path, const fs::path& root) {
  const fs::path relative = path.lexically_normal().lexically_relative(root.lexically_normal());
  return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

}  // namespace

std::vector<fs::path> default_removable_roots() {
  return {"/media", "/run/media"};
}

std::vector<std::string> removable_drives(std::string_view mounts_text,
                                          const std::vector<fs::path>& roots) {
  std::vector<std::string> drives;
  std::istringstream lines{std::string(mounts_text)};
  std::string line;
  while (std::getline(lines, line)) {
    // device mount-point type options dump pass
    std::istringstream fields(line);
    std::string device, mount_point;
    if (!(fields >> device >> mount_point)) continue;
    const fs::path point = decode_mount_field(mount_point);
    if (std::ranges::any_of(roots, [&](const fs::path& root) { return under(point, root); })) {
      drives.push_back(point.lexically_normal().string());
    }
  }
  // Folders a desktop made for drives (USER/LABEL), mounted or listed only.
  for (const fs::path& root : roots) {
    for (const std::string& user : subfolders(root)) {
      for (const std::string& label : subfolders(root / user)) {
        drives.push_back((root / user / label).lexically_normal().string());
      }
    }
  }
  std::ranges::sort(drives);
  drives.erase(std::unique(drives.begin(), drives.end()), drives.end());
  return drives;
}

std::vector<std::string> removable_drives() {
  std::ifstream mounts("/proc/self/mounts");
  std::ostringstream text;
  text << mounts.rdbuf();
  return removable_drives(text.str(), default_removable_roots());
}

std::vector<std::string> subfolders(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    std::error_code type_ec;
    if (!it->is_directory(type_ec) || type_ec) continue;
    names.push_back(name);
    if (names.size() >= kMostSubfolders) break;
  }
  std::ranges::sort(names);
  return names;
}

}  // namespace alliance::kiosk
