// Deterministic field-level merge of a pushed change into the record the server holds.
//
// Each field remembers the HLC of the change that last wrote it. An incoming
// change writes a field (its changed_fields, or every field when that list is
// empty) only if its HLC is newer; HLC strings sort like the timestamps and the
// node id breaks ties, so every server that sees the same changes in any order
// ends with the same record. A request's status only moves forward
// (model::merge_status, cancelled wins) and its transitions are the union.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/protocol/wire.hpp"

namespace alliance::central {

// Field name -> HLC of the change that last wrote it, in field-name order.
//
// Most fields of a record share a few clocks (every field of a new record has
// the one of its create), so each distinct clock is held once and the fields
// point at it: a new member's clocks are one vector and one string, not
// thirty map nodes and thirty copies of the same HLC (issue 15's profile).
class FieldClocks {
 public:
  using value_type = std::pair<std::string_view, std::string_view>;  // field, clock

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = FieldClocks::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;
    const_iterator() = default;
    value_type operator*() const { return owner_->entry_at(at_); }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++at_;
      return before;
    }
    bool operator==(const const_iterator&) const = default;

   private:
    friend class FieldClocks;
    const_iterator(const FieldClocks* owner, std::size_t at) : owner_(owner), at_(at) {}
    const FieldClocks* owner_ = nullptr;
    std::size_t at_ = 0;
  };

  FieldClocks() = default;
  FieldClocks(std::initializer_list<value_type> clocks);

  // The field's clock; nullopt when the field has none.
  std::optional<std::string_view> find(std::string_view field) const;
  // The field's clock; throws std::out_of_range when it has none.
  std::string_view at(std::string_view field) const;
  // Gives the field this clock, whatever it had.
  void set(std::string_view field, std::string_view clock);
  // Gives the field this clock only when it has none (std::map::emplace).
  void add(std::string_view field, std::string_view clock);
  // Gives the field this clock when it has none or an older one.
  void raise(std::string_view field, std::string_view clock);

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, entries_.size()}; }

  // Same fields with the same clocks, however each side holds them.
  friend bool operator==(const FieldClocks& a, const FieldClocks& b);

 private:
  struct Entry {
    std::string field;
    std::uint32_t clock = 0;  // index into clocks_
  };
  value_type entry_at(std::size_t at) const {
    return {entries_[at].field, clocks_[entries_[at].clock]};
  }
  std::vector<Entry>::iterator lower_bound(std::string_view field);
  std::vector<Entry>::const_iterator lower_bound(std::string_view field) const;
  std::uint32_t clock_index(std::string_view clock);

  std::vector<Entry> entries_;       // sorted by field, each field once
  std::vector<std::string> clocks_;  // distinct clocks (one no longer used may linger)
};

// A row's field_hlcs: a line per field, "name<TAB>hlc", or just "name" when
// the clock is `newest` (the row's hlc column). Most fields of most records
// carry the newest clock: a new member's clocks take 274 bytes, not 1,799
// (central schema 12); rows written before then have every clock spelled out, and
// decode_clocks reads both. A record as created, every field of its entity
// at `newest`, is just "*N": the first N names of clock_fields(entity)
// (central schema 15), 3 bytes for a member instead of 274.
std::string encode_clocks(protocol::Entity entity, const FieldClocks& clocks,
                          std::string_view newest);
// Throws std::runtime_error for a "*N" that names more fields than the entity has.
FieldClocks decode_clocks(protocol::Entity entity, std::string_view text, std::string_view newest);

// The fields an entity's records carry clocks for, in the order "*N" counts
// them. It only ever grows at its end: a row written as "*N" names the same
// fields in every later version.
std::span<const std::string_view> clock_fields(protocol::Entity entity);

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
