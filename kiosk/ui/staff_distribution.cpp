// Staff: the distribution desk — requests routed to this office and the
// status moves a desk may make (cancel, or hand the packs out; approvals are
// made centrally).
#include <imgui.h>

#include <map>

#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

constexpr model::RequestStatus kTargets[] = {model::RequestStatus::delivered,
                                             model::RequestStatus::cancelled};

std::string pack_title(const AppState& s, const std::string& id) {
  for (const auto& pack : s.catalogue) {
    if (pack.id == id) return pack.title;
  }
  return id;
}

// Who asked, by name (never an id): the organisation, or the member with
// their phone, or the contact person.
std::string requester(const Ctx& c, const model::ResourceRequest& r) {
  // The contact phone is shown under it; a member's own phone is not.
  std::string name = r.organisation_name;
  std::string phone;
  if (name.empty() && !r.member_id.empty()) {
    if (auto p = c.state.people.find(r.member_id); p != c.state.people.end()) {
      name = p->second.name;
      if (r.contact_phone.empty()) phone = p->second.phone;
    }
  }
  if (name.empty()) name = r.contact_name;
  if (name.empty()) name = c.tr("staff.unknown_person");
  return phone.empty() ? name : util::cat(name, "  ·  ", phone);
}

}  // namespace

void draw_staff_distribution(Ctx& c) {
  // "Received by" names being typed, per request id.
  static std::map<std::string, std::string> received_by;
  const AppState& s = c.state;
  title(c.tr("staff.distribution.title"));
  if (c.entered_screen) received_by.clear();
  text(c.trf("staff.home.office",
             {s.settings.office.empty() ? c.tr("staff.office_not_set") : s.settings.office}),
       {.wrap = true});
  if (s.office_requests.empty()) hint(c.tr("staff.distribution.none"));

  for (const model::ResourceRequest& r : s.office_requests) {
    ImGui::PushID(r.id.c_str());
    ImGui::Separator();
    text(util::cat(r.reference_code, "  ·  ", requester(c, r)), {.colour = theme().accent});
    // Made here before this kiosk had an office: routed elsewhere or nowhere.
    if (r.office != s.settings.office) {
      hint(c.trf("staff.distribution.no_office", {r.office.empty() ? "—" : r.office}));
    }
    text(c.trf("staff.distribution.status",
               {c.code_label("request_status", model::to_string(r.status)),
                c.code_label("delivery", model::to_string(r.delivery))}));
    if (!r.delivery_address.empty()) hint(r.delivery_address);
    if (!r.contact_phone.empty() || !r.contact_email.empty()) {
      hint(util::cat(r.contact_phone,
                     r.contact_phone.empty() || r.contact_email.empty() ? "" : "  ·  ",
                     r.contact_email));
    }
    for (const model::RequestLine& line : r.lines) {
      bullet_text(util::cat(line.quantity, " × ", pack_title(s, line.pack_id)));
    }
    if (!r.received_by.empty()) {
      text(c.trf("staff.distribution.received_by_value", {r.received_by}));
    }

    bool first = true;
    for (const model::RequestStatus to : kTargets) {
      if (!model::device_may_transition(r.status, to)) continue;
      const std::string_view code = model::to_string(to);
      if (!first) ImGui::SameLine();
      first = false;
      const std::string label =
          c.trf("staff.distribution.mark", {c.code_label("request_status", code)});
      if (to == model::RequestStatus::delivered) {
        std::string& name = received_by[r.id];
        hint_field("##received_by", c.tr("staff.distribution.received_by"), name,
                   ImGui::GetFontSize() * 12.0f);
        ImGui::SameLine();
        ImGui::BeginDisabled(name.empty());
        if (row_button(label, std::string(code).c_str())) {
          c.emit(intent::MarkRequest{r.id, to, name});
        }
        ImGui::EndDisabled();
      } else if (row_button(label, std::string(code).c_str())) {
        c.emit(intent::MarkRequest{r.id, to, {}});
      }
    }
    ImGui::PopID();
  }
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
