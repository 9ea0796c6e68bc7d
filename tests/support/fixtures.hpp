// Valid records for tests, varied by a number so many can be saved at once.
#pragma once

#include <string>

#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"
#include "common/model/validation.hpp"

namespace alliance::test {

inline model::ValidationContext kenya_context() {
  return {.default_country = "KE", .current_year = 2026};
}

// A valid individual; n makes the phone, e-mail and name unique.
inline model::Member sample_member(int n = 0) {
  static const char* given[] = {"Amina",     "José",   "Olga", "Chidi",
                                "Fatoumata", "Nguyen", "Ana",  "Kofi"};
  static const char* family[] = {"Wanjiru", "Núñez",  "Ivanova", "Okafor",
                                 "Diallo",  "Thi Ha", "Silva",   "Mensah"};
  model::Member m;
  m.kind = model::MemberKind::individual;
  m.given_name = given[n % 8];
  m.family_name = std::string(family[(n / 8) % 8]) +
                  (n >= 64 ? " " + std::string(1, static_cast<char>('A' + (n / 64) % 26)) : "");
  m.phone = "+2547" + std::to_string(10000000 + n);
  m.email = "member" + std::to_string(n) + "@example.org";
  m.country = "KE";
  m.region = "Nairobi";
  m.organisation = "Child Welfare Society";
  m.organisation_type = "ngo";
  m.role = "social_worker";
  m.years_experience = 5;
  m.qualification = "bachelor";
  m.interest_groups = {"child_protection", "case_management"};
  m.e_updates = true;
  m.consent = {.given = true, .text_version = "2026-01"};
  return m;
}

// A valid request for one pack, with its first transition.
inline model::ResourceRequest sample_request(const std::string& office = "Nairobi") {
  model::ResourceRequest r;
  r.id = "request-1";
  r.member_id = "member-1";
  r.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  r.office = office;
  r.transitions = {{.status = model::RequestStatus::requested,
                    .actor = "desk",
                    .at = "2026-11-28T10:00:00.000Z"}};
  return r;
}

inline model::TrainingEvent sample_event() {
  model::TrainingEvent e;
  e.name = "Case management basics";
  e.place = "Nairobi";
  e.country = "KE";
  e.start_date = "2026-11-28";
  e.end_date = "2026-11-30";
  e.organiser = "East Africa office";
  e.office = "Nairobi";
  return e;
}

}  // namespace alliance::test
