// Staff: correct one member's details.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {
namespace {

void member_field(Ctx& c, const std::string& label, const char* field, const std::string& value,
                  int flags = 0) {
  const FieldResult r = text_field(c, label, field, value, field, flags);
  if (r.changed) c.emit(intent::EditMemberField{field, r.value});
}

void member_combo(Ctx& c, const std::string& label, const char* field, std::string_view list,
                  std::span<const std::string_view> codes, const std::string& value) {
  if (auto chosen = code_combo(c, label, field, list, codes, value, field)) {
    c.emit(intent::EditMemberField{field, *chosen});
  }
}

std::string optional_int(const std::optional<int>& v) {
  return v ? util::cat(*v) : std::string();
}

}  // namespace

void draw_staff_edit(Ctx& c) {
  title(c.tr("staff.edit.title"));
  if (!c.state.editing) {
    hint(c.tr("staff.edit.nothing"));
    staff_back(c, Screen::staff_today);
    return;
  }
  const model::Member& m = *c.state.editing;
  hint(c.trf("staff.edit.code", {m.reference_code}));
  if (m.kind == model::MemberKind::individual) {
    member_field(c, c.tr("field.given_name"), "given_name", m.given_name);
    member_field(c, c.tr("field.family_name"), "family_name", m.family_name);
    member_combo(c, c.tr("field.gender"), "gender", "gender", model::gender_codes(), m.gender);
    member_field(c, c.tr("field.birth_year"), "birth_year", optional_int(m.birth_year),
                 ImGuiInputTextFlags_CharsDecimal);
  } else {
    member_field(c, c.tr("field.organisation_name"), "organisation", m.organisation);
    member_field(c, c.tr("field.contact_person"), "contact_person", m.contact_person);
  }
  member_field(c, c.tr("field.phone"), "phone", m.phone);
  member_field(c, c.tr("field.email"), "email", m.email);
  if (auto chosen = country_combo(c, c.tr("field.country"), "country", m.country, "country")) {
    c.emit(intent::EditMemberField{"country", *chosen});
  }
  member_field(c, c.tr("field.region"), "region", m.region);
  if (m.kind == model::MemberKind::individual) {
    member_field(c, c.tr("field.organisation"), "organisation", m.organisation);
  }
  member_combo(c, c.tr("field.organisation_type"), "organisation_type", "organisation_type",
               model::organisation_type_codes(), m.organisation_type);
  if (m.kind == model::MemberKind::individual) {
    member_combo(c, c.tr("field.role"), "role", "role", model::role_codes(), m.role);
    member_field(c, c.tr("field.years_experience"), "years_experience",
                 optional_int(m.years_experience), ImGuiInputTextFlags_CharsDecimal);
    member_combo(c, c.tr("field.qualification"), "qualification", "qualification",
                 model::qualification_codes(), m.qualification);
  }
  if (staff_back(c, Screen::staff_today, c.tr("staff.edit.save"))) {
    c.emit(intent::SaveMemberEdit{});
  }
}

}  // namespace alliance::kiosk::ui
