// Values made from the field limits table (common/model/limits.hpp), and JSON
// edits by path, so tests can put every field at its limit and one past it
// without listing the fields by hand.
#pragma once

// cereal's json.hpp must come before any rapidjson header (it makes
// rapidjson's assertions throw).
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/limits.hpp"
#include "common/util/strings.hpp"

namespace alliance::test {

inline std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// A valid e-mail address of exactly `length` characters (6 to 254).
inline std::string email_of_length(std::size_t length) {
  const std::string tld = ".org";
  // local@domain: the local part takes up to 64, the domain the rest in
  // labels of at most 63, none of them empty.
  const std::size_t local = std::min<std::size_t>(64, length - 1 - tld.size() - 1);
  std::size_t left = length - local - 1 - tld.size();  // labels and their dots
  std::string domain;
  while (left > 0) {
    std::size_t label = std::min<std::size_t>(63, left);
    // Never leave exactly one character: it would need a dot and an empty label.
    if (left - label == 1) label -= 1;
    if (!domain.empty()) {
      domain += '.';
      --left;
      label = std::min(label, left);
    }
    domain += repeat("d", label);
    left -= label;
  }
  return repeat("a", local) + "@" + domain + tld;
}

// A string of `length` code points shaped for the field, well-formed where
// the shape allows it at that length (text, names, e-mails, ids, dates, HLCs),
// so "at the limit" is accepted whole, not merely "not too long".
inline std::string value_of_length(const model::FieldLimit& limit, std::size_t length) {
  using S = model::FieldShape;
  switch (limit.shape) {
    case S::text:
    case S::name:
      // Two bytes each: limits count code points, not bytes.
      return repeat("\xC3\xA9", length);
    case S::email:
      return email_of_length(length);
    case S::date:
      return length == 10 ? std::string("2026-11-28") : repeat("2", length);
    case S::timestamp:
      return length >= 21 ? "2026-11-28T10:00:00." + repeat("0", length - 21) + "Z"
                          : repeat("0", length);
    case S::hlc:
      return length > 24 ? "000001764365405123-0000-" + repeat("n", length - 24)
                         : repeat("0", length);
    case S::reference_code:
      return repeat("K", length);
    case S::phone:
      return "+" + repeat("7", length - 1);
    case S::code:
    case S::id:
    case S::list:
      return repeat("a", length);
  }
  return repeat("a", length);
}

// Shapes whose value_of_length at the limit is well-formed, so a field of that
// shape must be accepted whole there (a code or a phone number of the longest
// length is merely not too long).
inline bool whole_at_limit(model::FieldShape shape) {
  return shape != model::FieldShape::code && shape != model::FieldShape::phone &&
         shape != model::FieldShape::date;
}

// A JSON string literal.
inline std::string quoted(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Sets the value at `path` inside the JSON object `json` to `value_json`
// (JSON text) and returns the new text. Segments are separated by '.'; a
// segment ending in "[]" steps into the list's first element, made (as an
// object) if the list is empty or absent. Missing objects are made.
inline std::string json_set(std::string_view json, std::string_view path,
                            std::string_view value_json) {
  rapidjson::Document doc;
  if (doc.Parse(json.data(), json.size()).HasParseError() || !doc.IsObject()) {
    throw std::invalid_argument("json_set: not a JSON object");
  }
  auto& alloc = doc.GetAllocator();
  rapidjson::Value* node = &doc;
  std::string_view rest = path;
  while (true) {
    const auto dot = rest.find('.');
    std::string_view segment = rest.substr(0, dot);
    const bool last = dot == std::string_view::npos;
    const bool element = segment.ends_with("[]");
    if (element) segment.remove_suffix(2);
    const std::string name(segment);
    if (last && !element) {
      rapidjson::Document value(&alloc);
      if (value.Parse(value_json.data(), value_json.size()).HasParseError()) {
        throw std::invalid_argument("json_set: the value is not JSON");
      }
      rapidjson::Value copy(value, alloc);
      if (node->HasMember(name.c_str())) {
        (*node)[name.c_str()] = copy;
      } else {
        node->AddMember(rapidjson::Value(name.c_str(), alloc), copy, alloc);
      }
      break;
    }
    if (!node->HasMember(name.c_str())) {
      rapidjson::Value fresh(element ? rapidjson::kArrayType : rapidjson::kObjectType);
      node->AddMember(rapidjson::Value(name.c_str(), alloc), fresh, alloc);
    }
    node = &(*node)[name.c_str()];
    if (element) {
      if (node->Empty()) node->PushBack(rapidjson::Value(rapidjson::kObjectType), alloc);
      node = &(*node)[0];
    }
    if (last) throw std::invalid_argument("json_set: a path cannot end in []");
    rest.remove_prefix(dot + 1);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A JSON list of `count` items for a list field: strings for a list of
// strings (made from `item`, which the caller picks valid), objects for a list
// of objects (`item` is the JSON of one; "{i}" in it becomes the index, so
// items can differ).
inline std::string json_list(std::size_t count, std::string_view item) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    std::string one(item);
    if (const auto mark = one.find("{i}"); mark != std::string::npos) {
      one.replace(mark, 3, util::cat(i));
    }
    out += one;
  }
  out += ']';
  return out;
}

}  // namespace alliance::test
