// The search test set: people with names in many scripts and spellings,
// saved through the real Store into a real SQLite file, found with the desk's
// staff search by what staff would type (data/search_people.tsv,
// data/search_pairs.tsv). Prints recall and how many other people came back.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "common/util/strings.hpp"
#include "kiosk/core/member_search.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#ifndef ALLIANCE_SOURCE_DIR
#error "tests need ALLIANCE_SOURCE_DIR"
#endif

using namespace alliance;

namespace {

const std::filesystem::path kData =
    std::filesystem::path(ALLIANCE_SOURCE_DIR) / "tests" / "kiosk" / "core" / "data";

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// "\u{200B}" in the data files stands for U+200B, so invisible characters
// and decomposed forms stay readable there.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto close = s.find('}', i);
    if (s.substr(i, 3) == "\\u{" && close != std::string_view::npos) {
      append_utf8(out, std::stoul(std::string(s.substr(i + 3, close - i - 3)), nullptr, 16));
      i = close;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The tab-separated rows of a data file, comments and blank lines skipped.
std::vector<std::vector<std::string>> read_rows(const std::string& file, std::size_t columns) {
  std::ifstream in(kData / file);
  REQUIRE_MESSAGE(in.good(), "cannot read ", (kData / file).string());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line.starts_with('#')) continue;
    std::vector<std::string> cells;
    for (const auto& cell : util::split(line, '\t')) cells.push_back(unescape(cell));
    INFO(file, ":", number, ": ", line);
    REQUIRE(cells.size() == columns);
    rows.push_back(std::move(cells));
  }
  return rows;
}

const model::Member& person_of(const std::vector<store::MemberHit>& hits, const std::string& id) {
  return std::find_if(hits.begin(), hits.end(), [&](const auto& h) { return h.member.id == id; })
      ->member;
}

// The same name: the same words, whichever field holds which ("Nguyen" /
// "Thi Ha" and "Hà" / "Nguyễn Thị").
bool same_name(const model::Member& a, const model::Member& b) {
  auto words = [](const model::Member& m) {
    auto w = util::split(model::fold_for_search(m.display_name()), ' ');
    std::sort(w.begin(), w.end());
    return w;
  };
  return words(a) == words(b);
}

}  // namespace

TEST_CASE("search test set: staff find each person by what they would type") {
  test::TempDir dir;
  std::map<std::string, std::string> id_of;  // label -> member id
  {
    auto s = store::Store::open(dir / "kiosk.db");
    // Everyday names around them, as on a real desk.
    for (int i = 0; i < 80; ++i) {
      REQUIRE(s.register_member(test::sample_member(i), test::kenya_context()).has_value());
    }
    int n = 1000;
    for (const auto& row : read_rows("search_people.tsv", 3)) {
      auto m = test::sample_member(n++);
      m.given_name = row[1];
      m.family_name = row[2];
      auto saved = s.register_member(m, test::kenya_context());
      INFO("person ", row[0]);
      REQUIRE(saved.has_value());
      REQUIRE(id_of.emplace(row[0], saved->member.id).second);
    }
  }
  // Searched from the file as it is on disk, as the next start of the desk would.
  auto s = store::Store::open(dir / "kiosk.db");

  const auto pairs = read_rows("search_pairs.tsv", 3);
  std::size_t found = 0;
  std::size_t wrong_people = 0;
  std::size_t exact_queries = 0;
  std::size_t namesakes_first = 0;
  for (const auto& pair : pairs) {
    const std::string& query = pair[0];
    const std::string& label = pair[1];
    const bool exact = pair[2] == "exact";
    REQUIRE_MESSAGE((exact || pair[2] == "part"), "kind must be exact or part: ", pair[2]);
    REQUIRE_MESSAGE(id_of.contains(label), "no person labelled ", label);
    const std::string& expected = id_of.at(label);

    const auto hits = kiosk::staff_search(s, query, "KE");
    std::size_t others = 0;
    bool hit = false;
    std::string returned;
    for (const auto& h : hits) {
      if (h.member.id == expected) {
        hit = true;
      } else {
        ++others;
      }
      returned += h.member.display_name() + "; ";
    }
    found += hit ? 1 : 0;
    wrong_people += others;
    INFO("query \"", query, "\" for ", label, " returned: ", returned);
    CHECK_MESSAGE(hit, "not found");
    if (exact) {
      ++exact_queries;
      // The whole name typed: that person first, or someone of the very same
      // name (the desk's everyday names include a Kofi Mensah too); never
      // anyone else.
      const auto& first = hits.empty() ? model::Member{} : hits.front().member;
      if (hit && first.id != expected) {
        ++namesakes_first;
        CHECK_MESSAGE(same_name(first, person_of(hits, expected)), "someone else came first");
      }
    }
  }
  std::printf(
      "search test set: recall %zu/%zu, wrong-person results %zu (%zu queries, %zu of "
      "them whole names; a namesake came first in %zu)\n",
      found, pairs.size(), wrong_people, pairs.size(), exact_queries, namesakes_first);
  // Every query in the set is one a person would expect to work, so the bar
  // is all of them: a miss is a regression (or a line that does not belong).
  CHECK(pairs.size() >= 100);
  CHECK(found == pairs.size());
}
