// Deterministic field-level merge of a pushed change into the record the server holds.
//
// Each field remembers the HLC of the change that last wrote it. An incoming
// change writes a field (its changed_fields, or every field when that list is
// empty) only if its HLC is newer; HLC strings sort like the timestamps and the
// node id breaks ties, so every server that sees the same changes in any order
// ends with the same record. A request's status only moves forward
// (model::merge_status, cancelled wins) and its transitions are the union.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/wire.hpp"

namespace alliance::central {

// Field name -> HLC of the change that last wrote it.
using FieldClocks = std::map<std::string, std::string, std::less<>>;

// A row's field_hlcs: a line per field, "name<TAB>hlc", or just "name" when
// the clock is `newest` (the row's hlc column). Most fields of most records
// carry the newest clock: a new member's clocks take 274 bytes, not 1,799
// (central schema 12); rows written before then have every clock spelled out, and
// decode_clocks reads both.
std::string encode_clocks(const FieldClocks& clocks, std::string_view newest);
FieldClocks decode_clocks(std::string_view text, std::string_view newest);

struct HeldRecord {
  protocol::Record record;
  FieldClocks clocks;
  std::string hlc;  // newest HLC of any write
};

struct MergeResult {
  HeldRecord held;
  // The incoming change lost on at least one field whose value it would have
  // changed: the device's view differs from what the server kept.
  bool lost = false;
};

// Merges `incoming` (already validated and normalised) written at `hlc` with
// the fields `changed_fields` into `existing` (none for a new record).
// The record types of existing and incoming must match.
MergeResult merge(const HeldRecord* existing, const protocol::Record& incoming,
                  std::string_view hlc, const std::vector<std::string>& changed_fields);

// The member fields that describe the person (names, contact, country,
// organisation, role, ...), not identity (kind, reference code), history
// (event, created), void state, merge, consent or e-update opt-in. Merging two
// members fills these on the kept one from the dropped one; a device's later
// edit of the dropped member carries these over to the kept one.
std::span<const std::string_view> person_fields();
// Copies into `keep` every person field it lacks (empty or unset) that
// `drop` has; returns their names, in field order.
std::vector<std::string> fill_missing_person_fields(model::Member& keep, const model::Member& drop);

}  // namespace alliance::central
