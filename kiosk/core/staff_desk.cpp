// The controller's staff desk: the PIN, events, today's list, edits and
// voids, the distribution desk, sync and exports.
#include "kiosk/core/controller.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/util/log.hpp"
#include "kiosk/core/controller_shared.hpp"
#include "kiosk/core/export.hpp"
#include "kiosk/core/export_places.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {

using namespace detail;
namespace {

std::string file_stamp(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&tt, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

}  // namespace

const PersonLabel& Controller::person(const std::string& member_id) {
  if (auto known = state_.people.find(member_id); known != state_.people.end()) {
    return known->second;
  }
  PersonLabel label;
  if (auto m = store_.find_member(member_id)) {
    label = {.name = m->display_name(), .phone = m->phone, .voided = m->voided};
  }
  return state_.people.emplace(member_id, std::move(label)).first->second;
}

void Controller::refresh_staff_lists() {
  try {
    state_.events = store_.list_events();
    if (state_.current_event) {
      state_.current_event = store_.find_event(state_.current_event->id);
    }
    state_.people.clear();
    state_.export_drives.clear();
    state_.browse_folder.clear();
    state_.browse_entries.clear();
    if (state_.current_event) {
      state_.today_registrations =
          store_.members_registered(state_.current_event->id, state_.today);
      state_.today_attendance = store_.attendance_for(state_.current_event->id, state_.today);
    } else {
      state_.today_registrations.clear();
      state_.today_attendance.clear();
    }
    // A voided member's check-in no longer counts: it leaves the list.
    std::erase_if(state_.today_attendance,
                  [&](const model::Attendance& a) { return person(a.member_id).voided; });
    const std::string office = !state_.settings.office.empty() ? state_.settings.office
                               : state_.current_event          ? state_.current_event->office
                                                               : "";
    // Requests this kiosk made before its office was set went to the
    // event's office or none: the desk lists them too (marked), so none is lost.
    state_.office_requests = store_.requests_for_desk(office, kiosk_actor(store_));
    for (const model::ResourceRequest& r : state_.office_requests) {
      if (!r.member_id.empty()) person(r.member_id);
    }
    state_.member_reviews.clear();
    for (auto& review : store_.member_reviews()) {
      const auto member = store_.find_member(review.member_id);
      state_.member_reviews.push_back({.review = std::move(review),
                                       .name = member ? member->display_name() : "",
                                       .phone = member ? member->phone : ""});
    }
  } catch (const std::exception& e) {
    store_error(e);
  }
  refresh_sync();
}

void Controller::on(const intent::EnterStaff&) {
  if (!is_public_screen(state_.screen)) return;
  end_participant_flow();
  state_.staff.pin_entry.clear();
  state_.staff.enrolment_code_entry.clear();
  guarded([&] { pin_.begin(clocks_.wall()); });
  show_pin_flow();
  go(Screen::staff_pin);
}

void Controller::on(const intent::PinDigit& i) {
  if (state_.screen != Screen::staff_pin || i.digit < '0' || i.digit > '9') return;
  if (state_.staff.pin_entry.size() < kMaxPinLength) state_.staff.pin_entry.push_back(i.digit);
  changed();
}

void Controller::on(const intent::PinErase&) {
  if (state_.screen != Screen::staff_pin || state_.staff.pin_entry.empty()) return;
  state_.staff.pin_entry.pop_back();
  changed();
}

void Controller::on(const intent::SubmitPin&) {
  if (state_.screen != Screen::staff_pin) return;
  const std::string pin = std::exchange(state_.staff.pin_entry, {});
  guarded([&] { apply_pin_result(pin_.submit_pin(pin, clocks_.wall())); });
  changed();
}

void Controller::on(const intent::EditEnrolmentCode& i) {
  if (state_.screen != Screen::staff_pin || state_.staff.pin_step != PinStep::enrolment_code) {
    return;
  }
  constexpr std::size_t kLongestCode = 64;  // codes are 14 characters; room for spaces
  state_.staff.enrolment_code_entry = i.value.substr(0, kLongestCode);
  changed();
}

void Controller::on(const intent::SubmitEnrolmentCode&) {
  if (state_.screen != Screen::staff_pin) return;
  const std::string code = std::exchange(state_.staff.enrolment_code_entry, {});
  guarded([&] { apply_pin_result(pin_.submit_enrolment_code(code, clocks_.wall())); });
  changed();
}

void Controller::on(const intent::ChangePin&) {
  if (!staff_screen_open(state_)) return;
  pin_.begin_change();
  state_.staff.pin_entry.clear();
  show_pin_flow();
  go(Screen::staff_pin);
}

void Controller::show_pin_flow() {
  StaffState& staff = state_.staff;
  staff.pin_is_set = pin_.pin_is_set();
  staff.pin_step = pin_.step();
  staff.changing_pin = pin_.changing();
  staff.locked_until = pin_.locked_until();
  changed();
}

void Controller::apply_pin_result(const StaffPinFlow::Result& result) {
  show_pin_flow();
  if (result.notice) {
    state_.notice = *result.notice;
    notice_raised_in_ = action_serial_;
  } else if (result.open_staff) {
    state_.notice.reset();
  }
  if (result.open_staff) {
    go(Screen::staff_home);
    refresh_staff_lists();
  }
}

void Controller::leave_pin_screen() {
  if (state_.staff.changing_pin) {
    // Changing the PIN was started from inside staff mode: back to settings.
    guarded([&] { pin_.begin(clocks_.wall()); });
    show_pin_flow();
    state_.staff.pin_entry.clear();
    go(Screen::staff_settings);
    return;
  }
  on(intent::LeaveStaff{});
}

void Controller::on(const intent::LeaveStaff&) {
  if (is_public_screen(state_.screen)) return;
  state_.staff.pin_entry.clear();
  state_.staff.enrolment_code_entry.clear();
  guarded([&] { pin_.begin(clocks_.wall()); });  // a PIN change left half-way is dropped
  show_pin_flow();
  state_.today_registrations.clear();
  state_.today_attendance.clear();
  state_.office_requests.clear();
  state_.staff_query.clear();
  state_.staff_results.clear();
  state_.member_reviews.clear();
  state_.editing.reset();
  state_.sync.rejected.clear();
  state_.people.clear();
  state_.void_pending.reset();
  state_.last_void.reset();
  end_participant_flow();
  go(Screen::welcome);
}

void Controller::on(const intent::ChooseEvent& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto event = store_.find_event(i.event_id);
    if (!event) return;
    save_setting(kMetaCurrentEvent, event->id);
    state_.current_event = std::move(event);
    notify("notice.event_saved", false);
    refresh_staff_lists();
  });
}

void Controller::on(const intent::EditEventField& i) {
  if (!staff_screen_open(state_)) return;
  auto& e = state_.event_draft;
  if (i.field == "kind") {
    e.kind = model::event_kind_from(i.value).value_or(e.kind);
  } else if (std::string* f = i.field == "name"         ? &e.name
                              : i.field == "place"      ? &e.place
                              : i.field == "country"    ? &e.country
                              : i.field == "start_date" ? &e.start_date
                              : i.field == "end_date"   ? &e.end_date
                              : i.field == "organiser"  ? &e.organiser
                              : i.field == "office"     ? &e.office
                                                        : nullptr) {
    *f = i.value;
  } else {
    return;
  }
  state_.field_errors.erase(i.field);
  changed();
}

void Controller::on(const intent::CreateEvent&) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto saved = store_.save_event(state_.event_draft);
    if (!saved) {
      show_errors(saved.error());
      changed();
      return;
    }
    save_setting(kMetaCurrentEvent, saved->id);
    state_.current_event = *saved;
    state_.event_draft = {};
    notify("notice.event_saved", false);
    refresh_staff_lists();
  });
}

// Staff mode keeps the full search: names, prefixes, up to 20 people.
void Controller::on(const intent::StaffSearch& i) {
  if (!staff_screen_open(state_)) return;
  state_.staff_query = i.query;
  guarded([&] {
    const std::string country = state_.current_event ? state_.current_event->country : "";
    state_.staff_results = staff_search(store_, i.query, country);
  });
  changed();
}

void Controller::on(const intent::EditMember& i) {
  if (!staff_screen_open(state_)) return;
  try {
    state_.editing = store_.find_member(i.member_id);
  } catch (const std::exception& e) {
    store_error(e);
    return;
  }
  if (state_.editing) go(Screen::staff_edit);
}

void Controller::on(const intent::EditMemberField& i) {
  if (state_.screen != Screen::staff_edit || !state_.editing) return;
  auto& m = *state_.editing;
  if (i.field == "birth_year") {
    m.birth_year = parse_int(i.value);
  } else if (i.field == "years_experience") {
    m.years_experience = parse_int(i.value);
  } else if (std::string* f = i.field == "given_name"          ? &m.given_name
                              : i.field == "family_name"       ? &m.family_name
                              : i.field == "contact_person"    ? &m.contact_person
                              : i.field == "gender"            ? &m.gender
                              : i.field == "phone"             ? &m.phone
                              : i.field == "email"             ? &m.email
                              : i.field == "country"           ? &m.country
                              : i.field == "region"            ? &m.region
                              : i.field == "organisation"      ? &m.organisation
                              : i.field == "organisation_type" ? &m.organisation_type
                              : i.field == "role"              ? &m.role
                              : i.field == "qualification"     ? &m.qualification
                                                               : nullptr) {
    *f = i.value;
  } else {
    return;
  }
  state_.field_errors.erase(i.field);
  changed();
}

void Controller::on(const intent::SaveMemberEdit&) {
  if (state_.screen != Screen::staff_edit || !state_.editing) return;
  try {
    auto saved = store_.update_member(*state_.editing, validation_context());
    if (!saved) {
      show_errors(saved.error());
      changed();
      return;
    }
    state_.editing.reset();
    notify("notice.member_updated", false);
    go(Screen::staff_today);
    refresh_staff_lists();
  } catch (const std::exception& e) {
    store_error(e);
  }
}

void Controller::on(const intent::VoidMember& i) {
  if (!staff_screen_open(state_) || model::collapse_whitespace(i.reason).empty()) return;
  guarded([&] {
    const auto m = store_.find_member(i.member_id);
    if (!m || m->voided) return;
    state_.void_pending = VoidTarget{.kind = VoidTarget::Kind::member,
                                     .id = m->id,
                                     .reason = model::collapse_whitespace(i.reason),
                                     .name = m->display_name()};
    changed();
  });
}

void Controller::on(const intent::VoidAttendance& i) {
  if (!staff_screen_open(state_)) return;
  const auto a =
      std::ranges::find(state_.today_attendance, i.attendance_id, &model::Attendance::id);
  if (a == state_.today_attendance.end()) return;
  guarded([&] {
    state_.void_pending = VoidTarget{.kind = VoidTarget::Kind::attendance,
                                     .id = a->id,
                                     .reason = {},
                                     .name = person(a->member_id).name};
    changed();
  });
}

void Controller::on(const intent::ConfirmVoid&) {
  if (!staff_screen_open(state_) || !state_.void_pending) return;
  VoidTarget target = *std::exchange(state_.void_pending, std::nullopt);
  guarded([&] {
    const bool done = target.kind == VoidTarget::Kind::member
                          ? store_.void_member(target.id, target.reason)
                          : store_.void_attendance(target.id);
    if (done) {
      state_.last_void = std::move(target);
      notify("notice.member_voided", false);
    }
    refresh_staff_lists();
  });
  changed();
}

void Controller::on(const intent::CancelVoid&) {
  if (!state_.void_pending) return;
  state_.void_pending.reset();
  changed();
}

void Controller::on(const intent::RestoreVoided& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    const bool done = i.kind == VoidTarget::Kind::member ? store_.restore_member(i.id)
                                                         : store_.restore_attendance(i.id);
    if (state_.last_void && state_.last_void->id == i.id) state_.last_void.reset();
    if (done) notify("notice.void_undone", false);
    refresh_staff_lists();
  });
}

void Controller::on(const intent::MarkRequest& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto saved = store_.transition_request(i.request_id, i.status,
                                           "kiosk staff " + store_.device_id(), i.received_by);
    if (!saved) {
      notify(saved.error().front().key, true);
      return;
    }
    notify("notice.status_changed", false);
    refresh_staff_lists();
  });
}

void Controller::on(const intent::MarkReviewed& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    store::Transaction tx(store_.db());
    store_.clear_member_review(i.member_id);
    tx.commit();
    refresh_staff_lists();
  });
}

void Controller::on(const intent::SyncNow&) {
  guarded([&] {
    store_.request_sync();
    state_.sync.sync_requested = true;
    notify("notice.sync_requested", false);
  });
}

void Controller::on(const intent::SetExportFolder& i) {
  if (!staff_screen_open(state_)) return;
  state_.export_folder = i.folder;
  save_setting(kMetaExportFolder, i.folder);
  changed();
}

void Controller::refresh_export_places() {
  auto drives = removable_drives();
  if (drives != state_.export_drives) {
    state_.export_drives = std::move(drives);
    changed();
  }
  if (state_.browse_folder.empty()) {
    // Start where the last export went, else at the first drive, else at /.
    std::error_code ec;
    const std::string start =
        !state_.export_folder.empty() && std::filesystem::is_directory(state_.export_folder, ec)
            ? state_.export_folder
        : !state_.export_drives.empty() ? state_.export_drives.front()
                                        : std::string("/");
    on(intent::BrowseFolder{start});
  }
}

void Controller::on(const intent::BrowseFolder& i) {
  if (!staff_screen_open(state_)) return;
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::path(i.folder).lexically_normal();
  if (!folder.is_absolute() || !std::filesystem::is_directory(folder, ec)) return;
  state_.browse_folder = folder.string();
  state_.browse_entries = subfolders(folder);
  changed();
}

void Controller::on(const intent::Export& i) {
  if (!staff_screen_open(state_)) return;
  if (!protocol::export_entity(i.what)) return;
  const std::filesystem::path folder = state_.export_folder.empty()
                                           ? std::filesystem::path(".")
                                           : std::filesystem::path(state_.export_folder);
  try {
    if (!std::filesystem::is_directory(folder)) {
      notify("notice.export_failed", true, {"not a folder: " + folder.string()});
      return;
    }
    // Exports hold personal data: a new owner-only file, never written
    // through a link or over another file.
    auto written = export_to_folder(store_, i.what, folder, file_stamp(clocks_.wall()),
                                    state_.settings.staff_language);
    if (!written) {
      notify("notice.export_failed", true, {written.error()});
      return;
    }
    notify("notice.export_done", false, {written->string()});
  } catch (const std::exception& e) {
    notify("notice.export_failed", true, {e.what()});
  }
}

void Controller::on(const intent::Quit&) {
  // The kiosk is left only from staff mode.
  if (!staff_screen_open(state_)) return;
  state_.quit_requested = true;
  changed();
}

}  // namespace alliance::kiosk
