// Prints the field limits table (common/model/limits.hpp) as JSON, one object
// per limit, for check_limits.py to compare with docs/api/openapi.yaml.
#include <iostream>

#include "common/model/limits.hpp"
#include "common/protocol/codec.hpp"

int main() {
  using namespace alliance;
  std::cout << "[";
  bool first = true;
  for (const model::FieldLimit& l : model::field_limits()) {
    std::cout << (first ? "\n" : ",\n") << "{\"message\":" << protocol::json_string(l.message)
              << ",\"path\":" << protocol::json_string(l.path) << ",\"max_length\":" << l.max_length
              << ",\"max_items\":" << l.max_items << "}";
    first = false;
  }
  std::cout << "\n]\n";
  return std::cout ? 0 : 1;
}
