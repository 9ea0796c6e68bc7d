// Field tables per record type and the merge that walks them.
#include "central/merge.hpp"

#include <algorithm>
#include <charconv>
#include <span>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "common/model/codes.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

template <class T>
struct FieldOp {
  std::string_view name;
  void (*copy)(T& to, const T& from);
};

#define ALLIANCE_FIELD(T, f)                         \
  FieldOp<T> {                                       \
#f, [](T & to, const T& from) { to.f = from.f; } \
  }

using model::Attendance;
using model::Member;
using model::ResourcePack;
using model::ResourceRequest;
using model::TrainingEvent;

// Bookkeeping (id, hlc, updated_at) is not merged field by field: the id is
// the key and hlc/updated_at follow the newest write.
constexpr FieldOp<Member> kMemberFields[] = {
    ALLIANCE_FIELD(Member, kind),
    ALLIANCE_FIELD(Member, reference_code),
    ALLIANCE_FIELD(Member, given_name),
    ALLIANCE_FIELD(Member, family_name),
    ALLIANCE_FIELD(Member, gender),
    ALLIANCE_FIELD(Member, birth_year),
    ALLIANCE_FIELD(Member, contact_person),
    ALLIANCE_FIELD(Member, phone),
    ALLIANCE_FIELD(Member, email),
    ALLIANCE_FIELD(Member, country),
    ALLIANCE_FIELD(Member, region),
    ALLIANCE_FIELD(Member, organisation),
    ALLIANCE_FIELD(Member, organisation_type),
    ALLIANCE_FIELD(Member, role),
    ALLIANCE_FIELD(Member, years_experience),
    ALLIANCE_FIELD(Member, qualification),
    ALLIANCE_FIELD(Member, interest_groups),
    ALLIANCE_FIELD(Member, e_updates),
    ALLIANCE_FIELD(Member, preferred_language),
    ALLIANCE_FIELD(Member, consent),
    ALLIANCE_FIELD(Member, event_id),
    ALLIANCE_FIELD(Member, created_at),
    ALLIANCE_FIELD(Member, voided),
    ALLIANCE_FIELD(Member, void_reason),
    ALLIANCE_FIELD(Member, merged_into),
};

// Who the person is and how to reach them: not identity (kind, reference
// code), history (event, created), void state, consent or e-update opt-in,
// which stay each record's own.
constexpr std::string_view kPersonFields[] = {
    "given_name",
    "family_name",
    "gender",
    "birth_year",
    "contact_person",
    "phone",
    "email",
    "country",
    "region",
    "organisation",
    "organisation_type",
    "role",
    "years_experience",
    "qualification",
    "interest_groups",
    "preferred_language",
};

constexpr FieldOp<TrainingEvent> kEventFields[] = {
    ALLIANCE_FIELD(TrainingEvent, kind),       ALLIANCE_FIELD(TrainingEvent, name),
    ALLIANCE_FIELD(TrainingEvent, place),      ALLIANCE_FIELD(TrainingEvent, country),
    ALLIANCE_FIELD(TrainingEvent, start_date), ALLIANCE_FIELD(TrainingEvent, end_date),
    ALLIANCE_FIELD(TrainingEvent, organiser),  ALLIANCE_FIELD(TrainingEvent, office),
    ALLIANCE_FIELD(TrainingEvent, voided),
};

constexpr FieldOp<Attendance> kAttendanceFields[] = {
    ALLIANCE_FIELD(Attendance, member_id), ALLIANCE_FIELD(Attendance, event_id),
    ALLIANCE_FIELD(Attendance, day),       ALLIANCE_FIELD(Attendance, checked_in_at),
    ALLIANCE_FIELD(Attendance, voided),
};

constexpr FieldOp<ResourcePack> kPackFields[] = {
    ALLIANCE_FIELD(ResourcePack, title),   ALLIANCE_FIELD(ResourcePack, languages),
    ALLIANCE_FIELD(ResourcePack, format),  ALLIANCE_FIELD(ResourcePack, stock),
    ALLIANCE_FIELD(ResourcePack, retired),
};

// status and transitions are merged by the lifecycle rules, not by clocks.
constexpr FieldOp<ResourceRequest> kRequestFields[] = {
    ALLIANCE_FIELD(ResourceRequest, reference_code),
    ALLIANCE_FIELD(ResourceRequest, member_id),
    ALLIANCE_FIELD(ResourceRequest, organisation_name),
    ALLIANCE_FIELD(ResourceRequest, contact_name),
    ALLIANCE_FIELD(ResourceRequest, contact_phone),
    ALLIANCE_FIELD(ResourceRequest, contact_email),
    ALLIANCE_FIELD(ResourceRequest, lines),
    ALLIANCE_FIELD(ResourceRequest, delivery),
    ALLIANCE_FIELD(ResourceRequest, delivery_address),
    ALLIANCE_FIELD(ResourceRequest, office),
    ALLIANCE_FIELD(ResourceRequest, event_id),
    ALLIANCE_FIELD(ResourceRequest, received_by),
    ALLIANCE_FIELD(ResourceRequest, created_at),
};

#undef ALLIANCE_FIELD

std::span<const FieldOp<Member>> fields_of(const Member*) {
  return kMemberFields;
}
std::span<const FieldOp<TrainingEvent>> fields_of(const TrainingEvent*) {
  return kEventFields;
}
std::span<const FieldOp<Attendance>> fields_of(const Attendance*) {
  return kAttendanceFields;
}
std::span<const FieldOp<ResourcePack>> fields_of(const ResourcePack*) {
  return kPackFields;
}
std::span<const FieldOp<ResourceRequest>> fields_of(const ResourceRequest*) {
  return kRequestFields;
}

template <class T>
std::vector<std::string_view> names_of(std::span<const FieldOp<T>> fields,
                                       std::initializer_list<std::string_view> first = {}) {
  std::vector<std::string_view> names(first);
  for (const auto& field : fields) names.push_back(field.name);
  return names;
}

// Transitions in time order, each (status, at, actor) once.
std::vector<model::StatusTransition> union_of(const std::vector<model::StatusTransition>& a,
                                              const std::vector<model::StatusTransition>& b) {
  std::vector<model::StatusTransition> all = a;
  all.insert(all.end(), b.begin(), b.end());
  auto key = [](const model::StatusTransition& t) {
    return std::make_tuple(t.at, model::status_rank(t.status), t.actor);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const auto& x, const auto& y) { return key(x) < key(y); });
  all.erase(std::unique(all.begin(), all.end(),
                        [&](const auto& x, const auto& y) {
                          return key(x) == key(y) && x.status == y.status;
                        }),
            all.end());
  return all;
}

template <class T>
bool same_field(const FieldOp<T>& field, const T& held, const T& incoming) {
  T probe = held;
  field.copy(probe, incoming);
  return protocol::encode_record(probe) == protocol::encode_record(held);
}

template <class T>
MergeResult merge_typed(const T* existing, const FieldClocks* existing_clocks, const T& incoming,
                        std::string_view hlc, const std::vector<std::string>& changed) {
  const auto fields = fields_of(static_cast<const T*>(nullptr));
  MergeResult out;
  if (existing == nullptr) {
    T record = incoming;
    record.hlc = std::string(hlc);
    for (const auto& field : fields) out.held.clocks.add(field.name, hlc);
    if constexpr (std::is_same_v<T, ResourceRequest>) {
      out.held.clocks.add("status", hlc);
      out.held.clocks.add("transitions", hlc);
    }
    out.held.record = std::move(record);
    out.held.hlc = std::string(hlc);
    return out;
  }

  T record = *existing;
  FieldClocks clocks = *existing_clocks;
  auto touches = [&](std::string_view name) {
    return changed.empty() || std::find(changed.begin(), changed.end(), name) != changed.end();
  };
  for (const auto& field : fields) {
    if (!touches(field.name)) continue;
    const std::string_view held_hlc = clocks.find(field.name).value_or(std::string_view{});
    if (held_hlc < hlc) {
      field.copy(record, incoming);
      clocks.set(field.name, hlc);
    } else if (held_hlc > hlc && !same_field(field, record, incoming)) {
      out.lost = true;
    }
  }
  if constexpr (std::is_same_v<T, ResourceRequest>) {
    const auto status = model::merge_status(record.status, incoming.status);
    if (status != incoming.status) out.lost = true;
    record.status = status;
    record.transitions = union_of(record.transitions, incoming.transitions);
    for (const char* name : {"status", "transitions"}) clocks.raise(name, hlc);
  }
  const std::string newest = std::max(existing->hlc, std::string(hlc));
  if constexpr (requires { record.updated_at; }) {
    if (std::string_view(existing->hlc) < hlc) record.updated_at = incoming.updated_at;
  }
  record.hlc = newest;
  out.held.record = std::move(record);
  out.held.clocks = std::move(clocks);
  out.held.hlc = newest;
  return out;
}

}  // namespace

FieldClocks::FieldClocks(std::initializer_list<value_type> clocks) {
  for (const auto& [field, clock] : clocks) add(field, clock);
}

std::vector<FieldClocks::Entry>::iterator FieldClocks::lower_bound(std::string_view field) {
  return std::lower_bound(entries_.begin(), entries_.end(), field,
                          [](const Entry& e, std::string_view f) { return e.field < f; });
}

std::vector<FieldClocks::Entry>::const_iterator FieldClocks::lower_bound(
    std::string_view field) const {
  return std::lower_bound(entries_.begin(), entries_.end(), field,
                          [](const Entry& e, std::string_view f) { return e.field < f; });
}

std::uint32_t FieldClocks::clock_index(std::string_view clock) {
  // A record holds a handful of distinct clocks, the newest usually last.
  for (std::size_t i = clocks_.size(); i > 0; --i) {
    if (clocks_[i - 1] == clock) return static_cast<std::uint32_t>(i - 1);
  }
  clocks_.emplace_back(clock);
  return static_cast<std::uint32_t>(clocks_.size() - 1);
}

std::optional<std::string_view> FieldClocks::find(std::string_view field) const {
  const auto it = lower_bound(field);
  if (it == entries_.end() || it->field != field) return std::nullopt;
  return clocks_[it->clock];
}

std::string_view FieldClocks::at(std::string_view field) const {
  const auto clock = find(field);
  if (!clock) throw std::out_of_range(util::cat("no clock for field ", field));
  return *clock;
}

void FieldClocks::set(std::string_view field, std::string_view clock) {
  const auto it = lower_bound(field);
  if (it != entries_.end() && it->field == field) {
    it->clock = clock_index(clock);
    return;
  }
  // The index first: clock_index may grow clocks_, never entries_.
  const std::uint32_t index = clock_index(clock);
  entries_.insert(it, Entry{.field = std::string(field), .clock = index});
}

void FieldClocks::add(std::string_view field, std::string_view clock) {
  const auto it = lower_bound(field);
  if (it != entries_.end() && it->field == field) return;
  const std::uint32_t index = clock_index(clock);
  entries_.insert(it, Entry{.field = std::string(field), .clock = index});
}

void FieldClocks::raise(std::string_view field, std::string_view clock) {
  const auto held = find(field);
  if (!held || *held < clock) set(field, clock);
}

bool operator==(const FieldClocks& a, const FieldClocks& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::span<const std::string_view> person_fields() {
  return kPersonFields;
}

std::vector<std::string> fill_missing_person_fields(model::Member& keep,
                                                    const model::Member& drop) {
  std::vector<std::string> filled;
  const Member blank;
  for (const auto& field : kMemberFields) {
    if (std::find(std::begin(kPersonFields), std::end(kPersonFields), field.name) ==
        std::end(kPersonFields)) {
      continue;
    }
    // Empty on keep (as a blank member has it), set on drop.
    if (same_field(field, keep, blank) && !same_field(field, drop, blank)) {
      field.copy(keep, drop);
      filled.emplace_back(field.name);
    }
  }
  return filled;
}

std::span<const std::string_view> clock_fields(protocol::Entity entity) {
  // A request's status and transitions merge by lifecycle rules but carry a
  // clock too; they come first so that its table can grow at the end.
  static const std::vector<std::string_view> member = names_of<Member>(kMemberFields);
  static const std::vector<std::string_view> event = names_of<TrainingEvent>(kEventFields);
  static const std::vector<std::string_view> attendance = names_of<Attendance>(kAttendanceFields);
  static const std::vector<std::string_view> pack = names_of<ResourcePack>(kPackFields);
  static const std::vector<std::string_view> request =
      names_of<ResourceRequest>(kRequestFields, {"status", "transitions"});
  switch (entity) {
    case protocol::Entity::member:
      return member;
    case protocol::Entity::event:
      return event;
    case protocol::Entity::attendance:
      return attendance;
    case protocol::Entity::pack:
      return pack;
    case protocol::Entity::request:
      return request;
  }
  return {};
}

std::string encode_clocks(protocol::Entity entity, const FieldClocks& clocks,
                          std::string_view newest) {
  const auto names = clock_fields(entity);
  const bool as_created =
      !clocks.empty() && clocks.size() <= names.size() &&
      std::all_of(clocks.begin(), clocks.end(),
                  [&](const auto& entry) { return entry.second == newest; }) &&
      std::all_of(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(clocks.size()),
                  [&](std::string_view name) { return clocks.find(name).has_value(); });
  if (as_created) return util::cat('*', clocks.size());
  std::string out;
  for (const auto& [field, hlc] : clocks) {
    out += field;
    if (hlc != newest) {
      out += '\t';
      out += hlc;
    }
    out += '\n';
  }
  return out;
}

FieldClocks decode_clocks(protocol::Entity entity, std::string_view text, std::string_view newest) {
  FieldClocks clocks;
  if (text.starts_with('*')) {
    const auto names = clock_fields(entity);
    std::size_t count = 0;
    const auto digits = text.substr(1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (error != std::errc() || end != digits.data() + digits.size() || count == 0 ||
        count > names.size()) {
      throw std::runtime_error(util::cat("stored field clocks \"", text.substr(0, 12),
                                         "\" do not name 1 to ", names.size(), " fields of a ",
                                         protocol::to_string(entity),
                                         "; was the database written by a newer version?"));
    }
    for (std::size_t i = 0; i < count; ++i) clocks.add(names[i], newest);
    return clocks;
  }
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    const auto tab = line.find('\t');
    if (tab != std::string_view::npos) {
      clocks.add(line.substr(0, tab), line.substr(tab + 1));
    } else if (!line.empty()) {
      clocks.add(line, newest);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return clocks;
}

MergeResult merge(const HeldRecord* existing, const protocol::Record& incoming,
                  std::string_view hlc, const std::vector<std::string>& changed_fields) {
  return std::visit(
      [&](const auto& in) -> MergeResult {
        using T = std::decay_t<decltype(in)>;
        if (existing == nullptr) return merge_typed<T>(nullptr, nullptr, in, hlc, changed_fields);
        const T* held = std::get_if<T>(&existing->record);
        if (held == nullptr) return merge_typed<T>(nullptr, nullptr, in, hlc, changed_fields);
        return merge_typed<T>(held, &existing->clocks, in, hlc, changed_fields);
      },
      incoming);
}

}  // namespace alliance::central
