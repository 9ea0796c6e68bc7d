// How a typed search is read and how a member is keyed for it (search.hpp).
#include "common/model/search.hpp"

#include "common/model/text.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"

namespace alliance::model {

std::string member_name_key(MemberKind kind, std::string_view given, std::string_view family,
                            std::string_view organisation, std::string_view contact_person) {
  return fold_for_search(kind == MemberKind::organisation
                             ? util::cat(organisation, " ", contact_person)
                             : util::cat(given, " ", family));
}

std::string member_name_key(const Member& member) {
  return member_name_key(member.kind, member.given_name, member.family_name, member.organisation,
                         member.contact_person);
}

std::string reference_code_symbols(std::string_view text) {
  std::string symbols;
  symbols.reserve(text.size());
  for (const char c : text) {
    if (c == '-' || c == ' ') continue;
    symbols.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return symbols;
}

bool could_be_reference_code(std::string_view symbols) {
  return symbols.size() >= 4 && symbols.size() <= util::kReferenceLength &&
         symbols.find_first_not_of(util::kReferenceAlphabet) == std::string_view::npos;
}

bool looks_like_phone(std::string_view text) {
  std::size_t digits = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 3;
}

}  // namespace alliance::model
