// Reference-code prefixes: central hands each enrolment one nobody else ever
// had, so codes minted on 1,000 devices without asking central never collide.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/util/reference_code.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace alliance;

namespace {

protocol::EnrollResponse enrol(central::CentralStore& central, int n) {
  const std::string code = central.create_enrolment_code("Nairobi", std::chrono::hours(1));
  auto enrolled = central.enroll({.code = code, .device_name = "Desk " + std::to_string(n)});
  REQUIRE(enrolled.has_value());
  return *enrolled;
}

}  // namespace

TEST_CASE("codes minted on 1,000 enrolled devices never collide") {
  test::TempDir dir;
  auto central = central::CentralStore::open(test::central_db_spec(dir / "central.db"));
  constexpr int kDevices = 1000;
  constexpr int kCodesPerDevice = 2000;

  std::vector<std::string> prefixes;
  for (int d = 0; d < kDevices; ++d) {
    const auto device = enrol(*central, d);
    CAPTURE(device.code_prefix);
    REQUIRE(util::is_allocatable_reference_prefix(device.code_prefix));
    CHECK(central->code_prefixes_of(device.device_id) ==
          std::vector<std::string>{device.code_prefix});
    prefixes.push_back(device.code_prefix);
  }
  CHECK(std::set<std::string>(prefixes.begin(), prefixes.end()).size() == prefixes.size());

  // Each device as Store::unused_reference_code mints: a code of its prefix
  // that its own store does not hold yet.
  std::unordered_set<std::string> everyone;
  everyone.reserve(static_cast<std::size_t>(kDevices * kCodesPerDevice));
  std::size_t collisions = 0;
  std::size_t local_retries = 0;
  for (const std::string& prefix : prefixes) {
    std::unordered_set<std::string> own;
    while (own.size() < kCodesPerDevice) {
      std::string code = util::new_reference_code(prefix);
      if (!own.insert(code).second) {
        ++local_retries;
        continue;
      }
      if (!everyone.insert(std::move(code)).second) ++collisions;
    }
  }
  // What seven random symbols per code (the legacy scheme) would give for
  // the same numbers: n^2 / 2N colliding pairs.
  const double n = double(kDevices) * kCodesPerDevice;
  const double legacy_pairs = n * n / (2.0 * std::pow(31.0, 7));
  MESSAGE(kDevices, " devices x ", kCodesPerDevice, " codes: ", collisions,
          " collisions across devices (", local_retries,
          " local re-draws); seven random symbols would expect ", legacy_pairs, " colliding pairs");
  CHECK(collisions == 0);
  CHECK(everyone.size() == static_cast<std::size_t>(kDevices * kCodesPerDevice));
}

TEST_CASE("a pull that asks hands out a new prefix, at most 16 per device") {
  test::TempDir dir;
  auto central = central::CentralStore::open(test::central_db_spec(dir / "central.db"));
  const auto enrolled = enrol(*central, 1);
  auto device = central->authenticate(enrolled.token);
  REQUIRE(device.has_value());

  // An ordinary pull hands out nothing.
  CHECK(central->pull(*device, 0, 10).code_prefix.empty());

  std::set<std::string> seen = {enrolled.code_prefix};
  for (int i = 1; i < central::kMaxCodePrefixesPerDevice; ++i) {
    const auto page = central->pull(*device, 0, 10, {.new_code_prefix = true});
    CAPTURE(i);
    REQUIRE(util::is_allocatable_reference_prefix(page.code_prefix));
    CHECK(seen.insert(page.code_prefix).second);
  }
  CHECK(central->code_prefixes_of(device->id).size() == central::kMaxCodePrefixesPerDevice);
  // The 17th is refused (the device keeps minting unallocated codes).
  CHECK(central->pull(*device, 0, 10, {.new_code_prefix = true}).code_prefix.empty());
  CHECK(central->code_prefixes_of(device->id).size() == central::kMaxCodePrefixesPerDevice);

  // Another device's prefixes are its own.
  const auto other = enrol(*central, 2);
  CHECK_FALSE(seen.contains(other.code_prefix));
}
