// Which address a request comes from: the peer, or, when the peer is a trusted
// reverse proxy, the right-most X-Forwarded-For hop that is not one.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::central {

// An IPv4 or IPv6 address; IPv4 is held as an IPv4-mapped IPv6 address so
// that "::ffff:10.0.0.1" (a dual-stack peer) and "10.0.0.1" are the same.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  // "10.0.0.1", "::1", "[::1]"; nullopt if it is not an address.
  static std::optional<IpAddress> parse(std::string_view text);
  bool is_v4() const;
  // Dotted quad for IPv4, RFC 5952 text for IPv6.
  std::string to_string() const;
  bool operator==(const IpAddress&) const = default;
};

// An address with a prefix length: "10.0.0.0/8", "fd00::/8", "192.0.2.7".
struct AddressRange {
  IpAddress network;
  int prefix_bits = 128;  // over the 128-bit (mapped) form

  static std::expected<AddressRange, std::string> parse(std::string_view text);
  bool contains(const IpAddress& address) const;
};

// The reverse proxies whose X-Forwarded-For is believed. Empty: none is.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Each spec is "ADDR" or "ADDR/PREFIX"; the error names the bad one.
  static std::expected<TrustedProxies, std::string> parse(const std::vector<std::string>& specs);

  bool empty() const { return ranges_.empty(); }
  bool trusts(std::string_view address) const;

  // The client a request is counted against: `peer` itself unless the peer
  // is trusted; then the right-most X-Forwarded-For hop that is not a trusted
  // proxy (a forged hop further left is never reached). `forwarded_for` is
  // every X-Forwarded-For line joined with ','. A hop that is not an address
  // stops the walk at the last good one.
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;

 private:
  bool trusts(const IpAddress& address) const;
  std::vector<AddressRange> ranges_;
};

}  // namespace alliance::central
