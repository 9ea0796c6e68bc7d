// Importing an organiser's pre-registration list (CSV) as members, all or nothing.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/validation.hpp"
#include "common/store/store.hpp"

namespace alliance::kiosk {

// The consent wording organisers' lists are collected under.
inline constexpr std::string_view kImportConsentVersion = "2026-01";

// Files larger than this are refused rather than read into memory.
inline constexpr std::size_t kMaxImportBytes = 16 * 1024 * 1024;

struct ImportProblem {
  std::size_t line = 0;  // CSV line of the row (the header's for column problems); 0: whole file
  std::string field;     // member field or header cell, e.g. "phone"; may be empty
  std::string key;       // stable i18n key, e.g. "member.phone.invalid", "import.column.unknown"

  // "line 4: phone: member.phone.invalid", or "file: import.file.empty".
  std::string to_string() const;
};

struct ImportReport {
  std::size_t rows = 0;      // data rows read (blank lines not counted)
  std::size_t imported = 0;  // members saved; 0 whenever errors is not empty
  // Any error means nothing was imported. Sorted by line.
  std::vector<ImportProblem> errors;
  // Rows left out because the same person (same name, and same phone or
  // e-mail) is already registered on this kiosk ("import.row.already_registered")
  // or appears earlier in the file ("import.row.repeated"). Importing a file
  // twice therefore adds nobody the second time.
  std::vector<ImportProblem> skipped;

  bool ok() const { return errors.empty(); }
  // For staff: how many were imported, or why nothing was, one problem a line.
  std::string summary() const;
};

// Reads a CSV whose first record is a header naming the columns, in any order
// and case ("Given Name", "given-name" and "GIVEN_NAME" are the same column):
//   required  given_name, family_name, country (ISO 3166-1 alpha-2), consent
//             (yes/no, y/n, true/false, 1/0), and phone or email (or both)
//   optional  organisation (or organization), role, gender, birth_year, region,
//             organisation_type (or organization_type), years_experience,
//             qualification, interest_groups (codes separated by ';'),
//             e_updates (yes/no), preferred_language
// Code columns accept labels typed loosely ("Social worker" -> social_worker).
// An unknown or repeated column is an error, so a misspelt header cannot drop
// a column of data. A header with more semicolons than commas is read as a
// semicolon-separated file. Every row is checked (model validation included)
// before anything is written; any problem means nothing is imported. Members
// are saved with Store::register_members (one transaction, one outbox change
// each) under consent version kImportConsentVersion. Throws StoreError only
// for database failures.
ImportReport import_members(store::Store& store, std::istream& csv,
                            const model::ValidationContext& context);

}  // namespace alliance::kiosk
