// The controller's request flow: who asks (a member or an organisation),
// which resource packs, how they are delivered.
#include "kiosk/core/controller.hpp"

#include <algorithm>

#include "common/model/text.hpp"
#include "common/util/log.hpp"
#include "kiosk/core/controller_shared.hpp"

namespace alliance::kiosk {

void Controller::choose_packs() {
  const auto& r = state_.request;
  state_.field_errors.clear();
  if (!r.for_organisation && r.member_id.empty()) {
    state_.field_errors.emplace("member_id", FieldMessage{"request.requester.required"});
  }
  if (r.for_organisation && model::collapse_whitespace(r.organisation_name).empty()) {
    state_.field_errors.emplace("organisation_name", FieldMessage{"request.requester.required"});
  }
  changed();
  if (!state_.field_errors.empty()) return;
  refresh_catalogue();
  go(Screen::request_packs);
}

void Controller::refresh_catalogue() {
  try {
    state_.catalogue = store_.list_packs();
  } catch (const std::exception& e) {
    store_error(e);
  }
  changed();
}

void Controller::on(const intent::StartRequest&) {
  clear_public_state();
  refresh_catalogue();
  go(Screen::request_requester);
}

void Controller::on(const intent::RequestForOrganisation&) {
  if (state_.screen != Screen::request_requester) return;
  state_.request.for_organisation = true;
  state_.request.member_id.clear();
  state_.request.member_name.clear();
  changed();
}

void Controller::on(const intent::EditRequestField& i) {
  if (state_.screen != Screen::request_requester && state_.screen != Screen::request_packs) return;
  auto& r = state_.request;
  std::string* field = i.field == "organisation_name"  ? &r.organisation_name
                       : i.field == "contact_name"     ? &r.contact_name
                       : i.field == "contact_phone"    ? &r.contact_phone
                       : i.field == "contact_email"    ? &r.contact_email
                       : i.field == "delivery_address" ? &r.delivery_address
                                                       : nullptr;
  if (field == nullptr) return;
  *field = i.value;
  state_.field_errors.erase(i.field);
  changed();
}

void Controller::on(const intent::SetQuantity& i) {
  if (state_.screen != Screen::request_packs) return;
  const int quantity = std::clamp(i.quantity, 0, 1000);
  if (quantity == 0) {
    state_.request.quantities.erase(i.pack_id);
  } else {
    state_.request.quantities[i.pack_id] = quantity;
  }
  changed();
}

void Controller::on(const intent::SetDelivery& i) {
  if (state_.screen != Screen::request_packs) return;
  state_.request.delivery = i.delivery;
  changed();
}

void Controller::on(const intent::SubmitRequest&) {
  if (state_.screen != Screen::request_packs) return;
  const auto& r = state_.request;
  model::ResourceRequest draft;
  draft.member_id = r.for_organisation ? "" : r.member_id;
  draft.organisation_name = r.for_organisation ? r.organisation_name : "";
  draft.contact_name = r.contact_name;
  draft.contact_phone = r.contact_phone;
  draft.contact_email = r.contact_email;
  draft.delivery = r.delivery;
  draft.delivery_address = r.delivery_address;
  for (const auto& [pack, quantity] : r.quantities) draft.lines.push_back({pack, quantity});
  if (draft.lines.empty()) {
    notify("notice.request_empty", true);
    return;
  }
  draft.office = !state_.settings.office.empty() ? state_.settings.office
                 : state_.current_event          ? state_.current_event->office
                                                 : "";
  draft.event_id = state_.current_event ? state_.current_event->id : "";
  try {
    auto saved = store_.create_request(draft, validation_context(), detail::kiosk_actor(store_));
    if (!saved) {
      show_errors(saved.error());
      notify(saved.error().front().key, true, {saved.error().front().value});
      return;
    }
    log::info("kiosk.request_created", {{"request", log::Id(saved->id)}});
    state_.request = {};
    state_.saved_request = *saved;
    go(Screen::request_done);
    notify("notice.request_saved", false);
  } catch (const std::exception& e) {
    store_error(e);
  }
}

}  // namespace alliance::kiosk
