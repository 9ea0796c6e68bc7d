// The export screen finds removable drives and browses folders, so staff never type a path.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "kiosk/core/export_places.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using namespace alliance::kiosk;

TEST_CASE("removable drives are the mount points under the roots, escapes decoded") {
  test::TempDir dir;
  const auto media = dir / "media";
  const auto run_media = dir / "run" / "media";
  const std::string mounts =
      "sysfs /sys sysfs rw 0 0\n"
      "/dev/sda1 / ext4 rw 0 0\n"
      "/dev/sdb1 " +
      (media / "clerk" / "MY\\040STICK").string() +
      " vfat rw 0 0\n"
      "/dev/sdc1 " +
      (run_media / "clerk" / "BACKUP").string() +
      " exfat rw 0 0\n"
      "/dev/sdd1 " +
      media.string() +
      " ext4 rw 0 0\n"  // the root itself is no drive
      "broken-line\n";
  const auto drives = removable_drives(mounts, {media, run_media});
  REQUIRE(drives.size() == 2);
  CHECK(drives[0] == (media / "clerk" / "MY STICK").string());
  CHECK(drives[1] == (run_media / "clerk" / "BACKUP").string());
  CHECK(removable_drives("/dev/sda1 / ext4 rw 0 0\n", {media, run_media}).empty());
}

TEST_CASE("folders two levels under a root count as drives too, once") {
  test::TempDir dir;
  const auto media = dir / "media";
  std::filesystem::create_directories(media / "clerk" / "STICK");
  std::filesystem::create_directories(media / "clerk" / ".hidden");
  const std::string mounts = "/dev/sdb1 " + (media / "clerk" / "STICK").string() + " vfat rw 0 0\n";
  const auto drives = removable_drives(mounts, {media});
  REQUIRE(drives.size() == 1);
  CHECK(drives[0] == (media / "clerk" / "STICK").string());
}

TEST_CASE("subfolders lists folders only, sorted, without hidden ones") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "b");
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / ".cache");
  { std::ofstream(dir / "file.txt") << "x"; }
  CHECK(subfolders(dir.path()) == std::vector<std::string>{"a", "b"});
  CHECK(subfolders(dir / "no-such-folder").empty());
}
