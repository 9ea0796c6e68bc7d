// One draw function per screen; ui.cpp picks the one for state.screen.
#pragma once

#include "kiosk/ui/widgets.hpp"

namespace alliance::kiosk::ui {

void draw_welcome(Ctx& c);
void draw_register_personal(Ctx& c);
void draw_register_work(Ctx& c);
void draw_register_interests(Ctx& c);
void draw_register_consent(Ctx& c);
void draw_register_review(Ctx& c);
void draw_duplicate_offer(Ctx& c);
void draw_register_saved(Ctx& c);
void draw_check_in(Ctx& c);
void draw_check_in_done(Ctx& c);
void draw_request_requester(Ctx& c);
void draw_request_packs(Ctx& c);
void draw_request_done(Ctx& c);
void draw_staff_pin(Ctx& c);
void draw_staff_home(Ctx& c);
void draw_staff_event(Ctx& c);
void draw_staff_today(Ctx& c);
void draw_staff_edit(Ctx& c);
void draw_staff_distribution(Ctx& c);
void draw_staff_sync(Ctx& c);
void draw_staff_export(Ctx& c);
void draw_staff_settings(Ctx& c);

}  // namespace alliance::kiosk::ui
