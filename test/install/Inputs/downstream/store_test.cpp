// A store whose tests hold it to memory limits.
#include <tracemalloc/gtest.hpp>

#include <string>
#include <vector>

static std::vector<std::string> *leaked;

static std::vector<std::string> fill(int n) {
  std::vector<std::string> items;
  for (int i = 0; i < n; i++) items.push_back(std::string(100, char('a' + i % 26)));
  return items;
}

TEST(Store, FreesWhatItFills) {
  TRACEMALLOC_LIMIT_LEAKS(0);
  TRACEMALLOC_LIMIT_MEMORY(1 << 20);
  std::vector<std::string> items = fill(1000);
  EXPECT_EQ(items.size(), 1000u);
}

// Run by the install test with --gtest_also_run_disabled_tests: it fails.
TEST(Store, DISABLED_Leaks) {
  TRACEMALLOC_LIMIT_LEAKS(0);
  leaked = new std::vector<std::string>(fill(10));
}
