// Importing an organiser's pre-registration list (CSV) as members, all or nothing.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/i18n.hpp"
#include "common/model/validation.hpp"
#include "common/store/store.hpp"

namespace alliance::kiosk {

// The consent wording organisers' lists are collected under.
inline constexpr std::string_view kImportConsentVersion = "2026-01";

// Files larger than this are refused rather than read into memory.
inline constexpr std::size_t kMaxImportBytes = 16 * 1024 * 1024;

// The report lists at most this many problems, then how many more there are.
inline constexpr std::size_t kMaxListedProblems = 50;

// Longer cell values are cut (with "…") where a problem shows them.
inline constexpr std::size_t kMaxShownValueLength = 40;

struct ImportProblem {
  std::size_t line = 0;  // CSV line of the row (the header's for column problems); 0: whole file
  std::string field;     // member field or header cell, e.g. "phone"; may be empty
  std::string key;       // stable i18n key, e.g. "member.phone.invalid", "import.row.short"
  std::string column;    // the column's header as typed, printable; empty if none
  std::string value;     // the cell as typed, printable (printable_cell); empty if none
  std::vector<std::string> args;  // {0}, {1}, ... of the key's text

  // The stable form for logs and tests: "line 4: phone: member.phone.invalid",
  // or "file: import.file.empty".
  std::string to_string() const;
  // For people, in `language`: where (line, column, value as typed) and the
  // key's text, which says what to do.
  std::string message(const model::I18n& i18n, std::string_view language) const;
};

// A row a dry run would import.
struct ImportRowPreview {
  std::size_t line = 0;
  std::string name;  // "Amina Wanjiru" (or the organisation), printable
};

struct ImportReport {
  std::size_t rows = 0;      // data rows read (blank lines not counted)
  std::size_t imported = 0;  // members saved; 0 whenever errors is not empty or on a dry run
  bool dry_run = false;
  std::string encoding;  // how the file was read: "UTF-8", "UTF-16LE", "Windows-1252", ...
  char delimiter = ',';  // ',', ';' or '\t', from the header line
  // Any error means nothing was imported. Sorted by line.
  std::vector<ImportProblem> errors;
  // Rows left out because the same person (same name, and same phone or
  // e-mail) is already registered on this kiosk ("import.row.already_registered"),
  // appears earlier in the file ("import.row.repeated"), or is marked voided
  // in a kiosk export ("import.row.voided"). Importing a file twice therefore
  // adds nobody the second time.
  std::vector<ImportProblem> skipped;
  // Columns that are not member fields (e.g. a Google Forms "Timestamp"),
  // read past: "import.column.ignored", one per column.
  std::vector<ImportProblem> warnings;
  // The rows that are (or, on a dry run, would be) imported.
  std::vector<ImportRowPreview> accepted;

  bool ok() const { return errors.empty(); }
  // For staff, in `language`: how the file was read, ignored columns, how
  // many were imported (or would be, on a dry run) and which rows were left
  // out, or why nothing was imported: at most kMaxListedProblems problems,
  // then how many more.
  std::string summary(const model::I18n& i18n, std::string_view language) const;
  std::string summary() const { return summary(model::I18n::embedded(), "en"); }
};

struct ImportOptions {
  // Check everything and report what would happen, writing nothing.
  bool dry_run = false;
};

// The language staff chose on this kiosk (its saved setting), else "en":
// what import-members speaks without --lang.
std::string saved_language(store::Store& store);

// A cell as a problem shows it, on one line: tab, line breaks, other control
// characters and bidirectional controls as \uXXXX escapes
// (one_line_for_terminal), cut after kMaxShownValueLength characters with "…".
std::string printable_cell(std::string_view cell);

// Reads a spreadsheet saved as CSV or text: UTF-8 with or without a byte
// order mark, UTF-16 LE/BE with one, or Windows-1252 when the bytes are not
// UTF-8 (util::decode_spreadsheet_text); cells separated by commas,
// semicolons or tabs, whichever the header line holds most of. The first
// non-blank record is a header naming the columns in any order, case and
// accents ignored, in English, French, Portuguese or Spanish ("Prénom",
// "First Name", "Nombre" and "given_name" are the same column; README.md
// lists every name):
//   required  given name, family name, country, consent, and phone or e-mail
//   optional  organisation, role, gender, birth year, region, organisation
//             type, years of experience, qualification, interest groups
//             (codes separated by ';' or ','), e-updates, preferred language,
//             and the kiosk export's kind, contact_person and voided
// Yes/no cells take yes/no, y/n, oui/non, sim/não, sí/no, true/false, 1/0
// and x (yes); a country is an ISO code or a name in the four languages
// (model::country_from_text). Columns that are not member fields (a Google
// Forms "Timestamp", the export's id and dates) are read past, each named in
// a warning; a repeated column is an error. The kiosk's own members export
// therefore imports as it is. Every row is checked (model validation
// included) before anything is written; any problem means nothing is
// imported. Members are saved with Store::register_members (one
// transaction, one outbox change each) under consent version
// kImportConsentVersion. A row whose person (same name, and same phone or
// e-mail) is already registered, among every member of the kiosk, or
// earlier in the file, is left out. Throws StoreError only for database
// failures.
ImportReport import_members(store::Store& store, std::istream& csv,
                            const model::ValidationContext& context, ImportOptions options = {});

}  // namespace alliance::kiosk
