// Organisers' pre-registration lists: CSV rows to validated members, all or nothing.
#include "kiosk/core/import_members.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/model/text.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"
#include "kiosk/core/controller_shared.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {
namespace {

// Header spellings (after normalise_header: folded, spaces as '_') and the
// member field each fills, in English, French, Portuguese and Spanish.
struct ColumnAlias {
  std::string_view header;
  std::string_view field;
};
constexpr std::array kColumns = {
    ColumnAlias{"given_name", "given_name"},
    ColumnAlias{"first_name", "given_name"},
    ColumnAlias{"firstname", "given_name"},
    ColumnAlias{"given", "given_name"},
    ColumnAlias{"forename", "given_name"},
    ColumnAlias{"prenom", "given_name"},
    ColumnAlias{"prenoms", "given_name"},
    ColumnAlias{"nombre", "given_name"},
    ColumnAlias{"nombres", "given_name"},
    ColumnAlias{"primeiro_nome", "given_name"},
    ColumnAlias{"nome_proprio", "given_name"},
    ColumnAlias{"family_name", "family_name"},
    ColumnAlias{"last_name", "family_name"},
    ColumnAlias{"lastname", "family_name"},
    ColumnAlias{"surname", "family_name"},
    ColumnAlias{"nom", "family_name"},
    ColumnAlias{"nom_de_famille", "family_name"},
    ColumnAlias{"apellido", "family_name"},
    ColumnAlias{"apellidos", "family_name"},
    ColumnAlias{"sobrenome", "family_name"},
    ColumnAlias{"apelido", "family_name"},
    ColumnAlias{"ultimo_nome", "family_name"},
    ColumnAlias{"phone", "phone"},
    ColumnAlias{"phone_number", "phone"},
    ColumnAlias{"telephone", "phone"},
    ColumnAlias{"telephone_number", "phone"},
    ColumnAlias{"tel", "phone"},
    ColumnAlias{"mobile", "phone"},
    ColumnAlias{"mobile_number", "phone"},
    ColumnAlias{"mobile_phone", "phone"},
    ColumnAlias{"cell", "phone"},
    ColumnAlias{"cell_phone", "phone"},
    ColumnAlias{"numero_de_telephone", "phone"},
    ColumnAlias{"portable", "phone"},
    ColumnAlias{"telefono", "phone"},
    ColumnAlias{"numero_de_telefono", "phone"},
    ColumnAlias{"movil", "phone"},
    ColumnAlias{"celular", "phone"},
    ColumnAlias{"telefone", "phone"},
    ColumnAlias{"numero_de_telefone", "phone"},
    ColumnAlias{"telemovel", "phone"},
    ColumnAlias{"email", "email"},
    ColumnAlias{"e_mail", "email"},
    ColumnAlias{"email_address", "email"},
    ColumnAlias{"e_mail_address", "email"},
    ColumnAlias{"mail", "email"},
    ColumnAlias{"courriel", "email"},
    ColumnAlias{"adresse_email", "email"},
    ColumnAlias{"adresse_e_mail", "email"},
    ColumnAlias{"adresse_courriel", "email"},
    ColumnAlias{"correo", "email"},
    ColumnAlias{"correo_electronico", "email"},
    ColumnAlias{"endereco_de_email", "email"},
    ColumnAlias{"endereco_de_e_mail", "email"},
    ColumnAlias{"country", "country"},
    ColumnAlias{"country_code", "country"},
    ColumnAlias{"pays", "country"},
    ColumnAlias{"pais", "country"},
    ColumnAlias{"organisation", "organisation"},
    ColumnAlias{"organization", "organisation"},
    ColumnAlias{"organisation_name", "organisation"},
    ColumnAlias{"organization_name", "organisation"},
    ColumnAlias{"company", "organisation"},
    ColumnAlias{"employer", "organisation"},
    ColumnAlias{"institution", "organisation"},
    ColumnAlias{"organisme", "organisation"},
    ColumnAlias{"organizacao", "organisation"},
    ColumnAlias{"organizacion", "organisation"},
    ColumnAlias{"instituicao", "organisation"},
    ColumnAlias{"institucion", "organisation"},
    ColumnAlias{"role", "role"},
    ColumnAlias{"job_title", "role"},
    ColumnAlias{"position", "role"},
    ColumnAlias{"fonction", "role"},
    ColumnAlias{"poste", "role"},
    ColumnAlias{"cargo", "role"},
    ColumnAlias{"funcao", "role"},
    ColumnAlias{"rol", "role"},
    ColumnAlias{"consent", "consent"},
    ColumnAlias{"consent_given", "consent"},
    ColumnAlias{"consentement", "consent"},
    ColumnAlias{"consentimento", "consent"},
    ColumnAlias{"consentimiento", "consent"},
    ColumnAlias{"gender", "gender"},
    ColumnAlias{"sex", "gender"},
    ColumnAlias{"genre", "gender"},
    ColumnAlias{"sexe", "gender"},
    ColumnAlias{"genero", "gender"},
    ColumnAlias{"sexo", "gender"},
    ColumnAlias{"birth_year", "birth_year"},
    ColumnAlias{"year_of_birth", "birth_year"},
    ColumnAlias{"annee_de_naissance", "birth_year"},
    ColumnAlias{"ano_de_nascimento", "birth_year"},
    ColumnAlias{"ano_de_nacimiento", "birth_year"},
    ColumnAlias{"region", "region"},
    ColumnAlias{"province", "region"},
    ColumnAlias{"provincia", "region"},
    ColumnAlias{"regiao", "region"},
    ColumnAlias{"organisation_type", "organisation_type"},
    ColumnAlias{"organization_type", "organisation_type"},
    ColumnAlias{"type_dorganisation", "organisation_type"},
    ColumnAlias{"tipo_de_organizacao", "organisation_type"},
    ColumnAlias{"tipo_de_organizacion", "organisation_type"},
    ColumnAlias{"years_experience", "years_experience"},
    ColumnAlias{"years_of_experience", "years_experience"},
    ColumnAlias{"annees_dexperience", "years_experience"},
    ColumnAlias{"anos_de_experiencia", "years_experience"},
    ColumnAlias{"qualification", "qualification"},
    ColumnAlias{"qualificacao", "qualification"},
    ColumnAlias{"titulacion", "qualification"},
    ColumnAlias{"interest_groups", "interest_groups"},
    ColumnAlias{"groupes_dinteret", "interest_groups"},
    ColumnAlias{"grupos_de_interesse", "interest_groups"},
    ColumnAlias{"grupos_de_interes", "interest_groups"},
    ColumnAlias{"e_updates", "e_updates"},
    ColumnAlias{"newsletter", "e_updates"},
    ColumnAlias{"lettre_dinformation", "e_updates"},
    ColumnAlias{"boletim", "e_updates"},
    ColumnAlias{"boletin", "e_updates"},
    ColumnAlias{"preferred_language", "preferred_language"},
    ColumnAlias{"language", "preferred_language"},
    ColumnAlias{"langue", "preferred_language"},
    ColumnAlias{"idioma", "preferred_language"},
    ColumnAlias{"lingua", "preferred_language"},
    // The kiosk's own members export (protocol::table_columns).
    ColumnAlias{"kind", "kind"},
    ColumnAlias{"contact_person", "contact_person"},
    ColumnAlias{"voided", "voided"},
};
constexpr std::array<std::string_view, 4> kRequiredColumns = {"given_name", "family_name",
                                                              "country", "consent"};
// At least one of these is required too.
constexpr std::array<std::string_view, 2> kContactColumns = {"phone", "email"};
// Columns of the kiosk's members export that a new member does not take
// (its ids, dates and sync bookkeeping): read past without a warning.
constexpr std::array<std::string_view, 8> kExportOnlyColumns = {
    "id",       "reference_code", "consent_version", "consent_at",
    "event_id", "created_at",     "updated_at",      "void_reason"};

// A column of country names (the kiosk's and central's exports carry one next
// to the ISO code): read only when the file has no country column.
constexpr std::array<std::string_view, 4> kCountryNameColumns = {"country_name", "nom_du_pays",
                                                                 "nome_do_pais", "nombre_del_pais"};

// "  Given Name ", "given-name", "Prénom" -> "given_name", "prenom": folded
// (case, accents, punctuation; apostrophes dropped, so "Lettre d'information"
// is "lettre_dinformation"), spaces as '_', a "(...)" remark dropped.
std::string normalise_header(std::string_view cell) {
  const std::size_t remark = cell.find('(');
  if (remark != std::string_view::npos && remark > 0) cell = cell.substr(0, remark);
  std::string out = model::fold_for_search(cell);
  std::replace(out.begin(), out.end(), ' ', '_');
  return out;
}

// Codes typed by people: "Social worker" -> "social_worker".
std::string loose_code(std::string_view cell) {
  std::string out = util::ascii_lower(model::collapse_whitespace(cell));
  std::replace(out.begin(), out.end(), ' ', '_');
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::optional<std::string_view> field_for_header(std::string_view normalised) {
  for (const auto& alias : kColumns) {
    if (alias.header == normalised) return alias.field;
  }
  return std::nullopt;
}

enum class YesNo { yes, no, blank, invalid };

// In English, French, Portuguese and Spanish, case and accents ignored
// ("Sí", "NÃO"); an "x" is a ticked box.
YesNo parse_yes_no(std::string_view cell) {
  const std::string v = model::fold_for_search(cell);
  if (v.empty()) return YesNo::blank;
  constexpr std::string_view kYes[] = {"yes",  "y",   "true", "1",          "x",  "oui",      "o",
                                       "vrai", "sim", "s",    "verdadeiro", "si", "verdadero"};
  constexpr std::string_view kNo[] = {"no", "n", "false", "0", "non", "faux", "nao", "falso"};
  if (std::find(std::begin(kYes), std::end(kYes), v) != std::end(kYes)) return YesNo::yes;
  if (std::find(std::begin(kNo), std::end(kNo), v) != std::end(kNo)) return YesNo::no;
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
  if (m.kind == model::MemberKind::organisation) {
    return model::fold_for_search(m.organisation + " " + m.contact_person);
  }
  return model::fold_for_search(m.given_name + " " + m.family_name);
}

std::string contact_key(std::string_view person, std::string_view field, std::string_view value) {
  return util::cat(person, "\n", field, "\n", value);
}

// The name, phone and e-mail keys of every member already registered (not
// voided), read once per import straight from the store: no search cap, so
// however many people share a phone or e-mail, each is compared.
std::set<std::string> registered_contact_keys(store::Store& store) {
  std::set<std::string> keys;
  store.for_each_member([&](const model::Member& m) {
    if (m.voided) return;
    const std::string person = person_key(m);
    if (!m.phone.empty()) keys.insert(contact_key(person, "phone", m.phone));
    if (!m.email.empty()) keys.insert(contact_key(person, "email", m.email));
  });
  return keys;
}

struct Row {
  std::size_t line = 0;
  std::vector<std::string> cells;  // as typed, for problems
  model::Member draft;
  std::set<std::string> fields_with_errors;  // reported here; the model's repeat is dropped
};

ImportReport fail(ImportReport report, std::size_t line, std::string key,
                  std::vector<std::string> args = {}) {
  report.errors.push_back({.line = line,
                           .field = {},
                           .key = std::move(key),
                           .column = {},
                           .value = {},
                           .args = std::move(args)});
  return report;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string delimiter_key(char delimiter) {
  if (delimiter == ';') return "import.delimiter.semicolon";
  if (delimiter == '\t') return "import.delimiter.tab";
  return "import.delimiter.comma";
}

std::string count_text(const model::I18n& i18n, std::string_view language, std::string_view key,
                       std::size_t n) {
  return i18n.format(language, util::cat(key, n == 1 ? ".one" : ".other"), {std::to_string(n)});
}

}  // namespace

std::string saved_language(store::Store& store) {
  const auto saved = store.meta(detail::kMetaLanguage);
  if (saved && model::is_code_in(model::language_codes(), *saved)) return *saved;
  return "en";
}

std::string printable_cell(std::string_view cell) {
  const std::string escaped = one_line_for_terminal(cell);
  // Cut after kMaxShownValueLength code points (escape_for_terminal's output is UTF-8).
  std::size_t points = 0;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    const auto byte = static_cast<unsigned char>(escaped[i]);
    if ((byte & 0xC0) == 0x80) continue;
    if (points == kMaxShownValueLength) return escaped.substr(0, i) + "…";
    ++points;
  }
  return escaped;
}

std::string ImportProblem::to_string() const {
  std::string out = line == 0 ? std::string("file") : util::cat("line ", line);
  if (!field.empty()) out += util::cat(": ", field);
  out += util::cat(": ", key);
  return out;
}

std::string ImportProblem::message(const model::I18n& i18n, std::string_view language) const {
  // The model's desk wording ("tick the box") gives way to an import's where there is one.
  const std::string for_import = util::cat("import.", key);
  // The model's texts quote the value as typed as {0} (a phone, an e-mail).
  const std::vector<std::string>& quoted =
      args.empty() && !value.empty() ? std::vector{value} : args;
  const std::string what =
      i18n.format(language, i18n.has("en", for_import) ? for_import : key, quoted);
  if (line == 0) return i18n.format(language, "import.where.file", {what});
  if (column.empty()) {
    return i18n.format(language, "import.where.line", {std::to_string(line), what});
  }
  if (value.empty()) {
    return i18n.format(language, "import.where.column", {std::to_string(line), column, what});
  }
  return i18n.format(language, "import.where.cell", {std::to_string(line), column, value, what});
}

std::string ImportReport::summary(const model::I18n& i18n, std::string_view language) const {
  auto list = [&](std::string& out, const std::vector<ImportProblem>& problems) {
    const std::size_t shown = std::min(problems.size(), kMaxListedProblems);
    for (std::size_t i = 0; i < shown; ++i) out += "\n" + problems[i].message(i18n, language);
    if (problems.size() > shown) {
      out += "\n" + i18n.format(language, "import.summary.more",
                                {std::to_string(problems.size() - shown)});
    }
  };
  std::string out;
  if (!encoding.empty()) {
    out = i18n.format(language, "import.summary.read_as",
                      {encoding, std::string(i18n.text(language, delimiter_key(delimiter)))});
    out += "\n";
  }
  for (const auto& w : warnings) out += w.message(i18n, language) + "\n";
  if (dry_run) {
    out += i18n.format(language, "import.summary.dry_run",
                       {std::to_string(ok() ? accepted.size() : 0), std::to_string(skipped.size()),
                        std::to_string(errors.size())});
    if (ok()) {
      for (const auto& row : accepted) {
        out += "\n" + i18n.format(language, "import.summary.would_import",
                                  {std::to_string(row.line), row.name});
      }
      list(out, skipped);
    } else {
      list(out, errors);
      out += "\n" + std::string(i18n.text(language, "import.summary.dry_run_refused"));
    }
    return out;
  }
  if (!ok()) {
    out += count_text(i18n, language, "import.summary.refused", errors.size());
    list(out, errors);
    return out;
  }
  out += count_text(i18n, language, "import.summary.imported", imported);
  if (!skipped.empty()) {
    out += " " + count_text(i18n, language, "import.summary.left_out", skipped.size());
    list(out, skipped);
  }
  return out;
}

ImportReport import_members(store::Store& store, std::istream& csv,
                            const model::ValidationContext& context, ImportOptions options) {
  ImportReport report;
  report.dry_run = options.dry_run;

  std::string bytes;
  {
    std::array<char, 64 * 1024> buffer{};
    while (csv.read(buffer.data(), buffer.size()) || csv.gcount() > 0) {
      bytes.append(buffer.data(), static_cast<std::size_t>(csv.gcount()));
      if (bytes.size() > kMaxImportBytes) {
        return fail(report, 0, "import.file.too_large",
                    {std::to_string(kMaxImportBytes / (1024 * 1024))});
      }
    }
    if (csv.bad()) return fail(report, 0, "import.file.unreadable");
  }

  util::DecodedText decoded = util::decode_spreadsheet_text(bytes);
  const std::string& text = decoded.text;
  report.encoding = std::move(decoded.encoding);
  report.delimiter = util::detect_delimiter(text);
  auto parsed = util::parse_csv(text, report.delimiter);
  if (!parsed) return fail(report, parsed.error().line, parsed.error().key);
  auto& records = *parsed;
  auto first = std::find_if(records.begin(), records.end(), [](const util::CsvRecord& r) {
    return std::any_of(r.fields.begin(), r.fields.end(),
                       [](const std::string& f) { return !model::collapse_whitespace(f).empty(); });
  });
  if (first == records.end()) return fail(report, 0, "import.file.empty");
  const util::CsvRecord& header = *first;
  auto header_text = [&](std::size_t i) {
    return printable_cell(model::collapse_whitespace(header.fields[i]));
  };

  // Header: each member field once; other columns are read past, named in a warning.
  std::map<std::string_view, std::size_t> column_of;  // member field -> cell index
  std::vector<std::size_t> unnamed;
  std::optional<std::size_t> country_name_column;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = normalise_header(header.fields[i]);
    if (name.empty()) {
      unnamed.push_back(i);
      continue;
    }
    if (std::find(kCountryNameColumns.begin(), kCountryNameColumns.end(), name) !=
        kCountryNameColumns.end()) {
      if (!country_name_column) country_name_column = i;
      continue;
    }
    const auto field = field_for_header(name);
    if (!field) {
      if (std::find(kExportOnlyColumns.begin(), kExportOnlyColumns.end(), name) ==
          kExportOnlyColumns.end()) {
        report.warnings.push_back({.line = header.line,
                                   .field = header_text(i),
                                   .key = "import.column.ignored",
                                   .column = {},
                                   .value = {},
                                   .args = {header_text(i)}});
      }
    } else if (auto [it, added] = column_of.emplace(*field, i); !added) {
      report.errors.push_back({.line = header.line,
                               .field = header_text(i),
                               .key = "import.column.duplicate",
                               .column = {},
                               .value = {},
                               .args = {header_text(it->second), header_text(i)}});
    }
  }
  if (country_name_column && !column_of.contains("country")) {
    column_of.emplace("country", *country_name_column);
  }
  for (const auto required : kRequiredColumns) {
    if (!column_of.contains(required)) {
      report.errors.push_back({.line = header.line,
                               .field = std::string(required),
                               .key = util::cat("import.column.missing.", required),
                               .column = {},
                               .value = {},
                               .args = {}});
    }
  }
  if (!column_of.contains("phone") && !column_of.contains("email")) {
    report.errors.push_back({.line = header.line,
                             .field = "phone, email",
                             .key = "import.column.missing.phone_or_email",
                             .column = {},
                             .value = {},
                             .args = {}});
  }
  if (!report.ok()) return report;

  // The member field -> the header as typed, for problems.
  auto column_name = [&](std::string_view field) -> std::string {
    const auto found = column_of.find(field);
    return found == column_of.end() ? std::string(field) : header_text(found->second);
  };

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
    Row row{.line = record.line, .cells = record.fields, .draft = {}, .fields_with_errors = {}};
    auto error = [&](std::string_view field, std::string key, std::vector<std::string> args = {}) {
      row.fields_with_errors.insert(std::string(field));
      report.errors.push_back({.line = record.line,
                               .field = std::string(field),
                               .key = std::move(key),
                               .column = column_name(field),
                               .value = printable_cell(cell(field)),
                               .args = std::move(args)});
    };

    // A row that ends before a column it needs: a delimiter lost or a line
    // broken in two. Saying so beats the model's "consent required".
    if (record.fields.size() < header.fields.size()) {
      std::vector<std::string> missing;
      for (const auto required : kRequiredColumns) {
        if (column_of.at(required) >= record.fields.size())
          missing.push_back(column_name(required));
      }
      const bool no_contact =
          std::none_of(kContactColumns.begin(), kContactColumns.end(), [&](std::string_view field) {
            return column_of.contains(field) && column_of.at(field) < record.fields.size();
          });
      if (no_contact)
        missing.push_back(column_name(column_of.contains("phone") ? "phone" : "email"));
      if (!missing.empty()) {
        report.errors.push_back({.line = record.line,
                                 .field = {},
                                 .key = "import.row.short",
                                 .column = {},
                                 .value = {},
                                 .args = {std::to_string(record.fields.size()),
                                          std::to_string(header.fields.size()), joined(missing)}});
        continue;
      }
    }
    for (std::size_t i = header.fields.size(); i < record.fields.size(); ++i) {
      if (!model::collapse_whitespace(record.fields[i]).empty()) {
        report.errors.push_back(
            {.line = record.line,
             .field = util::cat("column ", i + 1),
             .key = "import.row.too_many_cells",
             .column = {},
             .value = printable_cell(record.fields[i]),
             .args = {std::to_string(header.fields.size()), std::to_string(i + 1)}});
        break;
      }
    }
    for (const std::size_t i : unnamed) {
      if (i < record.fields.size() && !model::collapse_whitespace(record.fields[i]).empty()) {
        report.errors.push_back({.line = record.line,
                                 .field = util::cat("column ", i + 1),
                                 .key = "import.column.unnamed",
                                 .column = {},
                                 .value = printable_cell(record.fields[i]),
                                 .args = {std::to_string(i + 1)}});
      }
    }

    model::Member& m = row.draft;
    m.kind = model::MemberKind::individual;
    if (const std::string kind = loose_code(cell("kind")); !kind.empty()) {
      if (const auto parsed_kind = model::member_kind_from(kind)) {
        m.kind = *parsed_kind;
      } else {
        error("kind", "import.kind.invalid");
      }
    }
    m.given_name = cell("given_name");
    m.family_name = cell("family_name");
    m.contact_person = cell("contact_person");
    m.phone = cell("phone");
    m.email = cell("email");
    m.country = cell("country");
    if (!model::collapse_whitespace(m.country).empty()) {
      if (auto code = model::country_from_text(m.country)) {
        m.country = *code;
      } else {
        error("country", "import.country.unknown");
      }
    }
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
        error(field, util::cat("member.", field, ".invalid"));
      } else {
        (field == "birth_year" ? m.birth_year : m.years_experience) = number.value;
      }
    }
    switch (parse_yes_no(cell("e_updates"))) {
      case YesNo::yes:
        m.e_updates = true;
        break;
      case YesNo::invalid:
        error("e_updates", "import.yes_no.invalid");
        break;
      case YesNo::no:
      case YesNo::blank:
        break;
    }
    const YesNo consent = parse_yes_no(cell("consent"));
    // A blank or "no" is left to the model, which reports consent as required.
    if (consent == YesNo::invalid) error("consent", "import.yes_no.invalid");
    m.consent.given = consent == YesNo::yes;
    m.consent.text_version = std::string(kImportConsentVersion);
    const YesNo voided = parse_yes_no(cell("voided"));
    if (voided == YesNo::invalid) error("voided", "import.yes_no.invalid");
    if (voided == YesNo::yes) {
      report.skipped.push_back({.line = record.line,
                                .field = "voided",
                                .key = "import.row.voided",
                                .column = column_name("voided"),
                                .value = {},
                                .args = {}});
      continue;
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty() && report.ok() && report.skipped.empty()) {
    return fail(report, 0, "import.file.no_rows");
  }

  // Check every row with the model before writing, so all problems show at
  // once, and leave out people who are already here.
  std::vector<model::Member> drafts;
  std::vector<std::size_t> lines;
  std::set<std::string> seen;
  std::optional<std::set<std::string>> registered;  // read on first need
  for (auto& row : rows) {
    model::Member normalised = row.draft;
    auto errors = model::normalize_and_validate(normalised, context);
    bool row_failed = !row.fields_with_errors.empty();
    for (auto& e : errors) {
      row_failed = true;
      if (row.fields_with_errors.contains(e.field)) continue;
      const auto found = column_of.find(e.field);
      const bool from_column = found != column_of.end();
      const std::string typed = from_column && found->second < row.cells.size()
                                    ? printable_cell(row.cells[found->second])
                                    : std::string();
      report.errors.push_back({.line = row.line,
                               .field = e.field,
                               .key = std::move(e.key),
                               .column = from_column ? column_name(e.field) : std::string(),
                               .value = typed,
                               .args = {}});
    }
    if (row_failed) continue;
    bool skip = false;
    const std::string person = person_key(normalised);
    for (const std::string_view field : {"phone", "email"}) {
      const std::string& value = field == "phone" ? normalised.phone : normalised.email;
      if (skip || value.empty()) continue;
      const std::string key = contact_key(person, field, value);
      if (!registered) registered = registered_contact_keys(store);
      std::string reason;
      if (!seen.insert(key).second) {
        reason = "import.row.repeated";
      } else if (registered->contains(key)) {
        reason = "import.row.already_registered";
      }
      if (reason.empty()) continue;
      report.skipped.push_back({.line = row.line,
                                .field = std::string(field),
                                .key = std::move(reason),
                                .column = column_name(field),
                                .value = printable_cell(value),
                                .args = {}});
      skip = true;
    }
    if (skip) continue;
    const std::string shown_name =
        normalised.kind == model::MemberKind::organisation
            ? normalised.organisation
            : util::cat(normalised.given_name, " ", normalised.family_name);
    report.accepted.push_back({.line = row.line, .name = printable_cell(shown_name)});
    drafts.push_back(std::move(row.draft));
    lines.push_back(row.line);
  }
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
  std::stable_sort(report.skipped.begin(), report.skipped.end(),
                   [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
  if (!report.ok()) {
    if (!report.dry_run) report.skipped.clear();
    report.accepted.clear();
    return report;
  }
  if (report.dry_run) return report;

  auto saved = store.register_members(std::move(drafts), context);
  if (!saved) {
    for (auto& row : saved.error()) {
      for (auto& e : row.errors) {
        report.errors.push_back({.line = lines[row.index],
                                 .field = e.field,
                                 .key = std::move(e.key),
                                 .column = column_name(e.field),
                                 .value = {},
                                 .args = {}});
      }
    }
    report.skipped.clear();
    report.accepted.clear();
    return report;
  }
  report.imported = saved->size();
  return report;
}

}  // namespace alliance::kiosk
