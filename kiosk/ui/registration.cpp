// The registration wizard: personal, work, interests, consent, review, the
// "is this you?" offer and the saved screen with the reference code.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/util/strings.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

// A draft text field: edits become EditField, Enter moves to the next step.
void draft_field(Ctx& c, const std::string& label, const char* field, const std::string& value,
                 bool& enter, int flags = 0) {
  const FieldResult r = text_field(c, label, field, value, field, flags);
  if (r.changed) c.emit(intent::EditField{field, r.value});
  if (r.entered) enter = true;
}

void draft_combo(Ctx& c, const std::string& label, const char* field, std::string_view list,
                 std::span<const std::string_view> codes, const std::string& value) {
  if (auto chosen = code_combo(c, label, field, list, codes, value, field)) {
    c.emit(intent::EditField{field, *chosen});
  }
}

void step_heading(Ctx& c, int step, const std::string& name) {
  hint(c.trf("register.step", {util::cat(step), "5"}));
  title(name);
}

// The wizard's bottom row. Enter submits the step: in a field, or on a
// checkbox or list that has focus; on a focused button it presses that button.
void wizard_nav(Ctx& c, bool enter_in_field) {
  const bool next = nav_row(c, c.tr("ui.next"));
  const bool free_enter = enter_pressed() && !enter_consumed() && !ImGui::IsAnyItemActive() &&
                          !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (next || enter_in_field || free_enter) c.emit(intent::Next{});
}

// Possible matches with "This is me" and "Not me", each showing only the
// PublicMatch and which typed fact matched. Nothing takes focus here, so a
// stray Enter chooses neither.
void duplicate_choices(Ctx& c) {
  if (c.state.duplicate_candidates.empty()) return;
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  if (c.state.screen != Screen::duplicate_offer) text(c.tr("duplicate.title"));
  for (const DuplicateOffer& offer : c.state.duplicate_candidates) {
    const PublicMatch& m = offer.match;
    ImGui::PushID(m.member_id.c_str());
    ImGui::BeginGroup();
    text(c.trf("search.match", {m.name, m.code_end}));
    text(c.tr(util::cat("duplicate.matched_on.", offer.matched_on)), {.colour = theme().muted});
    ImGui::EndGroup();
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetContentRegionAvail().x * 0.6f));
    if (big_button(c.tr("duplicate.this_is_me"), "this_is_me")) {
      c.emit(intent::ThisIsMe{m.member_id});
    }
    ImGui::Separator();
    ImGui::PopID();
  }
  if (big_button(c.tr("duplicate.not_me"), "not_me")) c.emit(intent::NotMe{});
}

std::string country_name(const Ctx& c, const std::string& code) {
  const std::string_view name = model::country_name(code, c.lang());
  return name.empty() ? code : std::string(name);
}

}  // namespace

void draw_register_personal(Ctx& c) {
  const RegistrationDraft& d = c.state.draft;
  step_heading(c, 1, c.tr("register.personal.title"));
  bool enter = false;

  text(c.tr("register.kind"));
  for (const auto kind : {model::MemberKind::individual, model::MemberKind::organisation}) {
    const std::string label = c.code_label("member_kind", model::to_string(kind));
    if (radio_button(util::cat(label, "##kind_", model::to_string(kind)), d.kind == kind)) {
      if (d.kind != kind) c.emit(intent::SetMemberKind{kind});
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  {
    FieldColumns columns("##person");
    if (d.kind == model::MemberKind::individual) {
      columns.next();
      draft_field(c, c.tr("field.given_name"), "given_name", d.given_name, enter);
      columns.next();
      draft_field(c, c.tr("field.family_name"), "family_name", d.family_name, enter);
      columns.next();
      draft_combo(c, c.tr("field.gender"), "gender", "gender", model::gender_codes(), d.gender);
      columns.next();
      draft_field(c, c.tr("field.birth_year"), "birth_year", d.birth_year, enter,
                  ImGuiInputTextFlags_CharsDecimal);
    } else {
      columns.next();
      draft_field(c, c.tr("field.organisation_name"), "organisation_name", d.organisation_name,
                  enter);
      columns.next();
      draft_field(c, c.tr("field.contact_person"), "contact_person", d.contact_person, enter);
    }
  }
  // The country comes before the phone: it says how to read a national number.
  if (auto chosen = country_combo(c, c.tr("field.country"), "country", d.country, "country")) {
    c.emit(intent::EditField{"country", *chosen});
  }
  hint(c.tr("register.contact_hint"));
  {
    FieldColumns columns("##contact");
    columns.next();
    draft_field(c, c.tr("field.phone"), "phone", d.phone, enter);
    columns.next();
    draft_field(c, c.tr("field.email"), "email", d.email, enter);
  }
  duplicate_choices(c);
  wizard_nav(c, enter);
}

void draw_register_work(Ctx& c) {
  const RegistrationDraft& d = c.state.draft;
  const bool individual = d.kind == model::MemberKind::individual;
  step_heading(c, 2, c.tr("register.work.title"));
  bool enter = false;
  {
    FieldColumns columns("##work");
    columns.next();
    draft_field(c, c.tr("field.region"), "region", d.region, enter);
    if (individual) {
      columns.next();
      draft_field(c, c.tr("field.organisation"), "organisation", d.organisation, enter);
    }
    columns.next();
    draft_combo(c, c.tr("field.organisation_type"), "organisation_type", "organisation_type",
                model::organisation_type_codes(), d.organisation_type);
    if (individual) {
      columns.next();
      draft_combo(c, c.tr("field.role"), "role", "role", model::role_codes(), d.role);
      columns.next();
      draft_field(c, c.tr("field.years_experience"), "years_experience", d.years_experience, enter,
                  ImGuiInputTextFlags_CharsDecimal);
      columns.next();
      draft_combo(c, c.tr("field.qualification"), "qualification", "qualification",
                  model::qualification_codes(), d.qualification);
    }
  }
  duplicate_choices(c);
  wizard_nav(c, enter);
}

void draw_register_interests(Ctx& c) {
  const RegistrationDraft& d = c.state.draft;
  step_heading(c, 3, c.tr("register.interests.title"));
  hint(c.tr("register.interests.hint"));
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  bool first = true;
  for (const std::string_view code : model::interest_group_codes()) {
    ImGui::PushID(code.data(), code.data() + code.size());
    bool on = d.interest_groups.contains(std::string(code));
    if (checkbox(c.code_label("interest_group", code), &on)) {
      c.emit(intent::ToggleInterest{std::string(code)});
    }
    if (first) default_focus(c);
    first = false;
    ImGui::PopID();
  }
  field_error(c, "interest_groups");
  ImGui::Dummy(ImVec2(0.0f, gap()));
  bool e_updates = d.e_updates;
  if (checkbox(c.tr("register.e_updates"), &e_updates)) {
    c.emit(intent::SetEUpdates{e_updates});
  }
  hint(c.tr("register.e_updates_hint"));
  wizard_nav(c, false);
}

void draw_register_consent(Ctx& c) {
  step_heading(c, 4, c.tr("register.consent.title"));
  // The text scrolls in its own box, sized so the box to tick stays in view.
  const float text_h = std::max(ImGui::GetContentRegionAvail().y - touch_height() * 2.0f,
                                ImGui::GetFontSize() * 6.0f);
  ImGui::BeginChild("##consent_text", ImVec2(-1.0f, text_h), true);
  text(c.tr("consent.text"), {.wrap = true});
  ImGui::EndChild();
  hint(c.trf("consent.version", {kConsentTextVersion}));
  bool consent = c.state.draft.consent;
  if (checkbox(c.tr("consent.agree"), &consent)) c.emit(intent::SetConsent{consent});
  default_focus(c);
  field_error(c, "consent");
  wizard_nav(c, false);
}

void draw_register_review(Ctx& c) {
  const RegistrationDraft& d = c.state.draft;
  const bool individual = d.kind == model::MemberKind::individual;
  step_heading(c, 5, c.tr("register.review.title"));
  hint(c.tr("register.review.hint"));
  if (ImGui::BeginTable("##review", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::GetFontSize() * 14.0f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    label_value_row(c.tr("register.kind"), c.code_label("member_kind", model::to_string(d.kind)));
    if (individual) {
      label_value_row(c.tr("field.given_name"), d.given_name);
      label_value_row(c.tr("field.family_name"), d.family_name);
      label_value_row(c.tr("field.gender"),
                      d.gender.empty() ? "" : c.code_label("gender", d.gender));
      label_value_row(c.tr("field.birth_year"), d.birth_year);
    } else {
      label_value_row(c.tr("field.organisation_name"), d.organisation_name);
      label_value_row(c.tr("field.contact_person"), d.contact_person);
    }
    label_value_row(c.tr("field.phone"), d.phone);
    label_value_row(c.tr("field.email"), d.email);
    label_value_row(c.tr("field.country"), country_name(c, d.country));
    label_value_row(c.tr("field.region"), d.region);
    if (individual) label_value_row(c.tr("field.organisation"), d.organisation);
    label_value_row(
        c.tr("field.organisation_type"),
        d.organisation_type.empty() ? "" : c.code_label("organisation_type", d.organisation_type));
    if (individual) {
      label_value_row(c.tr("field.role"), d.role.empty() ? "" : c.code_label("role", d.role));
      label_value_row(c.tr("field.years_experience"), d.years_experience);
      label_value_row(
          c.tr("field.qualification"),
          d.qualification.empty() ? "" : c.code_label("qualification", d.qualification));
    }
    std::vector<std::string> interests;
    for (const auto& code : d.interest_groups)
      interests.push_back(c.code_label("interest_group", code));
    std::string joined;
    for (const auto& label : interests) joined += (joined.empty() ? "" : ", ") + label;
    label_value_row(c.tr("register.interests.title"), joined);
    label_value_row(c.tr("register.e_updates"), d.e_updates ? c.tr("ui.yes") : c.tr("ui.no"));
    label_value_row(c.tr("register.consent.title"), d.consent ? c.tr("ui.yes") : c.tr("ui.no"));
    ImGui::EndTable();
  }
  // Errors found on save (by the controller) for fields of earlier steps.
  for (const auto& [field, message] : c.state.field_errors) {
    text(c.trf(message.key, {message.value}), {.wrap = true, .colour = theme().error});
  }
  const bool save = nav_row(c, c.tr("register.save"));
  default_focus(c);
  if (save) c.emit(intent::Save{});
}

void draw_duplicate_offer(Ctx& c) {
  title(c.tr("duplicate.title"));
  hint(c.tr("duplicate.hint"));
  duplicate_choices(c);
  nav_row(c, "");
  leave_unfocused(c);
}

void draw_register_saved(Ctx& c) {
  title(c.tr("saved.title"));
  if (const auto& m = c.state.saved_member) {
    text(c.trf("saved.thanks", {m->display_name()}), {.wrap = true});
    ImGui::Dummy(ImVec2(0.0f, gap()));
    hint(c.tr("saved.code_label"));
    reference_code_text(m->reference_code);
    hint(c.tr("saved.code_hint"));
  } else if (const auto& known = c.state.recognised_member) {
    text(c.trf("saved.welcome_back", {known->name, known->code_end}), {.wrap = true});
  }
  done_bar(c);
  default_focus(c);
}

}  // namespace alliance::kiosk::ui
