// Address parsing, ranges and the X-Forwarded-For walk behind trusted proxies.
#include "central/http/client_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// More hops than any real chain of proxies; a longer header is not walked further.
constexpr int kMaxForwardedHops = 32;

bool is_v4_mapped(const std::array<std::uint8_t, 16>& bytes) {
  for (int i = 0; i < 10; ++i) {
    if (bytes[static_cast<std::size_t>(i)] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  text = util::trim_blanks(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  // A zone ("fe80::1%eth0") does not change which host it is.
  text = text.substr(0, text.find('%'));
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string zero_terminated(text);
  IpAddress address;
  in_addr v4{};
  if (inet_pton(AF_INET, zero_terminated.c_str(), &v4) == 1) {
    address.bytes[10] = 0xff;
    address.bytes[11] = 0xff;
    std::memcpy(address.bytes.data() + 12, &v4, 4);
    return address;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, zero_terminated.c_str(), &v6) == 1) {
    std::memcpy(address.bytes.data(), &v6, 16);
    return address;
  }
  return std::nullopt;
}

bool IpAddress::is_v4() const {
  return is_v4_mapped(bytes);
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

std::expected<AddressRange, std::string> AddressRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) {
    return std::unexpected(util::cat("'", text, "' is not an IP address or ADDR/PREFIX"));
  }
  const int width = address->is_v4() ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || bits < 0 ||
        bits > width) {
      return std::unexpected(util::format("'{}': the prefix length must be 0 to {}", text, width));
    }
  }
  return AddressRange{.network = *address, .prefix_bits = bits + (128 - width)};
}

bool AddressRange::contains(const IpAddress& address) const {
  int left = prefix_bits;
  for (std::size_t i = 0; i < 16 && left > 0; ++i, left -= 8) {
    const int take = left >= 8 ? 8 : left;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
    if ((address.bytes[i] & mask) != (network.bytes[i] & mask)) return false;
  }
  return true;
}

std::expected<TrustedProxies, std::string> TrustedProxies::parse(
    const std::vector<std::string>& specs) {
  TrustedProxies proxies;
  for (const auto& spec : specs) {
    auto range = AddressRange::parse(spec);
    if (!range) return std::unexpected(range.error());
    proxies.ranges_.push_back(*range);
  }
  return proxies;
}

bool TrustedProxies::trusts(const IpAddress& address) const {
  for (const auto& range : ranges_) {
    if (range.contains(address)) return true;
  }
  return false;
}

bool TrustedProxies::trusts(std::string_view address) const {
  const auto parsed = IpAddress::parse(address);
  return parsed && trusts(*parsed);
}

std::string TrustedProxies::client_address(std::string_view peer,
                                           std::string_view forwarded_for) const {
  const auto peer_address = IpAddress::parse(peer);
  if (!peer_address) return std::string(peer);
  if (!trusts(*peer_address)) return peer_address->to_string();
  IpAddress client = *peer_address;
  // Right to left: each hop was added by the proxy to its right, so only the
  // hops up to the first untrusted one are vouched for.
  std::string_view rest = forwarded_for;
  for (int hop = 0; hop < kMaxForwardedHops && !util::trim_blanks(rest).empty(); ++hop) {
    const auto comma = rest.rfind(',');
    const auto entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    const auto address = IpAddress::parse(entry);
    if (!address) break;
    client = *address;
    if (!trusts(client)) break;
  }
  return client.to_string();
}

}  // namespace alliance::central
