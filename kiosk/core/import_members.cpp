// Organisers' pre-registration lists: CSV rows to validated members, all or nothing.
#include "kiosk/core/import_members.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "common/model/text.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::kiosk {
namespace {

// Header spellings (after normalise_header) and the member field each fills.
struct ColumnAlias {
  std::string_view header;
  std::string_view field;
};
constexpr std::array kColumns = {
    ColumnAlias{"given_name", "given_name"},
    ColumnAlias{"first_name", "given_name"},
    ColumnAlias{"family_name", "family_name"},
    ColumnAlias{"last_name", "family_name"},
    ColumnAlias{"surname", "family_name"},
    ColumnAlias{"phone", "phone"},
    ColumnAlias{"email", "email"},
    ColumnAlias{"e_mail", "email"},
    ColumnAlias{"country", "country"},
    ColumnAlias{"organisation", "organisation"},
    ColumnAlias{"organization", "organisation"},
    ColumnAlias{"role", "role"},
    ColumnAlias{"consent", "consent"},
    ColumnAlias{"gender", "gender"},
    ColumnAlias{"birth_year", "birth_year"},
    ColumnAlias{"year_of_birth", "birth_year"},
    ColumnAlias{"region", "region"},
    ColumnAlias{"organisation_type", "organisation_type"},
    ColumnAlias{"organization_type", "organisation_type"},
    ColumnAlias{"years_experience", "years_experience"},
    ColumnAlias{"qualification", "qualification"},
    ColumnAlias{"interest_groups", "interest_groups"},
    ColumnAlias{"e_updates", "e_updates"},
    ColumnAlias{"preferred_language", "preferred_language"},
};
constexpr std::array<std::string_view, 4> kRequiredColumns = {"given_name", "family_name",
                                                              "country", "consent"};

// "  Given Name " and "given-name" both become "given_name".
std::string normalise_header(std::string_view cell) {
  std::string out = util::ascii_lower(model::collapse_whitespace(cell));
  std::replace(out.begin(), out.end(), ' ', '_');
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// Codes typed by people: "Social worker" -> "social_worker".
std::string loose_code(std::string_view cell) {
  return normalise_header(cell);
}

std::optional<std::string_view> field_for_header(std::string_view normalised) {
  for (const auto& alias : kColumns) {
    if (alias.header == normalised) return alias.field;
  }
  return std::nullopt;
}

enum class YesNo { yes, no, blank, invalid };

YesNo parse_yes_no(std::string_view cell) {
  const std::string v = util::ascii_lower(model::collapse_whitespace(cell));
  if (v.empty()) return YesNo::blank;
  if (v == "yes" || v == "y" || v == "true" || v == "1") return YesNo::yes;
  if (v == "no" || v == "n" || v == "false" || v == "0") return YesNo::no;
  return YesNo::invalid;
}

// Blank is a number not given; anything but 1 to 4 digits is not a number (no
// year or count of years needs more, and it keeps std::stoi from overflowing).
struct SmallNumber {
  bool ok = true;
  std::optional<int> value;
};

SmallNumber parse_small_number(std::string_view cell) {
  const std::string v = model::collapse_whitespace(cell);
  if (v.empty()) return {};
  if (v.size() > 4 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {.ok = false, .value = std::nullopt};
  }
  return {.ok = true, .value = std::stoi(v)};
}

std::string person_key(const model::Member& m) {
  return model::fold_for_search(m.given_name + " " + m.family_name);
}

// The existing, not voided member with the same name and this phone or e-mail.
bool already_registered(store::Store& store, const model::Member& m, std::string_view field) {
  const std::string& value = field == "phone" ? m.phone : m.email;
  if (value.empty()) return false;
  const std::string name = person_key(m);
  for (const auto& hit : store.search_members(value, 50)) {
    const std::string& theirs = field == "phone" ? hit.member.phone : hit.member.email;
    if (theirs == value && person_key(hit.member) == name) return true;
  }
  return false;
}

struct Row {
  std::size_t line = 0;
  model::Member draft;
};

ImportReport fail(ImportReport report, std::size_t line, std::string field, std::string key) {
  report.errors.push_back({line, std::move(field), std::move(key)});
  return report;
}

}  // namespace

std::string ImportProblem::to_string() const {
  std::string out = line == 0 ? std::string("file") : util::cat("line ", line);
  if (!field.empty()) out += util::cat(": ", field);
  out += util::cat(": ", key);
  return out;
}

std::string ImportReport::summary() const {
  std::string out;
  if (!ok()) {
    out = util::format("Nothing was imported: {} {} found. Correct the file and import it again.",
                       errors.size(), errors.size() == 1 ? "problem" : "problems");
    for (const auto& e : errors) out += "\n" + e.to_string();
    return out;
  }
  out = util::format("Imported {} {}.", imported, imported == 1 ? "member" : "members");
  if (!skipped.empty()) {
    out +=
        util::format(" Left out {} {} already registered or repeated in the file:", skipped.size(),
                     skipped.size() == 1 ? "row" : "rows");
    for (const auto& s : skipped) out += "\n" + s.to_string();
  }
  return out;
}

ImportReport import_members(store::Store& store, std::istream& csv,
                            const model::ValidationContext& context) {
  ImportReport report;

  std::string text;
  {
    std::array<char, 64 * 1024> buffer{};
    while (csv.read(buffer.data(), buffer.size()) || csv.gcount() > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(csv.gcount()));
      if (text.size() > kMaxImportBytes) return fail(report, 0, "", "import.file.too_large");
    }
    if (csv.bad()) return fail(report, 0, "", "import.file.unreadable");
  }

  auto parsed = util::parse_csv(text, util::detect_delimiter(text));
  if (!parsed) return fail(report, parsed.error().line, "", parsed.error().key);
  auto& records = *parsed;
  auto first = std::find_if(records.begin(), records.end(), [](const util::CsvRecord& r) {
    return std::any_of(r.fields.begin(), r.fields.end(),
                       [](const std::string& f) { return !model::collapse_whitespace(f).empty(); });
  });
  if (first == records.end()) return fail(report, 0, "", "import.file.empty");
  const util::CsvRecord& header = *first;

  // Header: every named column must be one we understand, once.
  std::map<std::string_view, std::size_t> column_of;  // member field -> cell index
  std::vector<std::size_t> unnamed;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = normalise_header(header.fields[i]);
    if (name.empty()) {
      unnamed.push_back(i);
      continue;
    }
    const auto field = field_for_header(name);
    if (!field) {
      report.errors.push_back(
          {header.line, model::collapse_whitespace(header.fields[i]), "import.column.unknown"});
    } else if (!column_of.emplace(*field, i).second) {
      report.errors.push_back(
          {header.line, model::collapse_whitespace(header.fields[i]), "import.column.duplicate"});
    }
  }
  for (const auto required : kRequiredColumns) {
    if (!column_of.contains(required)) {
      report.errors.push_back({header.line, std::string(required), "import.column.missing"});
    }
  }
  if (!column_of.contains("phone") && !column_of.contains("email")) {
    report.errors.push_back({header.line, "phone, email", "import.column.missing"});
  }
  if (!report.ok()) return report;

  // Rows to drafts; problems a spreadsheet cell can have before the model sees it.
  std::vector<Row> rows;
  for (auto it = std::next(first); it != records.end(); ++it) {
    const util::CsvRecord& record = *it;
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& f) { return model::collapse_whitespace(f).empty(); })) {
      continue;
    }
    ++report.rows;
    auto cell = [&](std::string_view field) -> std::string {
      const auto found = column_of.find(field);
      if (found == column_of.end() || found->second >= record.fields.size()) return {};
      return record.fields[found->second];
    };
    auto error = [&](std::string field, std::string key) {
      report.errors.push_back({record.line, std::move(field), std::move(key)});
    };
    for (std::size_t i = header.fields.size(); i < record.fields.size(); ++i) {
      if (!model::collapse_whitespace(record.fields[i]).empty()) {
        error(util::cat("column ", i + 1), "import.row.too_many_cells");
        break;
      }
    }
    for (const std::size_t i : unnamed) {
      if (i < record.fields.size() && !model::collapse_whitespace(record.fields[i]).empty()) {
        error(util::cat("column ", i + 1), "import.column.unnamed");
      }
    }

    model::Member m;
    m.kind = model::MemberKind::individual;
    m.given_name = cell("given_name");
    m.family_name = cell("family_name");
    m.phone = cell("phone");
    m.email = cell("email");
    m.country = cell("country");
    m.region = cell("region");
    m.organisation = cell("organisation");
    m.gender = loose_code(cell("gender"));
    m.organisation_type = loose_code(cell("organisation_type"));
    m.role = loose_code(cell("role"));
    m.qualification = loose_code(cell("qualification"));
    m.preferred_language = loose_code(cell("preferred_language"));
    for (const auto& group : util::split(cell("interest_groups"), ';')) {
      for (const auto& code : util::split(group, ','))
        m.interest_groups.push_back(loose_code(code));
    }
    for (const std::string_view field : {"birth_year", "years_experience"}) {
      const auto number = parse_small_number(cell(field));
      if (!number.ok) {
        error(std::string(field), util::cat("member.", field, ".invalid"));
      } else {
        (field == "birth_year" ? m.birth_year : m.years_experience) = number.value;
      }
    }
    switch (parse_yes_no(cell("e_updates"))) {
      case YesNo::yes:
        m.e_updates = true;
        break;
      case YesNo::invalid:
        error("e_updates", "member.e_updates.invalid");
        break;
      case YesNo::no:
      case YesNo::blank:
        break;
    }
    const YesNo consent = parse_yes_no(cell("consent"));
    // A blank or "no" is left to the model, which reports consent as required.
    if (consent == YesNo::invalid) error("consent", "member.consent.invalid");
    m.consent.given = consent == YesNo::yes;
    m.consent.text_version = std::string(kImportConsentVersion);
    rows.push_back({record.line, std::move(m)});
  }
  if (rows.empty() && report.ok()) return fail(report, 0, "", "import.file.no_rows");

  // Check every row with the model before writing, so all problems show at
  // once, and leave out people who are already here.
  std::vector<model::Member> drafts;
  std::vector<std::size_t> lines;
  std::set<std::string> seen;
  for (auto& row : rows) {
    model::Member normalised = row.draft;
    auto errors = model::normalize_and_validate(normalised, context);
    for (auto& e : errors) {
      report.errors.push_back({row.line, std::move(e.field), std::move(e.key)});
    }
    if (!errors.empty()) continue;
    bool skip = false;
    for (const std::string_view field : {"phone", "email"}) {
      const std::string& value = field == "phone" ? normalised.phone : normalised.email;
      if (skip || value.empty()) continue;
      if (!seen.insert(util::cat(person_key(normalised), "\n", field, "\n", value)).second) {
        report.skipped.push_back({row.line, std::string(field), "import.row.repeated"});
        skip = true;
      } else if (already_registered(store, normalised, field)) {
        report.skipped.push_back({row.line, std::string(field), "import.row.already_registered"});
        skip = true;
      }
    }
    if (skip) continue;
    drafts.push_back(std::move(row.draft));
    lines.push_back(row.line);
  }
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
  if (!report.ok()) {
    report.skipped.clear();
    return report;
  }

  auto saved = store.register_members(std::move(drafts), context);
  if (!saved) {
    for (auto& row : saved.error()) {
      for (auto& e : row.errors) {
        report.errors.push_back({lines[row.index], std::move(e.field), std::move(e.key)});
      }
    }
    report.skipped.clear();
    return report;
  }
  report.imported = saved->size();
  return report;
}

}  // namespace alliance::kiosk
