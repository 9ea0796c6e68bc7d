// Parsing untrusted JSON into a document with check_json_text's checks
// (codec.hpp) made in the same pass, for the decoders: the text is read once,
// not once to check it and again to build the document.
#pragma once

// cereal's json.hpp must come before any rapidjson header: it redefines
// RAPIDJSON_ASSERT to throw instead of aborting.
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string_view>

#include "common/protocol/codec.hpp"

namespace alliance::protocol {

// Fills `document` from `text`, or answers what check_json_text would answer
// and leaves the document null. Never throws for any text.
std::optional<DecodeError> parse_checked(std::string_view text, rapidjson::Document& document,
                                         std::size_t max_depth = kMaxJsonDepth);

}  // namespace alliance::protocol
