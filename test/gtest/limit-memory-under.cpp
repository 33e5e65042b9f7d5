// TRACEMALLOC_LIMIT_MEMORY passes a test whose peak above its start stays
// within the limit, however much was live before the limit started.
// RUN: %tmcxx -O0 -g %s -o %t %tmgtest
// RUN: %t | FileCheck %s
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include <tracemalloc/gtest.hpp>

char *volatile sink;
char *volatile before;

TEST(LimitMemory, Under) {
  before = new char[50000];  // live before the limit: not counted
  TRACEMALLOC_LIMIT_MEMORY(20000);
  sink = new char[20000];
  delete[] sink;
  delete[] before;  // freeing is never over a limit
}
// CHECK: [       OK ] LimitMemory.Under
// CHECK: [  PASSED  ] 1 test.
