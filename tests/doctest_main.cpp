// The one doctest main every test binary links. Besides running the cases it
// fails the run when a test case passed without making a single assertion: a
// case that returns early (a missing tool, a skipped branch) would otherwise
// report green for something it never checked. It also fails a run asked for
// named test cases that matched none: ctest runs each case by name, and a
// name ctest mangles (a ';' splits it) would otherwise run nothing, green.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace {

std::mutex g_mutex;
std::vector<std::string> g_cases_without_assertions;
int g_cases_matched = -1;  // set at the end of the run

// A listener sees every test case end, whichever reporter prints the results.
struct AssertionCounter : doctest::IReporter {
  explicit AssertionCounter(const doctest::ContextOptions&) {}

  void test_case_start(const doctest::TestCaseData& data) override { current_ = &data; }
  void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
    if (stats.numAssertsCurrentTest == 0 && stats.failure_flags == 0 && current_ != nullptr) {
      std::lock_guard lock(g_mutex);
      g_cases_without_assertions.emplace_back(current_->m_name);
    }
  }

  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    std::lock_guard lock(g_mutex);
    g_cases_matched = static_cast<int>(stats.numTestCasesPassingFilters);
  }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}

 private:
  const doctest::TestCaseData* current_ = nullptr;
};

REGISTER_LISTENER("assertion_counter", 1, AssertionCounter);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --help, --list-test-cases, ...
  std::lock_guard lock(g_mutex);
  bool named_cases = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    named_cases = named_cases || arg.starts_with("--test-case=") || arg.starts_with("-tc=");
  }
  if (named_cases && g_cases_matched == 0) {
    std::fprintf(stderr,
                 "no test case matched the names asked for: nothing was checked (a test name "
                 "with a ';' is split in two by ctest)\n");
    return 1;
  }
  for (const auto& name : g_cases_without_assertions) {
    std::fprintf(stderr,
                 "test case \"%s\" made no assertions: it checked nothing, so it cannot pass\n",
                 name.c_str());
  }
  return g_cases_without_assertions.empty() ? result : 1;
}
