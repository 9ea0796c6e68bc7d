// Resource pack requests: who asks, which packs and how they arrive, then the
// request's reference code.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {

bool public_search(Ctx& c, const std::string& selected_id);  // check_in.cpp

namespace {

void request_field(Ctx& c, const std::string& label, const char* field, const std::string& value,
                   bool& enter) {
  const FieldResult r = text_field(c, label, field, value, field);
  if (r.changed) c.emit(intent::EditRequestField{field, r.value});
  if (r.entered) enter = true;
}

}  // namespace

void draw_request_requester(Ctx& c) {
  const AppState& s = c.state;
  const RequestDraft& r = s.request;
  title(c.tr("request.requester.title"));
  bool enter = false;
  if (!r.member_id.empty()) {
    text(c.trf("request.requester.member", {r.member_name}), {.wrap = true});
  }
  hint(c.tr("request.requester.search_hint"));
  public_search(c, r.member_id);
  field_error(c, "member_id");

  ImGui::Dummy(ImVec2(0.0f, gap()));
  ImGui::Separator();
  if (!r.for_organisation) {
    if (big_button(c.tr("request.for_organisation"), "for_organisation")) {
      c.emit(intent::RequestForOrganisation{});
    }
  } else {
    text(c.tr("request.organisation.title"));
    request_field(c, c.tr("field.organisation_name"), "organisation_name", r.organisation_name,
                  enter);
    request_field(c, c.tr("field.contact_name"), "contact_name", r.contact_name, enter);
    request_field(c, c.tr("field.phone"), "contact_phone", r.contact_phone, enter);
    request_field(c, c.tr("field.email"), "contact_email", r.contact_email, enter);
  }
  if (nav_row(c, c.tr("ui.next")) || enter) c.emit(intent::Next{});
}

void draw_request_packs(Ctx& c) {
  const AppState& s = c.state;
  const RequestDraft& r = s.request;
  title(c.tr("request.packs.title"));
  hint(r.for_organisation ? r.organisation_name : r.member_name);
  field_error(c, "lines");
  bool enter = false;

  if (s.catalogue.empty()) hint(c.tr("request.packs.empty"));
  constexpr ImGuiTableFlags kTable =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!s.catalogue.empty() && ImGui::BeginTable("##packs", 5, kTable)) {
    ImGui::TableSetupColumn(c.tr("request.packs.pack").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            3.0f);
    ImGui::TableSetupColumn(c.tr("request.packs.languages").c_str(),
                            ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(c.tr("request.packs.format").c_str(),
                            ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(c.tr("request.packs.in_stock").c_str(),
                            ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(c.tr("request.packs.quantity").c_str(),
                            ImGuiTableColumnFlags_WidthStretch, 2.0f);
    table_headers();
    for (const model::ResourcePack& pack : s.catalogue) {
      if (pack.retired) continue;
      ImGui::PushID(pack.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(pack.title, {.wrap = true});
      ImGui::TableNextColumn();
      std::string languages;
      for (const auto& l : pack.languages) languages += (languages.empty() ? "" : ", ") + l;
      text(languages);
      ImGui::TableNextColumn();
      text(c.code_label("pack_format", model::to_string(pack.format)));
      ImGui::TableNextColumn();
      text(util::cat(pack.stock_at(s.settings.office)));
      ImGui::TableNextColumn();
      const auto it = r.quantities.find(pack.id);
      const int quantity = it == r.quantities.end() ? 0 : it->second;
      ImGui::BeginDisabled(quantity <= 0);
      if (row_button("-", "less")) c.emit(intent::SetQuantity{pack.id, quantity - 1});
      ImGui::EndDisabled();
      ImGui::SameLine();
      text(util::cat(quantity));
      ImGui::SameLine();
      if (row_button("+", "more")) c.emit(intent::SetQuantity{pack.id, quantity + 1});
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  ImGui::Dummy(ImVec2(0.0f, gap()));
  text(c.tr("request.delivery"));
  for (const auto delivery :
       {model::DeliveryPreference::pickup, model::DeliveryPreference::delivery,
        model::DeliveryPreference::digital_link}) {
    const std::string_view code = model::to_string(delivery);
    if (radio_button(util::cat(c.code_label("delivery", code), "##", code),
                     r.delivery == delivery) &&
        r.delivery != delivery) {
      c.emit(intent::SetDelivery{delivery});
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (r.delivery == model::DeliveryPreference::delivery) {
    request_field(c, c.tr("field.delivery_address"), "delivery_address", r.delivery_address, enter);
  }
  if (r.delivery == model::DeliveryPreference::digital_link && r.member_id.empty()) {
    request_field(c, c.tr("field.email"), "contact_email", r.contact_email, enter);
  }
  // Errors for fields without a widget here (the requester, lines[0].quantity, ...).
  for (const auto& [field, message] : s.field_errors) {
    if (field == "delivery_address" || field == "contact_email" || field == "lines") continue;
    text(c.trf(message.key, {message.value}), {.wrap = true, .colour = theme().error});
  }
  if (nav_row(c, c.tr("request.submit")) || enter) c.emit(intent::SubmitRequest{});
}

void draw_request_done(Ctx& c) {
  title(c.tr("request.done.title"));
  if (const auto& saved = c.state.saved_request) {
    hint(c.tr("request.done.code_label"));
    reference_code_text(saved->reference_code);
    text(c.tr(util::cat("request.done.next.", model::to_string(saved->delivery))), {.wrap = true});
  }
  done_bar(c);
  default_focus(c);
}

}  // namespace alliance::kiosk::ui
