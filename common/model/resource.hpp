// Resource packs (the catalogue) and the requests members and organisations make for them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace alliance::model {

enum class PackFormat { print, digital };

struct OfficeStock {
  std::string office;
  int quantity = 0;
};

struct ResourcePack {
  std::string id;  // catalogue id, e.g. "CP-TOOLKIT-01"
  std::string title;
  std::vector<std::string> languages;  // ISO 639-1 codes
  PackFormat format = PackFormat::print;
  std::vector<OfficeStock> stock;  // one entry per office
  std::string hlc;
  std::string updated_at;
  bool retired = false;

  int stock_at(std::string_view office) const;
};

enum class DeliveryPreference { pickup, delivery, digital_link };

// Lifecycle: requested -> approved -> ready | dispatched -> delivered, or
// cancelled. Steps may be skipped forward (a desk can hand a pack out at once),
// never backwards; a delivered request cannot be cancelled by an action, but
// when two devices disagree, cancelled wins (see merge_status).
enum class RequestStatus { requested, approved, ready, dispatched, delivered, cancelled };

struct RequestLine {
  std::string pack_id;
  int quantity = 1;
};

struct StatusTransition {
  RequestStatus status = RequestStatus::requested;
  std::string actor;  // staff name or device id that made the change
  std::string at;     // ISO-8601 UTC
};

struct ResourceRequest {
  std::string id;  // UUIDv7
  std::string reference_code;
  std::string member_id;          // the requesting member, or empty for an organisation
  std::string organisation_name;  // requesting organisation when member_id is empty
  std::string contact_name;
  std::string contact_phone;  // E.164
  std::string contact_email;
  std::vector<RequestLine> lines;
  DeliveryPreference delivery = DeliveryPreference::pickup;
  std::string delivery_address;  // required for delivery
  std::string office;            // regional office the request is routed to
  std::string event_id;          // where it was taken, if at a training
  RequestStatus status = RequestStatus::requested;
  std::vector<StatusTransition> transitions;  // oldest first; the first is "requested"
  std::string received_by;                    // who collected the packs, when delivered
  std::string created_at;
  std::string updated_at;
  std::string hlc;
};

// Rank in the lifecycle; a status may only move to a higher rank.
int status_rank(RequestStatus status);
// Whether a person may move a request from `from` to `to` by an action.
bool can_transition(RequestStatus from, RequestStatus to);
// Statuses a device (a kiosk's desk) may set: cancelled, and delivered when
// the packs are handed out; a new request starts as requested. Approving,
// preparing and dispatching are the regional office's decisions, made
// centrally, and the server refuses them from a device.
bool device_may_set(RequestStatus to);
// can_transition(from, to) for a device: only to a status device_may_set allows.
bool device_may_transition(RequestStatus from, RequestStatus to);
// Deterministic merge of two devices' views: cancelled wins, otherwise the
// furthest status along the lifecycle.
RequestStatus merge_status(RequestStatus a, RequestStatus b);

}  // namespace alliance::model
