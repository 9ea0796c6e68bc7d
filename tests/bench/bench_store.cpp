// Store benchmark: durable save latency, member search over 100,000 members, search keys.
//
// usage: bench_store [--quick] [--dir DIR]
//   --quick  small sizes, to check the benchmark runs (ctest uses it)
//   --dir    where to put the database files (default: a temporary folder);
//            put it on the disk the kiosk will use, since fsync speed is the figure
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

const char* const kGiven[] = {"Amina",  "José",   "Olga",      "Chidi", "Fatoumata",
                              "Nguyen", "Ana",    "Kofi",      "Grace", "Tendai",
                              "Mariam", "Joseph", "Esperanza", "Ivan",  "Aisha",
                              "Peter",  "Lucía",  "Samuel",    "Nadia", "Moses"};
const char* const kFamily[] = {"Wanjiru", "Núñez",  "Ivanova", "Okafor",    "Diallo",
                               "Silva",   "Mensah", "Banda",   "Phiri",     "Mwangi",
                               "Kamara",  "Traoré", "Santos",  "Pereira",   "Moyo",
                               "Ndlovu",  "Otieno", "Achieng", "Coulibaly", "Haddad"};

model::Member varied_member(int n, std::mt19937& rng) {
  auto m = test::sample_member(0);
  m.given_name = kGiven[rng() % 20];
  // Two family names make 400 combinations; a syllable suffix spreads them further.
  static const char* const kSyllables[] = {"a", "e", "i", "o", "u", "ka", "ma", "ta", "ri", "lo"};
  m.family_name = std::string(kFamily[rng() % 20]) + "-" + kFamily[rng() % 20] +
                  kSyllables[rng() % 10] + kSyllables[rng() % 10];
  m.phone = "+2547" + std::to_string(10'000'000 + n);
  m.email = "member" + std::to_string(n) + "@example.org";
  return m;
}

void bench_durable_save(const std::filesystem::path& dir, int count) {
  auto s = store::Store::open(dir / "save.db");
  auto event = s.save_event(test::sample_event());
  std::mt19937 rng(1);
  std::vector<double> latencies;
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    const auto t0 = Clock::now();
    auto saved =
        s.register_member(varied_member(i, rng), test::kenya_context(), event->id, "2026-11-28");
    latencies.push_back(micros(Clock::now() - t0));
    if (!saved) {
      std::fprintf(stderr, "bench: a generated member failed validation\n");
      std::exit(1);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "durable save (member + day-one check-in + 2 outbox changes, synchronous=FULL, WAL), "
      "%d saves:\n  p50 %.0f us  p99 %.0f us  max %.0f us  %.0f registrations/s\n",
      count, percentile(latencies, 0.50), percentile(latencies, 0.99),
      *std::max_element(latencies.begin(), latencies.end()), static_cast<double>(count) / seconds);
}

void bench_search(const std::filesystem::path& dir, int members, int queries) {
  auto s = store::Store::open(dir / "search.db");
  std::mt19937 rng(2);
  const auto fill_start = Clock::now();
  // Filling is set-up, not the figure: skip fsync for it.
  s.db().exec("PRAGMA synchronous=OFF");
  std::vector<model::Member> sample;
  for (int i = 0; i < members; ++i) {
    auto saved = s.register_member(varied_member(i, rng), test::kenya_context());
    if (!saved) std::exit(1);
    if (i % (members / 50) == 0) sample.push_back(saved->member);
  }
  s.db().exec("PRAGMA synchronous=FULL");
  std::printf("search: filled %d members in %.1f s\n", members,
              std::chrono::duration<double>(Clock::now() - fill_start).count());
  // What the first open after an upgrade or an ICU update costs: every key
  // differs (as from schema 2), or every key comes out the same.
  for (const bool keys_differ : {true, false}) {
    s.set_meta("search_keys", "stale");
    if (keys_differ) s.db().exec("UPDATE members SET name_key = ''");
    const auto rebuild_start = Clock::now();
    if (!s.refresh_search_keys()) std::exit(1);
    std::printf("search keys checked for %d members in %.1f s (%s)\n", members,
                std::chrono::duration<double>(Clock::now() - rebuild_start).count(),
                keys_differ ? "all rebuilt, as from schema 2" : "none changed");
  }

  struct Kind {
    const char* name;
    std::string (*make)(const model::Member&, std::mt19937&);
  };
  const Kind kinds[] = {
      {"reference code", [](const model::Member& m, std::mt19937&) { return m.reference_code; }},
      {"phone (national, partial)",
       [](const model::Member& m, std::mt19937&) { return "0" + m.phone.substr(4, 6); }},
      {"e-mail", [](const model::Member& m, std::mt19937&) { return m.email; }},
      {"name (3+ letters, substring)",
       [](const model::Member& m, std::mt19937& r) { return m.family_name.substr(r() % 3, 5); }},
      {"name (2 letters, prefix)",
       [](const model::Member& m, std::mt19937&) { return m.given_name.substr(0, 2); }},
      {"full name", [](const model::Member& m, std::mt19937&) { return m.display_name(); }},
  };
  for (const auto& kind : kinds) {
    std::vector<double> latencies;
    std::size_t results = 0;
    for (int i = 0; i < queries; ++i) {
      const std::string q = kind.make(sample[static_cast<std::size_t>(i) % sample.size()], rng);
      const auto t0 = Clock::now();
      results += s.search_members(q, 20, "KE").size();
      latencies.push_back(micros(Clock::now() - t0));
    }
    std::printf("  %-30s p50 %7.0f us  p99 %7.0f us  (%.1f results/query)\n", kind.name,
                percentile(latencies, 0.50), percentile(latencies, 0.99),
                static_cast<double>(results) / queries);
  }
}

// What a search key costs to make (model::fold_for_search), by script: the
// store makes one per saved member and one per typed query.
void bench_keys(int rounds) {
  struct Sample {
    const char* script;
    const char* name;
  };
  const Sample samples[] = {
      {"ASCII", "Amina Okafor-Diallo"},
      {"Latin with accents", "Nguyễn Thị Hà"},
      {"Cyrillic", "Александра Иванова"},
      {"Ethiopic", "አበበ ቢቂላ"},
      {"Arabic", "محمد عبد الله"},
      {"Devanagari", "राजेश कुमार"},
      {"Han", "张伟"},
  };
  std::printf("search key (ICU), per name:\n");
  for (const auto& sample : samples) {
    model::fold_for_search(sample.name);  // the first use builds the transform
    std::vector<double> latencies;
    for (int i = 0; i < rounds; ++i) {
      const auto t0 = Clock::now();
      const auto key = model::fold_for_search(sample.name);
      latencies.push_back(micros(Clock::now() - t0));
      if (key.empty()) std::exit(1);
    }
    std::printf("  %-30s p50 %7.1f us  p99 %7.1f us\n", sample.script, percentile(latencies, 0.50),
                percentile(latencies, 0.99));
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::filesystem::path dir_arg;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir_arg = argv[++i];
    } else {
      std::printf("usage: bench_store [--quick] [--dir DIR]\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  test::TempDir temp;
  const auto dir = dir_arg.empty() ? temp.path() : dir_arg;
  bench_durable_save(dir, quick ? 50 : 1000);
  bench_search(dir, quick ? 2000 : 100'000, quick ? 50 : 500);
  bench_keys(quick ? 100 : 10'000);
  return 0;
}
