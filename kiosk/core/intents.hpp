// What a person can ask the kiosk to do. Draw code emits these; only the
// controller acts on them, after the frame.
#pragma once

#include <string>
#include <variant>

#include "common/model/resource.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::kiosk::intent {

struct SetLanguage {
  std::string code;
};
struct GoTo {
  Screen screen;
};  // navigation between staff tabs and back to welcome
struct StartRegistration {};
struct SetMemberKind {
  model::MemberKind kind;
};
struct EditField {
  std::string field;
  std::string value;
};  // a RegistrationDraft text field, by its member name
struct ToggleInterest {
  std::string code;
};
struct SetEUpdates {
  bool value;
};
struct SetConsent {
  bool value;
};
struct Next {};  // validate the current step and move on
struct Back {};
struct Cancel {};  // abandon the current flow, clearing its draft
struct Save {};    // on review: check for duplicates, then save
struct ThisIsMe {
  std::string member_id;
};                // duplicate offer: check in instead
struct NotMe {};  // duplicate offer: register anyway
struct StartCheckIn {};
// A public search: a whole reference code, phone number or e-mail in query,
// or a full name in query and the year of birth in birth_year.
struct Search {
  std::string query;
  std::string birth_year;
};
struct StaffSearch {
  std::string query;
};  // staff mode: the full search (names, prefixes, up to 20 people)
struct SelectMember {
  std::string member_id;
};
struct ConfirmCheckIn {};
struct StartRequest {};
struct RequestForOrganisation {};
struct EditRequestField {
  std::string field;
  std::string value;
};
struct SetQuantity {
  std::string pack_id;
  int quantity;
};
struct SetDelivery {
  model::DeliveryPreference delivery;
};
struct SubmitRequest {};
struct StillHere {};  // answers the idle prompt
struct EnterStaff {};
struct PinDigit {
  char digit;
};
struct PinErase {};
struct SubmitPin {};
struct EditEnrolmentCode {
  std::string value;
};                              // the first PIN's set-up: the code as typed
struct SubmitEnrolmentCode {};  // check the typed code
struct ChangePin {};            // from staff settings: choose a new PIN
struct LeaveStaff {};
struct ChooseEvent {
  std::string event_id;
};
struct EditEventField {
  std::string field;
  std::string value;
};
struct CreateEvent {};
struct EditMember {
  std::string member_id;
};
struct EditMemberField {
  std::string field;
  std::string value;
};
struct SaveMemberEdit {};
// A void asks first: these only open the confirmation (AppState::void_pending).
struct VoidMember {
  std::string member_id;
  std::string reason;
};
struct VoidAttendance {
  std::string attendance_id;
};
struct ConfirmVoid {};  // staff confirmed: void it
struct CancelVoid {};   // staff changed their mind
// Undo a void: a voided member (or check-in) counts again.
struct RestoreVoided {
  VoidTarget::Kind kind;
  std::string id;
};
struct MarkRequest {
  std::string request_id;
  model::RequestStatus status;
  std::string received_by;
};
struct MarkReviewed {
  std::string member_id;
};  // staff looked at a participant's own update
struct SyncNow {};
struct SetExportFolder {
  std::string folder;
};
// The export screen's folder browser: show this folder's subfolders.
struct BrowseFolder {
  std::string folder;
};
struct Export {
  std::string what;
};  // members, requests, attendance
struct SetIdleTimeout {
  int seconds;
};
struct SetFullscreen {
  bool value;
};
struct SetHighContrast {
  bool value;
};
struct SetUiScale {
  float value;
};
struct SetOffice {
  std::string office;
};
struct DismissNotice {};
struct Quit {};  // only honoured in staff mode

}  // namespace alliance::kiosk::intent

namespace alliance::kiosk {

using Intent = std::variant<
    intent::SetLanguage, intent::GoTo, intent::StartRegistration, intent::SetMemberKind,
    intent::EditField, intent::ToggleInterest, intent::SetEUpdates, intent::SetConsent,
    intent::Next, intent::Back, intent::Cancel, intent::Save, intent::ThisIsMe, intent::NotMe,
    intent::StartCheckIn, intent::Search, intent::StaffSearch, intent::SelectMember,
    intent::ConfirmCheckIn, intent::StartRequest, intent::RequestForOrganisation,
    intent::EditRequestField, intent::SetQuantity, intent::SetDelivery, intent::SubmitRequest,
    intent::StillHere, intent::EnterStaff, intent::PinDigit, intent::PinErase, intent::SubmitPin,
    intent::EditEnrolmentCode, intent::SubmitEnrolmentCode, intent::ChangePin, intent::LeaveStaff,
    intent::ChooseEvent, intent::EditEventField, intent::CreateEvent, intent::EditMember,
    intent::EditMemberField, intent::SaveMemberEdit, intent::VoidMember, intent::VoidAttendance,
    intent::ConfirmVoid, intent::CancelVoid, intent::RestoreVoided, intent::MarkRequest,
    intent::MarkReviewed, intent::SyncNow, intent::SetExportFolder, intent::BrowseFolder,
    intent::Export, intent::SetIdleTimeout, intent::SetFullscreen, intent::SetHighContrast,
    intent::SetUiScale, intent::SetOffice, intent::DismissNotice, intent::Quit>;

}  // namespace alliance::kiosk
