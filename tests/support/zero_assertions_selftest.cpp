// Proves the guard in doctest_main.cpp: this binary has one honest case and one
// that checks nothing, so running it must fail and name the empty case.
#include <doctest/doctest.h>

TEST_CASE("a case with an assertion") {
  CHECK(1 + 1 == 2);
}

TEST_CASE("a case that returns before checking anything") {
  // Stands for a test that gives up early (a missing tool, a skipped branch).
}
