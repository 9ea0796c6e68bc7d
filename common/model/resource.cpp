// Stock look-up and the request status lifecycle rules.
#include "common/model/resource.hpp"

#include <algorithm>
#include <string_view>

namespace alliance::model {

int ResourcePack::stock_at(std::string_view office) const {
  const auto it = std::find_if(stock.begin(), stock.end(),
                               [office](const OfficeStock& s) { return s.office == office; });
  return it == stock.end() ? 0 : it->quantity;
}

int status_rank(RequestStatus status) {
  switch (status) {
    case RequestStatus::requested:
      return 0;
    case RequestStatus::approved:
      return 1;
    case RequestStatus::ready:
      return 2;
    case RequestStatus::dispatched:
      return 3;
    case RequestStatus::delivered:
      return 4;
    case RequestStatus::cancelled:
      // Highest, so that a merge by rank lets cancelled win.
      return 5;
  }
  return 0;
}

bool can_transition(RequestStatus from, RequestStatus to) {
  // Packs that reached someone cannot be un-delivered by a click, and a
  // cancelled request stays cancelled; a new request is the way back.
  if (from == RequestStatus::delivered || from == RequestStatus::cancelled) return false;
  if (to == RequestStatus::cancelled) return true;
  return status_rank(to) > status_rank(from);
}

bool device_may_set(RequestStatus to) {
  return to == RequestStatus::cancelled || to == RequestStatus::delivered;
}

bool device_may_transition(RequestStatus from, RequestStatus to) {
  return device_may_set(to) && can_transition(from, to);
}

RequestStatus merge_status(RequestStatus a, RequestStatus b) {
  if (a == RequestStatus::cancelled || b == RequestStatus::cancelled) {
    return RequestStatus::cancelled;
  }
  return status_rank(a) >= status_rank(b) ? a : b;
}

}  // namespace alliance::model
