// Staff: choose the training event this kiosk records, or create one.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

void event_field(Ctx& c, const std::string& label, const char* field, const std::string& value) {
  const FieldResult r = text_field(c, label, field, value, field);
  if (r.changed) c.emit(intent::EditEventField{field, r.value});
}

}  // namespace

void draw_staff_event(Ctx& c) {
  const AppState& s = c.state;
  title(c.tr("staff.event.title"));
  if (s.current_event) {
    text(c.trf("staff.event.current", {s.current_event->name}), {.wrap = true});
  } else {
    hint(c.tr("staff.home.no_event"));
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  if (s.events.empty()) hint(c.tr("staff.event.none"));
  constexpr ImGuiTableFlags kTable =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!s.events.empty() && ImGui::BeginTable("##events", 4, kTable)) {
    ImGui::TableSetupColumn(c.tr("field.event_name").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            3.0f);
    ImGui::TableSetupColumn(c.tr("field.place").c_str(), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(c.tr("staff.event.dates").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            2.0f);
    ImGui::TableSetupColumn("##use", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    table_headers();
    for (const model::TrainingEvent& e : s.events) {
      if (e.voided) continue;
      ImGui::PushID(e.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(util::cat(e.name, "  (", c.code_label("event_kind", model::to_string(e.kind)), ")"),
           {.wrap = true});
      ImGui::TableNextColumn();
      const std::string_view country_name = model::country_name(e.country, c.lang());
      text(util::cat(e.place, e.place.empty() ? "" : ", ",
                     country_name.empty() ? std::string_view(e.country) : country_name),
           {.wrap = true});
      ImGui::TableNextColumn();
      text(util::cat(e.start_date, " – ", e.end_date));
      ImGui::TableNextColumn();
      if (s.current_event && s.current_event->id == e.id) {
        text(c.tr("staff.event.in_use"), {.colour = theme().ok});
      } else if (row_button(c.tr("staff.event.use"), "use")) {
        c.emit(intent::ChooseEvent{e.id});
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  ImGui::Dummy(ImVec2(0.0f, gap()));
  ImGui::Separator();
  text(c.tr("staff.event.new"));
  const model::TrainingEvent& d = s.event_draft;
  for (const auto kind : {model::EventKind::training, model::EventKind::webinar}) {
    const std::string_view code = model::to_string(kind);
    if (radio_button(util::cat(c.code_label("event_kind", code), "##", code), d.kind == kind) &&
        d.kind != kind) {
      c.emit(intent::EditEventField{"kind", std::string(code)});
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  event_field(c, c.tr("field.event_name"), "name", d.name);
  event_field(c, c.tr("field.place"), "place", d.place);
  if (auto chosen = country_combo(c, c.tr("field.country"), "country", d.country, "country")) {
    c.emit(intent::EditEventField{"country", *chosen});
  }
  event_field(c, c.tr("field.start_date"), "start_date", d.start_date);
  event_field(c, c.tr("field.end_date"), "end_date", d.end_date);
  hint(c.tr("staff.event.date_hint"));
  event_field(c, c.tr("field.organiser"), "organiser", d.organiser);
  event_field(c, c.tr("field.office"), "office", d.office);
  if (staff_back(c, Screen::staff_home, c.tr("staff.event.create"))) c.emit(intent::CreateEvent{});
}

}  // namespace alliance::kiosk::ui
