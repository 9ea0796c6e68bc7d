// JSON encoding and decoding of the API v1 wire types with rapidjson (cereal's rules and
// exceptions).
//
// Every type is written field by field as named values straight into the
// JSON writer, never through cereal's generic serialize(), so the output has no
// "value0" names and no {"nullopt": ...} wrappers. Empty strings, empty lists,
// absent optionals and false flags are left out and read back as empty; JSON
// null reads as absent. Enums travel as snake_case strings.
//
// Reading goes through Reader (over JsonCursor, below), which turns the
// exceptions of cereal's RAPIDJSON_ASSERT into DecodeError
// codes naming the field's path (e.g. "changes[2].record.birth_year").
#include "common/protocol/codec.hpp"

// cereal's json.hpp must come before any rapidjson header: it redefines
// RAPIDJSON_ASSERT to throw cereal::RapidJSONException instead of aborting.
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "common/model/codes.hpp"
#include "common/model/limits.hpp"
#include "common/model/text.hpp"
#include "common/protocol/json_guard.hpp"
#include "common/util/strings.hpp"

namespace alliance::protocol {
namespace {

// ---------------------------------------------------------------------------
// Enum spellings of the protocol's own enums.

template <class E>
using NameTable = std::span<const std::pair<E, std::string_view>>;

constexpr std::pair<Entity, std::string_view> kEntityNames[] = {
    {Entity::member, "member"}, {Entity::event, "event"},     {Entity::attendance, "attendance"},
    {Entity::pack, "pack"},     {Entity::request, "request"},
};
constexpr std::pair<Operation, std::string_view> kOperationNames[] = {
    {Operation::create, "create"},
    {Operation::update, "update"},
    {Operation::void_record, "void"},
    {Operation::transition, "transition"},
};
constexpr std::pair<Outcome, std::string_view> kOutcomeNames[] = {
    {Outcome::applied, "applied"},
    {Outcome::duplicate, "duplicate"},
    {Outcome::conflict, "conflict"},
    {Outcome::rejected, "rejected"},
};

template <class E>
std::string_view name_in(NameTable<E> table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return {};
}

template <class E>
std::optional<E> value_in(NameTable<E> table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Writing.

// Named-value writer straight into a rapidjson string buffer (compact, the
// same escaping cereal's archive used through rapidjson); knows the omission
// rules. No std::ostream in between: encoding is on every change's path.
class Writer {
 public:
  using Json = rapidjson::Writer<rapidjson::StringBuffer>;
  explicit Writer(Json& out) : out_(out) {}

  void text(const char* name, const std::string& value) {
    if (value.empty()) return;
    key(name);
    string(value);
  }
  void code(const char* name, std::string_view value) {
    key(name);
    string(value);
  }
  void number(const char* name, int value) {
    key(name);
    out_.Int(value);
  }
  void number(const char* name, std::int64_t value) {
    key(name);
    out_.Int64(value);
  }
  void number(const char* name, const std::optional<int>& value) {
    if (value) number(name, *value);
  }
  void flag(const char* name, bool value) {
    if (!value) return;
    key(name);
    out_.Bool(true);
  }
  // A yes or no that means something either way: written when known.
  void answer(const char* name, const std::optional<bool>& value) {
    if (!value) return;
    key(name);
    out_.Bool(*value);
  }
  void texts(const char* name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    begin_array(name);
    for (const std::string& value : values) string(value);
    end();
  }
  // Writes a non-empty list as an array of objects, each filled by write_item.
  template <class T, class Fn>
  void objects(const char* name, const std::vector<T>& items, Fn&& write_item) {
    if (items.empty()) return;
    begin_array(name);
    for (const T& item : items) {
      out_.StartObject();
      write_item(item);
      out_.EndObject();
    }
    end();
  }

  void begin_object(const char* name) {
    key(name);
    out_.StartObject();
    arrays_.push_back(false);
  }
  void begin_array(const char* name) {
    key(name);
    out_.StartArray();
    arrays_.push_back(true);
  }
  void end() {
    const bool array = arrays_.back();
    arrays_.pop_back();
    if (array) {
      out_.EndArray();
    } else {
      out_.EndObject();
    }
  }

 private:
  void key(const char* name) {
    out_.Key(name, static_cast<rapidjson::SizeType>(std::char_traits<char>::length(name)));
  }
  void string(std::string_view value) {
    out_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }

  Json& out_;
  std::vector<bool> arrays_;  // per open begin_*: whether it is an array
};

// Runs body on a fresh root object and returns the compact JSON text.
template <class Fn>
std::string write_json(Fn&& body) {
  // A member and its change take 1-1.5 KB: starting there saves the buffer
  // four or five regrowths from rapidjson's 256 bytes.
  constexpr std::size_t kFirstCapacity = 2048;
  rapidjson::StringBuffer buffer(nullptr, kFirstCapacity);
  Writer::Json json(buffer);
  json.StartObject();
  Writer writer(json);
  body(writer);
  json.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void write(Writer& w, const model::Consent& v) {
  if (!v.given && v.text_version.empty() && v.given_at.empty()) return;
  w.begin_object("consent");
  w.flag("given", v.given);
  w.text("text_version", v.text_version);
  w.text("given_at", v.given_at);
  w.end();
}

void write(Writer& w, const model::Member& v) {
  w.text("id", v.id);
  w.code("kind", model::to_string(v.kind));
  w.text("reference_code", v.reference_code);
  w.text("given_name", v.given_name);
  w.text("family_name", v.family_name);
  w.text("gender", v.gender);
  w.number("birth_year", v.birth_year);
  w.text("contact_person", v.contact_person);
  w.text("phone", v.phone);
  w.text("email", v.email);
  w.text("country", v.country);
  w.text("region", v.region);
  w.text("organisation", v.organisation);
  w.text("organisation_type", v.organisation_type);
  w.text("role", v.role);
  w.number("years_experience", v.years_experience);
  w.text("qualification", v.qualification);
  w.texts("interest_groups", v.interest_groups);
  w.flag("e_updates", v.e_updates);
  w.text("preferred_language", v.preferred_language);
  write(w, v.consent);
  w.text("event_id", v.event_id);
  w.text("created_at", v.created_at);
  w.text("updated_at", v.updated_at);
  w.text("hlc", v.hlc);
  w.flag("voided", v.voided);
  w.text("void_reason", v.void_reason);
  w.text("merged_into", v.merged_into);
}

void write(Writer& w, const model::TrainingEvent& v) {
  w.text("id", v.id);
  w.code("kind", model::to_string(v.kind));
  w.text("name", v.name);
  w.text("place", v.place);
  w.text("country", v.country);
  w.text("start_date", v.start_date);
  w.text("end_date", v.end_date);
  w.text("organiser", v.organiser);
  w.text("office", v.office);
  w.text("hlc", v.hlc);
  w.text("updated_at", v.updated_at);
  w.flag("voided", v.voided);
}

void write(Writer& w, const model::Attendance& v) {
  w.text("id", v.id);
  w.text("member_id", v.member_id);
  w.text("event_id", v.event_id);
  w.text("day", v.day);
  w.text("checked_in_at", v.checked_in_at);
  w.text("hlc", v.hlc);
  w.flag("voided", v.voided);
}

void write(Writer& w, const model::ResourcePack& v) {
  w.text("id", v.id);
  w.text("title", v.title);
  w.texts("languages", v.languages);
  w.code("format", model::to_string(v.format));
  w.objects("stock", v.stock, [&](const model::OfficeStock& s) {
    w.text("office", s.office);
    w.number("quantity", s.quantity);
  });
  w.text("hlc", v.hlc);
  w.text("updated_at", v.updated_at);
  w.flag("retired", v.retired);
}

void write(Writer& w, const model::ResourceRequest& v) {
  w.text("id", v.id);
  w.text("reference_code", v.reference_code);
  w.text("member_id", v.member_id);
  w.text("organisation_name", v.organisation_name);
  w.text("contact_name", v.contact_name);
  w.text("contact_phone", v.contact_phone);
  w.text("contact_email", v.contact_email);
  w.objects("lines", v.lines, [&](const model::RequestLine& line) {
    w.text("pack_id", line.pack_id);
    w.number("quantity", line.quantity);
  });
  w.code("delivery", model::to_string(v.delivery));
  w.text("delivery_address", v.delivery_address);
  w.text("office", v.office);
  w.text("event_id", v.event_id);
  w.code("status", model::to_string(v.status));
  w.objects("transitions", v.transitions, [&](const model::StatusTransition& t) {
    w.code("status", model::to_string(t.status));
    w.text("actor", t.actor);
    w.text("at", t.at);
  });
  w.text("received_by", v.received_by);
  w.text("created_at", v.created_at);
  w.text("updated_at", v.updated_at);
  w.text("hlc", v.hlc);
}

void write(Writer& w, const Record& v) {
  std::visit([&](const auto& record) { write(w, record); }, v);
}

void write_record_object(Writer& w, const char* name, const Record& v) {
  w.begin_object(name);
  write(w, v);
  w.end();
}

void write_errors(Writer& w, const std::vector<model::FieldError>& errors) {
  w.objects("errors", errors, [&](const model::FieldError& e) {
    w.text("field", e.field);
    w.text("key", e.key);
  });
}

// The entity is taken from the record itself so that "entity" and "record"
// can never disagree on the wire.
void write(Writer& w, const Change& v) {
  w.number("schema", v.schema);
  w.text("change_id", v.change_id);
  w.code("entity", to_string(entity_of(v.record)));
  w.text("entity_id", v.entity_id);
  w.code("op", to_string(v.op));
  w.text("hlc", v.hlc);
  w.texts("changed_fields", v.changed_fields);
  write_record_object(w, "record", v.record);
}

void write(Writer& w, const ChangeResult& v) {
  w.text("change_id", v.change_id);
  w.code("outcome", to_string(v.outcome));
  w.text("code", v.code);
  w.text("message", v.message);
  write_errors(w, v.errors);
  if (v.server_record) {
    w.code("server_entity", to_string(entity_of(*v.server_record)));
    write_record_object(w, "server_record", *v.server_record);
  }
}

void write(Writer& w, const PulledChange& v) {
  w.number("seq", v.seq);
  w.code("entity", to_string(entity_of(v.record)));
  w.text("entity_id", v.entity_id);
  w.text("hlc", v.hlc);
  w.texts("field_hlcs", v.field_hlcs);
  write_record_object(w, "record", v.record);
}

// ---------------------------------------------------------------------------
// Reading.

// Carries a finished DecodeError out of the nested readers.
class DecodeFailure : public std::exception {
 public:
  explicit DecodeFailure(DecodeError error) : error_(std::move(error)) {}
  const char* what() const noexcept override { return error_.message.c_str(); }
  const DecodeError& error() const { return error_; }

 private:
  DecodeError error_;
};

[[noreturn]] void fail(std::string code, std::string message) {
  throw DecodeFailure(DecodeError{std::move(code), std::move(message)});
}

// The parsed document and a stack of positions in it: cereal's
// JSONInputArchive as the Reader used it (same document, same reading order,
// same exceptions: cereal::RapidJSONException from RAPIDJSON_ASSERT for a
// value of the wrong JSON type, cereal::Exception past the end of a node),
// except that a name that is absent is answered by find() instead of an
// exception. Empty fields are left out when encoding, so absent names are
// the common case, and throwing for each one made exceptions the largest
// single cost of decoding a push.
class JsonCursor {
 public:
  // `document` came from parse_checked, so its root is an object.
  explicit JsonCursor(rapidjson::Document document) : document_(std::move(document)) {
    push(document_);
  }

  // Moves to member `name` of the current object; false if it has none (or
  // the current node is an array). The member in reading order is tried first.
  bool find(const char* name) {
    Position& at = positions_.back();
    if (!at.members) return false;
    if (const char* current = at.name(); current != nullptr && std::strcmp(current, name) == 0) {
      return true;
    }
    const std::size_t length = std::strlen(name);
    for (std::size_t i = 0; i < at.size; ++i) {
      const auto& key = at.node->MemberBegin()[static_cast<rapidjson::SizeType>(i)].name;
      if (key.GetStringLength() == length && std::strcmp(key.GetString(), name) == 0) {
        at.index = i;
        return true;
      }
    }
    return false;
  }

  template <class T>
  void loadValue(T& out) {
    const rapidjson::Value& value = positions_.back().value();
    if constexpr (std::is_same_v<T, std::string>) {
      out = value.GetString();  // as cereal read it: up to a NUL
    } else if constexpr (std::is_same_v<T, bool>) {
      out = value.GetBool();
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      out = value.GetInt64();
    } else if constexpr (std::is_same_v<T, int>) {
      out = value.GetInt();
    } else {
      static_assert(std::is_same_v<T, std::nullptr_t>);
      RAPIDJSON_ASSERT(value.IsNull());
    }
    ++positions_.back().index;
  }

  // Enters the current value: an array, or else it must be an object.
  void startNode() { push(positions_.back().value()); }
  void finishNode() {
    positions_.pop_back();
    ++positions_.back().index;
  }
  // The length of the array most recently entered.
  void loadSize(cereal::size_type& size) {
    size = positions_.size() == 1 ? document_.Size() : positions_.rbegin()[1].value().Size();
  }
  // The name of the current member; nullptr in an array or past the end.
  const char* getNodeName() const { return positions_.back().name(); }

 private:
  struct Position {
    const rapidjson::Value* node;
    bool members;
    std::size_t size;
    std::size_t index = 0;

    const char* name() const {
      if (!members || index >= size) return nullptr;
      return node->MemberBegin()[static_cast<rapidjson::SizeType>(index)].name.GetString();
    }
    const rapidjson::Value& value() const {
      if (index >= size) throw cereal::Exception("No more objects in input");
      const auto i = static_cast<rapidjson::SizeType>(index);
      return members ? node->MemberBegin()[i].value : (*node)[i];
    }
  };

  void push(const rapidjson::Value& node) {
    if (node.IsArray()) {
      positions_.push_back(Position{.node = &node, .members = false, .size = node.Size()});
    } else {
      node.MemberBegin();  // asserts (throws) unless it is an object
      positions_.push_back(Position{.node = &node, .members = true, .size = node.MemberCount()});
    }
  }

  rapidjson::Document document_;
  std::vector<Position> positions_;
};

// Named-value reader over a JsonCursor. A value of the wrong JSON type comes
// as cereal::RapidJSONException, which does not move the cursor, so a failed
// load can be retried as a null check.
class Reader {
 public:
  explicit Reader(JsonCursor& ar) : ar_(ar) {}

  // Loads a scalar (std::string, int, std::int64_t, bool). Returns false and
  // leaves `out` alone if the field is absent or null.
  template <class T>
  bool optional(const char* name, T& out) {
    if (!ar_.find(name)) return false;
    try {
      ar_.loadValue(out);
      return true;
    } catch (const cereal::RapidJSONException&) {
      if (is_null(name)) return false;
      fail("wrong_type", "field '" + where(name) + "' has the wrong type");
    } catch (const cereal::Exception&) {
      return false;
    }
  }

  bool optional(const char* name, std::optional<int>& out) {
    int value = 0;
    if (!optional(name, value)) return false;
    out = value;
    return true;
  }

  template <class T>
  void required(const char* name, T& out) {
    if (!optional(name, out)) missing(name);
  }

  // Loads an enum from its string form. Returns whether the field was there.
  template <class E>
  bool code(const char* name, E& out, std::optional<E> (*from)(std::string_view),
            bool is_required) {
    std::string text;
    if (!optional(name, text)) {
      if (is_required) missing(name);
      return false;
    }
    const std::optional<E> value = from(text);
    if (!value) fail("invalid_value", "field '" + where(name) + "' has an unknown value");
    out = *value;
    return true;
  }

  // Enters a nested object; false (and nothing entered) if absent or null.
  bool begin_object(const char* name) {
    if (!ar_.find(name)) return false;
    try {
      ar_.startNode();
    } catch (const cereal::RapidJSONException&) {
      if (is_null(name)) return false;
      fail("wrong_type", "field '" + where(name) + "' must be an object");
    } catch (const cereal::Exception&) {
      return false;
    }
    path_.push_back(Segment{name, 0});
    expect_object();
    return true;
  }

  void require_object(const char* name) {
    if (!begin_object(name)) missing(name);
  }

  // Enters an array and returns its length; nullopt if absent or null.
  std::optional<std::size_t> begin_array(const char* name) {
    if (!ar_.find(name)) return std::nullopt;
    try {
      ar_.startNode();
    } catch (const cereal::RapidJSONException&) {
      if (is_null(name)) return std::nullopt;
      fail("wrong_type", "field '" + where(name) + "' must be an array");
    } catch (const cereal::Exception&) {
      return std::nullopt;
    }
    path_.push_back(Segment{name, 0});
    cereal::size_type size = 0;
    try {
      ar_.loadSize(size);
    } catch (const cereal::RapidJSONException&) {
      fail("wrong_type", "field '" + where(nullptr) + "' must be an array");
    }
    return static_cast<std::size_t>(size);
  }

  // Enters element `index` of the current array, which must be an object.
  void begin_element_object(std::size_t index) {
    path_.push_back(Segment{nullptr, index});
    try {
      ar_.startNode();
    } catch (const cereal::RapidJSONException&) {
      fail("wrong_type", "field '" + where(nullptr) + "' must be an object");
    }
    expect_object();
  }

  void element(std::size_t index, std::string& out) {
    try {
      ar_.loadValue(out);
    } catch (const cereal::RapidJSONException&) {
      path_.push_back(Segment{nullptr, index});
      fail("wrong_type", "field '" + where(nullptr) + "' must be a string");
    }
  }

  // Leaves the object or array most recently entered.
  void end() {
    ar_.finishNode();
    path_.pop_back();
  }

  [[noreturn]] void missing(const char* name) const {
    fail("missing_field", "missing field '" + where(name) + "'");
  }

  // Refuses a string read into `name` that is over its limit (limits.hpp).
  void check_length(const char* name, const std::string& value,
                    const model::FieldLimit& limit) const {
    // The text is valid UTF-8: check_json_text saw it.
    if (model::utf8_length(value) > limit.max_length) {
      fail("too_long",
           util::cat("field '", where(name), "' is longer than ", limit.max_length, " characters"));
    }
  }

  // Refuses a list in `name` (already entered, so name is nullptr) with more
  // items than its limit.
  void check_items(std::size_t items, const model::FieldLimit& limit) const {
    if (items > limit.max_items) {
      fail("too_many",
           util::cat("field '", where(nullptr), "' has more than ", limit.max_items, " items"));
    }
  }

  // The dotted path of `name` inside the current node, or of the node itself.
  std::string where(const char* name) const {
    std::string out;
    for (const Segment& s : path_) {
      if (s.name == nullptr) {
        out += "[" + std::to_string(s.index) + "]";
      } else {
        if (!out.empty()) out += '.';
        out += s.name;
      }
    }
    if (name != nullptr) {
      if (!out.empty()) out += '.';
      out += name;
    }
    return out;
  }

 private:
  struct Segment {
    const char* name;   // nullptr for an array element
    std::size_t index;  // element index when name is nullptr
  };

  bool is_null(const char* name) {
    if (!ar_.find(name)) return false;
    try {
      std::nullptr_t null_value = nullptr;
      ar_.loadValue(null_value);
      return true;
    } catch (const cereal::Exception&) {
      return false;
    }
  }

  // startNode() accepts arrays as well as objects. A node whose first entry
  // has no name is an array or an empty object; only an array has a size.
  void expect_object() {
    if (ar_.getNodeName() != nullptr) return;
    cereal::size_type size = 0;
    try {
      ar_.loadSize(size);
    } catch (const cereal::RapidJSONException&) {
      return;  // an empty object
    }
    fail("wrong_type", "field '" + where(nullptr) + "' must be an object");
  }

  JsonCursor& ar_;
  std::vector<Segment> path_;
};

// Reads a list of objects; with `limit`, refuses one over its max_items
// before reading any item.
template <class T, class Fn>
void read_objects(Reader& r, const char* name, std::vector<T>& out, Fn&& read_item,
                  const model::FieldLimit* limit = nullptr) {
  const std::optional<std::size_t> size = r.begin_array(name);
  if (!size) return;
  if (limit != nullptr) r.check_items(*size, *limit);
  out.clear();
  for (std::size_t i = 0; i < *size; ++i) {
    T item;
    r.begin_element_object(i);
    read_item(item);
    r.end();
    out.push_back(std::move(item));
  }
  r.end();
}

// Reads a list of strings; with `limit`, refuses too many items or a too long one.
void read_texts(Reader& r, const char* name, std::vector<std::string>& out,
                const model::FieldLimit* limit = nullptr) {
  const std::optional<std::size_t> size = r.begin_array(name);
  if (!size) return;
  if (limit != nullptr) r.check_items(*size, *limit);
  out.clear();
  for (std::size_t i = 0; i < *size; ++i) {
    std::string item;
    r.element(i, item);
    if (limit != nullptr && model::utf8_length(item) > limit->max_length) {
      fail("too_long", util::cat("field '", r.where(nullptr), "[", i, "]' is longer than ",
                                 limit->max_length, " characters"));
    }
    out.push_back(std::move(item));
  }
  r.end();
}

// A wire-only string field (limits.hpp, `message`): read, then held to its limit.
template <bool Required>
void read_bounded(Reader& r, std::string_view message, const char* name, std::string& out) {
  const bool present = r.optional(name, out);
  if (Required && !present) r.missing(name);
  if (present) r.check_length(name, out, model::limit_of(message, name));
}

const model::FieldLimit* list_limit(std::string_view message, std::string_view name) {
  return &model::limit_of(message, name);
}

void read_schema(Reader& r, int& schema) {
  r.required("schema", schema);
  if (schema > kSchemaVersion) {
    fail("unsupported_schema", "schema " + std::to_string(schema) +
                                   " is newer than the supported schema " +
                                   std::to_string(kSchemaVersion));
  }
  if (schema < 1) fail("invalid_value", "field '" + r.where("schema") + "' has an unknown value");
}

// Records: "id" and the enums (always written) are required, the rest may be absent.

void read(Reader& r, model::Consent& v) {
  if (!r.begin_object("consent")) return;
  r.optional("given", v.given);
  r.optional("text_version", v.text_version);
  r.optional("given_at", v.given_at);
  r.end();
}

void read(Reader& r, model::Member& v) {
  r.required("id", v.id);
  r.code("kind", v.kind, &model::member_kind_from, true);
  r.optional("reference_code", v.reference_code);
  r.optional("given_name", v.given_name);
  r.optional("family_name", v.family_name);
  r.optional("gender", v.gender);
  r.optional("birth_year", v.birth_year);
  r.optional("contact_person", v.contact_person);
  r.optional("phone", v.phone);
  r.optional("email", v.email);
  r.optional("country", v.country);
  r.optional("region", v.region);
  r.optional("organisation", v.organisation);
  r.optional("organisation_type", v.organisation_type);
  r.optional("role", v.role);
  r.optional("years_experience", v.years_experience);
  r.optional("qualification", v.qualification);
  read_texts(r, "interest_groups", v.interest_groups);
  r.optional("e_updates", v.e_updates);
  r.optional("preferred_language", v.preferred_language);
  read(r, v.consent);
  r.optional("event_id", v.event_id);
  r.optional("created_at", v.created_at);
  r.optional("updated_at", v.updated_at);
  r.optional("hlc", v.hlc);
  r.optional("voided", v.voided);
  r.optional("void_reason", v.void_reason);
  r.optional("merged_into", v.merged_into);
}

void read(Reader& r, model::TrainingEvent& v) {
  r.required("id", v.id);
  r.code("kind", v.kind, &model::event_kind_from, true);
  r.optional("name", v.name);
  r.optional("place", v.place);
  r.optional("country", v.country);
  r.optional("start_date", v.start_date);
  r.optional("end_date", v.end_date);
  r.optional("organiser", v.organiser);
  r.optional("office", v.office);
  r.optional("hlc", v.hlc);
  r.optional("updated_at", v.updated_at);
  r.optional("voided", v.voided);
}

void read(Reader& r, model::Attendance& v) {
  r.required("id", v.id);
  r.optional("member_id", v.member_id);
  r.optional("event_id", v.event_id);
  r.optional("day", v.day);
  r.optional("checked_in_at", v.checked_in_at);
  r.optional("hlc", v.hlc);
  r.optional("voided", v.voided);
}

void read(Reader& r, model::ResourcePack& v) {
  r.required("id", v.id);
  r.optional("title", v.title);
  read_texts(r, "languages", v.languages);
  r.code("format", v.format, &model::pack_format_from, true);
  read_objects(r, "stock", v.stock, [&](model::OfficeStock& s) {
    r.required("office", s.office);
    r.required("quantity", s.quantity);
  });
  r.optional("hlc", v.hlc);
  r.optional("updated_at", v.updated_at);
  r.optional("retired", v.retired);
}

void read(Reader& r, model::ResourceRequest& v) {
  r.required("id", v.id);
  r.optional("reference_code", v.reference_code);
  r.optional("member_id", v.member_id);
  r.optional("organisation_name", v.organisation_name);
  r.optional("contact_name", v.contact_name);
  r.optional("contact_phone", v.contact_phone);
  r.optional("contact_email", v.contact_email);
  read_objects(r, "lines", v.lines, [&](model::RequestLine& line) {
    r.required("pack_id", line.pack_id);
    r.required("quantity", line.quantity);
  });
  r.code("delivery", v.delivery, &model::delivery_from, true);
  r.optional("delivery_address", v.delivery_address);
  r.optional("office", v.office);
  r.optional("event_id", v.event_id);
  r.code("status", v.status, &model::request_status_from, true);
  read_objects(r, "transitions", v.transitions, [&](model::StatusTransition& t) {
    r.code("status", t.status, &model::request_status_from, true);
    r.optional("actor", t.actor);
    r.optional("at", t.at);
  });
  r.optional("received_by", v.received_by);
  r.optional("created_at", v.created_at);
  r.optional("updated_at", v.updated_at);
  r.optional("hlc", v.hlc);
}

template <class T>
Record read_as(Reader& r) {
  T record;
  read(r, record);
  return record;
}

Record read_record(Reader& r, Entity entity) {
  switch (entity) {
    case Entity::member:
      return read_as<model::Member>(r);
    case Entity::event:
      return read_as<model::TrainingEvent>(r);
    case Entity::attendance:
      return read_as<model::Attendance>(r);
    case Entity::pack:
      return read_as<model::ResourcePack>(r);
    case Entity::request:
      return read_as<model::ResourceRequest>(r);
  }
  fail("invalid_value", "unknown entity");
}

Record read_record_object(Reader& r, const char* name, Entity entity) {
  r.require_object(name);
  Record record = read_record(r, entity);
  r.end();
  return record;
}

// `message` is "result" or "error": the limits of the list and its fields.
void read_errors(Reader& r, std::string_view message, std::vector<model::FieldError>& errors) {
  const model::FieldLimit& field = model::limit_of(message, "errors[].field");
  const model::FieldLimit& key = model::limit_of(message, "errors[].key");
  read_objects(
      r, "errors", errors,
      [&](model::FieldError& e) {
        if (r.optional("field", e.field)) r.check_length("field", e.field, field);
        r.required("key", e.key);
        r.check_length("key", e.key, key);
      },
      list_limit(message, "errors"));
}

void read(Reader& r, Change& v) {
  read_schema(r, v.schema);
  read_bounded<true>(r, "change", "change_id", v.change_id);
  r.code("entity", v.entity, &entity_from, true);
  read_bounded<true>(r, "change", "entity_id", v.entity_id);
  r.code("op", v.op, &operation_from, true);
  read_bounded<true>(r, "change", "hlc", v.hlc);
  read_texts(r, "changed_fields", v.changed_fields, list_limit("change", "changed_fields"));
  v.record = read_record_object(r, "record", v.entity);
}

void read(Reader& r, ChangeResult& v) {
  read_bounded<true>(r, "result", "change_id", v.change_id);
  r.code("outcome", v.outcome, &outcome_from, true);
  read_bounded<false>(r, "result", "code", v.code);
  read_bounded<false>(r, "result", "message", v.message);
  read_errors(r, "result", v.errors);
  Entity server_entity = Entity::member;
  const bool has_entity = r.code("server_entity", server_entity, &entity_from, false);
  if (r.begin_object("server_record")) {
    if (!has_entity) {
      r.end();
      r.missing("server_entity");
    }
    v.server_record = read_record(r, server_entity);
    r.end();
  }
}

void read(Reader& r, PulledChange& v) {
  r.required("seq", v.seq);
  r.code("entity", v.entity, &entity_from, true);
  read_bounded<true>(r, "pulled_change", "entity_id", v.entity_id);
  read_bounded<true>(r, "pulled_change", "hlc", v.hlc);
  read_texts(r, "field_hlcs", v.field_hlcs, list_limit("pulled_change", "field_hlcs"));
  v.record = read_record_object(r, "record", v.entity);
}

void read(Reader& r, HealthResponse& v) {
  read_schema(r, v.schema);
  read_bounded<true>(r, "health", "status", v.status);
  r.required("api_version", v.api_version);
  read_bounded<false>(r, "health", "server_version", v.server_version);
}

void read(Reader& r, EnrollRequest& v) {
  read_schema(r, v.schema);
  read_bounded<true>(r, "enroll_request", "code", v.code);
  read_bounded<false>(r, "enroll_request", "device_name", v.device_name);
  read_bounded<false>(r, "enroll_request", "app_version", v.app_version);
  read_bounded<false>(r, "enroll_request", "hlc_node", v.hlc_node);
  read_bounded<false>(r, "enroll_request", "signing_key", v.signing_key);
}

void read(Reader& r, EnrollResponse& v) {
  read_schema(r, v.schema);
  read_bounded<true>(r, "enroll_response", "device_id", v.device_id);
  read_bounded<true>(r, "enroll_response", "token", v.token);
  read_bounded<false>(r, "enroll_response", "office", v.office);
  read_bounded<false>(r, "enroll_response", "code_prefix", v.code_prefix);
  read_bounded<false>(r, "enroll_response", "signing_key", v.signing_key);
}

void read(Reader& r, PushRequest& v) {
  read_schema(r, v.schema);
  read_objects(r, "changes", v.changes, [&](Change& c) { read(r, c); });
}

void read_lineage(Reader& r, std::string_view message, CentralLineage& v) {
  read_bounded<false>(r, message, "database_id", v.database_id);
  r.optional("restore_epoch", v.restore_epoch);
  r.optional("server_seq", v.server_seq);
  read_bounded<false>(r, message, "signing_key", v.signing_key);
}

void read(Reader& r, PushResponse& v) {
  read_schema(r, v.schema);
  read_objects(r, "results", v.results, [&](ChangeResult& c) { read(r, c); });
  r.optional("server_time_ms", v.server_time_ms);
  read_lineage(r, "push_response", v.central);
}

void read(Reader& r, PullResponse& v) {
  read_schema(r, v.schema);
  read_objects(r, "changes", v.changes, [&](PulledChange& c) { read(r, c); });
  r.required("next_cursor", v.next_cursor);
  r.optional("more", v.more);
  r.optional("server_time_ms", v.server_time_ms);
  read_bounded<false>(r, "pull_response", "code_prefix", v.code_prefix);
  read_lineage(r, "pull_response", v.central);
  bool held = false;
  if (r.optional("acked_held", held)) v.acked_held = held;
}

void read(Reader& r, ErrorBody& v) {
  read_bounded<true>(r, "error", "code", v.code);
  read_bounded<false>(r, "error", "message", v.message);
  read_errors(r, "error", v.errors);
}

// Parses the text with its checks (parse_checked) and runs read_root on the
// root object. Never throws: every failure comes back as a DecodeError.
template <class T, class Fn>
Decoded<T> decode_with(std::string_view json, Fn&& read_root) {
  rapidjson::Document document;
  if (auto error = parse_checked(json, document)) return std::unexpected(std::move(*error));
  // Well-formed JSON whose root is not an object has the wrong shape.
  if (!document.IsObject()) {
    return std::unexpected(DecodeError{"wrong_type", "the body must be a JSON object"});
  }
  bool parsed = false;
  try {
    JsonCursor archive(std::move(document));
    parsed = true;
    Reader reader(archive);
    T value{};
    read_root(reader, value);
    return value;
  } catch (const DecodeFailure& failure) {
    return std::unexpected(failure.error());
  } catch (const cereal::RapidJSONException&) {
    if (!parsed)
      return std::unexpected(DecodeError{"malformed_json", "the body is not valid JSON"});
    return std::unexpected(DecodeError{"wrong_type", "a field has the wrong type"});
  } catch (const cereal::Exception&) {
    if (!parsed)
      return std::unexpected(DecodeError{"malformed_json", "the body is not valid JSON"});
    return std::unexpected(DecodeError{"missing_field", "a required field is missing"});
  } catch (const std::exception&) {
    return std::unexpected(DecodeError{"malformed_json", "the body could not be read"});
  } catch (...) {
    return std::unexpected(DecodeError{"malformed_json", "the body could not be read"});
  }
}

template <class T>
Decoded<T> decode_root(std::string_view json) {
  return decode_with<T>(json, [](Reader& r, T& value) { read(r, value); });
}

template <class T>
std::string encode_root(const T& value) {
  return write_json([&](Writer& w) { write(w, value); });
}

}  // namespace

std::string_view to_string(Entity v) {
  return name_in<Entity>(kEntityNames, v);
}
std::string_view to_string(Operation v) {
  return name_in<Operation>(kOperationNames, v);
}
std::string_view to_string(Outcome v) {
  return name_in<Outcome>(kOutcomeNames, v);
}
std::optional<Entity> entity_from(std::string_view s) {
  return value_in<Entity>(kEntityNames, s);
}
std::optional<Operation> operation_from(std::string_view s) {
  return value_in<Operation>(kOperationNames, s);
}
std::optional<Outcome> outcome_from(std::string_view s) {
  return value_in<Outcome>(kOutcomeNames, s);
}

Entity entity_of(const Record& record) {
  // In the order of Record's alternatives.
  constexpr std::array kByIndex{Entity::member, Entity::event, Entity::attendance, Entity::pack,
                                Entity::request};
  static_assert(kByIndex.size() == std::variant_size_v<Record>);
  return kByIndex.at(record.index());
}

std::string encode(const Change& v) {
  return encode_root(v);
}
std::string encode(const ChangeResult& v) {
  return encode_root(v);
}

std::string encode(const HealthResponse& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.text("status", v.status);
    w.number("api_version", v.api_version);
    w.text("server_version", v.server_version);
  });
}

namespace {

void write_lineage(Writer& w, const CentralLineage& v) {
  if (v.database_id.empty()) return;
  w.text("database_id", v.database_id);
  w.number("restore_epoch", v.restore_epoch);
  w.number("server_seq", v.server_seq);
  if (!v.signing_key.empty()) w.text("signing_key", v.signing_key);
}

}  // namespace

std::string encode(const EnrollRequest& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.text("code", v.code);
    w.text("device_name", v.device_name);
    w.text("app_version", v.app_version);
    w.text("hlc_node", v.hlc_node);
    if (!v.signing_key.empty()) w.text("signing_key", v.signing_key);
  });
}

std::string encode(const EnrollResponse& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.text("device_id", v.device_id);
    w.text("token", v.token);
    w.text("office", v.office);
    if (!v.code_prefix.empty()) w.text("code_prefix", v.code_prefix);
    if (!v.signing_key.empty()) w.text("signing_key", v.signing_key);
  });
}

std::string encode(const PushRequest& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.objects("changes", v.changes, [&](const Change& c) { write(w, c); });
  });
}

std::string encode(const PushResponse& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.objects("results", v.results, [&](const ChangeResult& c) { write(w, c); });
    if (v.server_time_ms != 0) w.number("server_time_ms", v.server_time_ms);
    write_lineage(w, v.central);
  });
}

std::string encode(const PullResponse& v) {
  return write_json([&](Writer& w) {
    w.number("schema", v.schema);
    w.objects("changes", v.changes, [&](const PulledChange& c) { write(w, c); });
    w.number("next_cursor", v.next_cursor);
    w.flag("more", v.more);
    if (v.server_time_ms != 0) w.number("server_time_ms", v.server_time_ms);
    if (!v.code_prefix.empty()) w.text("code_prefix", v.code_prefix);
    write_lineage(w, v.central);
    w.answer("acked_held", v.acked_held);
  });
}

std::string encode(const ErrorBody& v) {
  return write_json([&](Writer& w) {
    w.text("code", v.code);
    w.text("message", v.message);
    write_errors(w, v.errors);
  });
}

std::string encode_record(const Record& v) {
  return encode_root(v);
}

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Matches encode(PushRequest) byte for byte when given encode(Change) outputs.
std::string encode_push_request_from_encoded(const std::vector<std::string_view>& changes) {
  std::string out = "{\"schema\":" + std::to_string(kSchemaVersion);
  if (!changes.empty()) {
    std::size_t total = out.size() + 16;
    for (const std::string_view change : changes) total += change.size() + 1;
    out.reserve(total);
    out += ",\"changes\":[";
    for (std::size_t i = 0; i < changes.size(); ++i) {
      if (i > 0) out += ',';
      out += changes[i];
    }
    out += ']';
  }
  out += '}';
  return out;
}

Decoded<Change> decode_change(std::string_view json) {
  return decode_root<Change>(json);
}
Decoded<HealthResponse> decode_health_response(std::string_view json) {
  return decode_root<HealthResponse>(json);
}
Decoded<EnrollRequest> decode_enroll_request(std::string_view json) {
  return decode_root<EnrollRequest>(json);
}
Decoded<EnrollResponse> decode_enroll_response(std::string_view json) {
  return decode_root<EnrollResponse>(json);
}
Decoded<PushRequest> decode_push_request(std::string_view json) {
  return decode_root<PushRequest>(json);
}
Decoded<PushResponse> decode_push_response(std::string_view json) {
  return decode_root<PushResponse>(json);
}
Decoded<PullResponse> decode_pull_response(std::string_view json) {
  return decode_root<PullResponse>(json);
}
Decoded<ErrorBody> decode_error_body(std::string_view json) {
  return decode_root<ErrorBody>(json);
}

Decoded<Record> decode_record(Entity entity, std::string_view json) {
  return decode_with<Record>(
      json, [entity](Reader& r, Record& value) { value = read_record(r, entity); });
}

std::string encode_lineage_header(const CentralLineage& lineage) {
  return util::cat(lineage.database_id, " ", lineage.restore_epoch, " ", lineage.server_seq);
}

std::optional<CentralLineage> decode_lineage_header(std::string_view value) {
  const auto parts = util::split(util::trim_blanks(value), ' ');
  if (parts.size() != 3) return std::nullopt;
  const std::string& id = parts[0];
  const bool id_ok =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-';
      });
  if (!id_ok) return std::nullopt;
  CentralLineage lineage{.database_id = id};
  for (const auto& [text, target] :
       {std::pair{&parts[1], &lineage.restore_epoch}, std::pair{&parts[2], &lineage.server_seq}}) {
    const char* end = text->data() + text->size();
    const auto [stop, ec] = std::from_chars(text->data(), end, *target);
    if (text->empty() || ec != std::errc() || stop != end || *target < 0) return std::nullopt;
  }
  return lineage;
}

}  // namespace alliance::protocol
