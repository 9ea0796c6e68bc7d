// The name staff see for a member in lists and on receipts.
#include "common/model/member.hpp"

#include <string_view>

namespace alliance::model {
namespace {

std::string trimmed(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

std::string Member::display_name() const {
  if (kind == MemberKind::organisation) return trimmed(organisation);
  // An empty given or family name must not leave a stray space behind.
  return trimmed(trimmed(given_name) + " " + trimmed(family_name));
}

}  // namespace alliance::model
