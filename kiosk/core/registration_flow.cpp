// The controller's registration flow: the five-step wizard, its draft
// (kept in the store so a crash loses nothing), the duplicate check and the save.
#include "kiosk/core/controller.hpp"

// cereal's JSON header first: it makes its bundled rapidjson throw, not abort.
#include <cereal/archives/json.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>

#include <algorithm>
#include <sstream>

#include "common/model/codes.hpp"
#include "common/model/duplicates.hpp"
#include "common/util/log.hpp"
#include "kiosk/core/controller_shared.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {

using namespace detail;
namespace {

// Which wizard step shows a field, so errors send the person to the right step.
Screen step_of(std::string_view field) {
  // Country comes before phone: it says how to read a national number.
  static constexpr std::string_view kPersonal[] = {
      "kind",           "given_name", "family_name", "organisation_name",
      "contact_person", "gender",     "birth_year",  "country",
      "phone",          "email"};
  static constexpr std::string_view kWork[] = {"region", "organisation",     "organisation_type",
                                               "role",   "years_experience", "qualification"};
  static constexpr std::string_view kInterests[] = {"interest_groups", "e_updates",
                                                    "preferred_language"};
  for (auto f : kPersonal) {
    if (f == field) return Screen::register_personal;
  }
  for (auto f : kWork) {
    if (f == field) return Screen::register_work;
  }
  for (auto f : kInterests) {
    if (f == field) return Screen::register_interests;
  }
  return Screen::register_consent;
}

constexpr Screen kSteps[] = {Screen::register_personal, Screen::register_work,
                             Screen::register_interests, Screen::register_consent,
                             Screen::register_review};

int step_index(Screen s) {
  for (std::size_t i = 0; i < std::size(kSteps); ++i) {
    if (kSteps[i] == s) return static_cast<int>(i);
  }
  return -1;
}

template <class Archive>
void serialize_draft(Archive& ar, RegistrationDraft& d, int& screen) {
  std::string kind(model::to_string(d.kind));
  ar(cereal::make_nvp("screen", screen), cereal::make_nvp("kind", kind),
     cereal::make_nvp("given_name", d.given_name), cereal::make_nvp("family_name", d.family_name),
     cereal::make_nvp("organisation_name", d.organisation_name),
     cereal::make_nvp("contact_person", d.contact_person), cereal::make_nvp("gender", d.gender),
     cereal::make_nvp("birth_year", d.birth_year), cereal::make_nvp("phone", d.phone),
     cereal::make_nvp("email", d.email), cereal::make_nvp("country", d.country),
     cereal::make_nvp("region", d.region), cereal::make_nvp("organisation", d.organisation),
     cereal::make_nvp("organisation_type", d.organisation_type), cereal::make_nvp("role", d.role),
     cereal::make_nvp("years_experience", d.years_experience),
     cereal::make_nvp("qualification", d.qualification),
     cereal::make_nvp("interest_groups", d.interest_groups),
     cereal::make_nvp("e_updates", d.e_updates), cereal::make_nvp("consent", d.consent));
  d.kind = model::member_kind_from(kind).value_or(model::MemberKind::individual);
}

std::string encode_draft(RegistrationDraft d, Screen screen) {
  std::ostringstream out;
  int screen_number = static_cast<int>(screen);
  {
    cereal::JSONOutputArchive ar(out, cereal::JSONOutputArchive::Options::NoIndent());
    serialize_draft(ar, d, screen_number);
  }
  return out.str();
}

std::optional<std::pair<RegistrationDraft, Screen>> decode_draft(const std::string& json) {
  try {
    std::istringstream in(json);
    cereal::JSONInputArchive ar(in);
    RegistrationDraft d;
    int screen = 0;
    serialize_draft(ar, d, screen);
    const auto s = static_cast<Screen>(screen);
    if (!is_registration_step(s)) return std::nullopt;
    return std::pair{d, s};
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged draft is dropped, not fatal
  }
}

std::string* draft_field(RegistrationDraft& d, std::string_view name) {
  if (name == "given_name") return &d.given_name;
  if (name == "family_name") return &d.family_name;
  if (name == "organisation_name") return &d.organisation_name;
  if (name == "contact_person") return &d.contact_person;
  if (name == "gender") return &d.gender;
  if (name == "birth_year") return &d.birth_year;
  if (name == "phone") return &d.phone;
  if (name == "email") return &d.email;
  if (name == "country") return &d.country;
  if (name == "region") return &d.region;
  if (name == "organisation") return &d.organisation;
  if (name == "organisation_type") return &d.organisation_type;
  if (name == "role") return &d.role;
  if (name == "years_experience") return &d.years_experience;
  if (name == "qualification") return &d.qualification;
  return nullptr;
}

// The public offer of each match strong enough for the public desk
// (model::public_duplicate_reason): its PublicMatch and which typed fact matched.
std::vector<DuplicateOffer> duplicate_offers(const model::Member& typed,
                                             const std::vector<model::Member>& matches) {
  std::vector<DuplicateOffer> offers;
  for (const auto& m : matches) {
    const auto reason = model::public_duplicate_reason(typed, m);
    if (!reason) continue;
    offers.push_back({.match = public_view(m),
                      .matched_on = *reason == model::DuplicateReason::phone   ? "phone"
                                    : *reason == model::DuplicateReason::email ? "email"
                                                                               : "name"});
  }
  return offers;
}

// existing with every field the person typed (non-empty) in its place.
model::Member with_typed_fields(model::Member existing, const model::Member& typed) {
  auto take = [](std::string& into, const std::string& value) {
    if (!value.empty()) into = value;
  };
  if (existing.kind == model::MemberKind::individual) {
    take(existing.given_name, typed.given_name);
    take(existing.family_name, typed.family_name);
    take(existing.gender, typed.gender);
    if (typed.birth_year) existing.birth_year = typed.birth_year;
  }
  take(existing.contact_person, typed.contact_person);
  take(existing.phone, typed.phone);
  take(existing.email, typed.email);
  take(existing.region, typed.region);
  take(existing.organisation, typed.organisation);
  take(existing.organisation_type, typed.organisation_type);
  take(existing.role, typed.role);
  if (typed.years_experience) existing.years_experience = typed.years_experience;
  take(existing.qualification, typed.qualification);
  return existing;
}

}  // namespace

// A form left by a crash or power cut comes back where it was.
void Controller::restore_draft() {
  if (auto saved = store_.load_draft(kDraftForm)) {
    if (auto draft = decode_draft(*saved)) {
      state_.draft = draft->first;
      state_.screen = draft->second;
      notify("notice.draft_restored", false);
    }
  }
}

void Controller::next_registration_step() {
  if (state_.screen == Screen::register_review) {
    on(intent::Save{});
    return;
  }
  const int index = step_index(state_.screen);
  if (index < 0 || !validate_step(state_.screen)) return;
  go(kSteps[index + 1]);
  save_draft();
}

void Controller::previous_registration_step() {
  const int index = step_index(state_.screen);
  if (index <= 0) return;
  go(kSteps[index - 1]);
  save_draft();
}

model::Member Controller::member_from_draft() const {
  const auto& d = state_.draft;
  model::Member m;
  m.kind = d.kind;
  if (d.kind == model::MemberKind::organisation) {
    m.organisation = d.organisation_name;
    m.contact_person = d.contact_person;
  } else {
    m.given_name = d.given_name;
    m.family_name = d.family_name;
    m.gender = d.gender;
    m.birth_year = parse_int(d.birth_year);
    m.organisation = d.organisation;
  }
  m.phone = d.phone;
  m.email = d.email;
  m.country = d.country.empty() && state_.current_event ? state_.current_event->country : d.country;
  m.region = d.region;
  m.organisation_type = d.organisation_type;
  m.role = d.role;
  m.years_experience = parse_int(d.years_experience);
  m.qualification = d.qualification;
  m.interest_groups.assign(d.interest_groups.begin(), d.interest_groups.end());
  m.e_updates = d.e_updates;
  m.preferred_language = state_.settings.language;
  m.consent = {.given = d.consent, .text_version = kConsentTextVersion};
  return m;
}

// Validates the whole draft and keeps the errors that belong to `step` (all
// of them for the review step). Returns whether the step may be left.
bool Controller::validate_step(Screen step) {
  auto member = member_from_draft();
  auto errors = model::normalize_and_validate(member, validation_context());
  const auto& d = state_.draft;
  if (!model::collapse_whitespace(d.birth_year).empty() && !parse_int(d.birth_year)) {
    errors.push_back({"birth_year", "member.birth_year.invalid"});
  }
  if (!model::collapse_whitespace(d.years_experience).empty() && !parse_int(d.years_experience)) {
    errors.push_back({"years_experience", "member.years_experience.invalid"});
  }
  state_.field_errors.clear();
  std::optional<Screen> first_bad_step;
  for (auto& e : errors) {
    std::string field = e.field;
    // An organisation's own name is typed on the first step.
    if (d.kind == model::MemberKind::organisation && field == "organisation") {
      field = "organisation_name";
    }
    const Screen where = step_of(field);
    if (step == Screen::register_review || where == step) {
      state_.field_errors.emplace(field, FieldMessage{e.key, e.value});
      if (!first_bad_step || step_index(where) < step_index(*first_bad_step))
        first_bad_step = where;
    }
  }
  changed();
  if (step == Screen::register_review && first_bad_step) {
    // Send the person to the first step with a problem, errors shown there.
    const auto errors_copy = state_.field_errors;
    go(*first_bad_step);
    state_.field_errors = errors_copy;
    return false;
  }
  return state_.field_errors.empty();
}

void Controller::save_draft() {
  draft_dirty_ = false;
  if (!is_registration_step(state_.screen) || state_.draft.empty()) return;
  guarded([&] { store_.save_draft(kDraftForm, encode_draft(state_.draft, state_.screen)); });
}

void Controller::forget_registration() {
  dismissed_duplicates_.clear();
  state_.draft = {};
  state_.field_errors.clear();
  state_.duplicate_candidates.clear();
  draft_dirty_ = false;
}

void Controller::clear_registration() {
  forget_registration();
  guarded([&] { store_.clear_draft(kDraftForm); });
}

void Controller::on(const intent::StartRegistration&) {
  clear_public_state();
  if (state_.current_event) state_.draft.country = state_.current_event->country;
  go(Screen::register_personal);
}

void Controller::on(const intent::SetMemberKind& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.kind = i.kind;
  draft_dirty_ = true;
  changed();
}

void Controller::on(const intent::EditField& i) {
  if (!is_registration_step(state_.screen)) return;
  std::string* field = draft_field(state_.draft, i.field);
  if (field == nullptr || *field == i.value) return;
  *field = i.value;
  state_.field_errors.erase(i.field);
  draft_dirty_ = true;
  if (state_.screen == Screen::register_personal || state_.screen == Screen::register_work) {
    offer_duplicates_while_typing();
  }
  changed();
}

void Controller::on(const intent::ToggleInterest& i) {
  if (!is_registration_step(state_.screen)) return;
  if (!model::is_code_in(model::interest_group_codes(), i.code)) return;
  auto& groups = state_.draft.interest_groups;
  if (!groups.erase(i.code)) groups.insert(i.code);
  draft_dirty_ = true;
  changed();
}

void Controller::on(const intent::SetEUpdates& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.e_updates = i.value;
  draft_dirty_ = true;
  changed();
}

void Controller::on(const intent::SetConsent& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.consent = i.value;
  state_.field_errors.erase("consent");
  draft_dirty_ = true;
  changed();
}

void Controller::save_registration() {
  const bool at_event = state_.current_event.has_value();
  try {
    auto saved = store_.register_member(member_from_draft(), validation_context(),
                                        at_event ? state_.current_event->id : "",
                                        at_event ? state_.today : "", kDraftForm);
    if (!saved) {
      go(step_of(saved.error().front().field));
      show_errors(saved.error());
      return;
    }
    log::info("kiosk.member_registered", {{"member", log::Id(saved->member.id)}});
    forget_registration();  // its stored draft went in the registration's transaction
    state_.saved_member = saved->member;
    go(Screen::register_saved);
    notify("notice.saved", false);
  } catch (const std::exception& e) {
    store_error(e);  // nothing was saved; the draft stays for another try
  }
}

void Controller::on(const intent::Save&) {
  if (state_.screen != Screen::register_review) return;
  if (!validate_step(Screen::register_review)) return;
  // "Is this you?" (model::public_duplicate_reason).
  auto typed = member_from_draft();
  model::normalize_and_validate(typed, validation_context());
  std::vector<model::Member> matches;
  try {
    matches = store_.possible_duplicates(typed, validation_context().default_country);
  } catch (const std::exception& e) {
    store_error(e);
    return;
  }
  std::erase_if(matches,
                [&](const model::Member& m) { return dismissed_duplicates_.contains(m.id); });
  if (!matches.empty()) {
    state_.duplicate_candidates = duplicate_offers(typed, matches);
    go(Screen::duplicate_offer);
    return;
  }
  save_registration();
}

// Once a name and a phone or e-mail are typed, people who may be this
// person are offered on the step itself, not only after the last step.
void Controller::offer_duplicates_while_typing() {
  const auto& d = state_.draft;
  const bool named = d.kind == model::MemberKind::organisation
                         ? !model::collapse_whitespace(d.organisation_name).empty()
                         : !model::collapse_whitespace(d.given_name).empty() &&
                               !model::collapse_whitespace(d.family_name).empty();
  const bool reachable =
      !model::collapse_whitespace(d.phone).empty() || !model::collapse_whitespace(d.email).empty();
  state_.duplicate_candidates.clear();
  if (!named || !reachable) return;
  auto typed = member_from_draft();
  model::normalize_and_validate(typed, validation_context());
  guarded([&] {
    auto matches = store_.possible_duplicates(typed, validation_context().default_country);
    std::erase_if(matches,
                  [&](const model::Member& m) { return dismissed_duplicates_.contains(m.id); });
    state_.duplicate_candidates = duplicate_offers(typed, matches);
  });
}

bool Controller::duplicate_choice_open() const {
  return state_.screen == Screen::duplicate_offer ||
         ((state_.screen == Screen::register_personal || state_.screen == Screen::register_work) &&
          !state_.duplicate_candidates.empty());
}

void Controller::on(const intent::NotMe&) {
  if (!duplicate_choice_open()) return;
  for (const auto& offer : state_.duplicate_candidates) {
    dismissed_duplicates_.insert(offer.match.member_id);
  }
  state_.duplicate_candidates.clear();
  if (state_.screen == Screen::duplicate_offer) {
    save_registration();
  } else {
    changed();  // on a step: the offer goes, the person carries on typing
  }
}

// "This is me": nothing new is registered, but what the person typed is kept
// as an update to that member (their fields that are filled and differ),
// noted for staff to review, and they are checked in.
void Controller::on(const intent::ThisIsMe& i) {
  if (!duplicate_choice_open()) return;
  const auto it =
      std::find_if(state_.duplicate_candidates.begin(), state_.duplicate_candidates.end(),
                   [&](const DuplicateOffer& d) { return d.match.member_id == i.member_id; });
  if (it == state_.duplicate_candidates.end()) return;
  const PublicMatch member = it->match;
  try {
    if (auto existing = store_.find_member(member.member_id)) {
      auto typed = member_from_draft();
      model::normalize_and_validate(typed, validation_context());
      const model::Member updated = with_typed_fields(*existing, typed);
      auto saved = store_.update_member(updated, validation_context(), /*for_review=*/true);
      // A typed value that does not validate is not kept; the rest still is.
      if (!saved) {
        log::warn("kiosk.participant_update_refused", {{"member", log::Id(existing->id)}});
      }
    }
  } catch (const std::exception& e) {
    store_error(e);
    return;  // the draft stays; nothing was changed
  }
  clear_registration();
  if (state_.current_event) {
    check_in_member(member);
  } else {
    state_.recognised_member = member;
    go(Screen::register_saved);
  }
}

}  // namespace alliance::kiosk
