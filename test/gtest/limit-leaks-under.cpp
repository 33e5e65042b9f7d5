// TRACEMALLOC_LIMIT_LEAKS passes a test that frees what it allocates, and
// one that frees less than it leaves within the limit; blocks live before
// the limit and freed in the test make no room for others.
// RUN: %tmcxx -O0 -g %s -o %t %tmgtest
// RUN: %t | FileCheck %s
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include <tracemalloc/gtest.hpp>

#include <cstdlib>
#include <memory>
#include <vector>

void *volatile kept;

TEST(LimitLeaks, FreesAll) {
  TRACEMALLOC_LIMIT_LEAKS(0);
  std::vector<std::unique_ptr<int[]>> blocks;
  for (int i = 0; i < 100; i++) blocks.emplace_back(new int[i + 1]);
}

TEST(LimitLeaks, WithinLimit) {
  TRACEMALLOC_LIMIT_LEAKS(64);
  kept = std::malloc(64);
}
// CHECK: [       OK ] LimitLeaks.FreesAll
// CHECK: [       OK ] LimitLeaks.WithinLimit
// CHECK: [  PASSED  ] 2 tests.
