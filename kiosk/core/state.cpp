// Small queries on AppState's enums and drafts.
#include "kiosk/core/state.hpp"

namespace alliance::kiosk {

bool is_public_screen(Screen s) {
  switch (s) {
    case Screen::staff_pin:
    case Screen::staff_home:
    case Screen::staff_event:
    case Screen::staff_today:
    case Screen::staff_edit:
    case Screen::staff_distribution:
    case Screen::staff_sync:
    case Screen::staff_export:
    case Screen::staff_settings:
      return false;
    default:
      return true;
  }
}

bool is_registration_step(Screen s) {
  return s == Screen::register_personal || s == Screen::register_work ||
         s == Screen::register_interests || s == Screen::register_consent ||
         s == Screen::register_review;
}

bool RegistrationDraft::empty() const {
  return given_name.empty() && family_name.empty() && organisation_name.empty() &&
         contact_person.empty() && gender.empty() && birth_year.empty() && phone.empty() &&
         email.empty() && country.empty() && region.empty() && organisation.empty() &&
         organisation_type.empty() && role.empty() && years_experience.empty() &&
         qualification.empty() && interest_groups.empty() && !e_updates && !consent;
}

}  // namespace alliance::kiosk
