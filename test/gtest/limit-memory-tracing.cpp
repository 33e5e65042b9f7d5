// In a program that is already tracing (TRACEMALLOC=1), a memory limit
// measures from the level at its start, and tracing goes on after it.
// RUN: %tmcxx -std=c++17 -O0 -g %s -o %t %tmgtest
// RUN: env TRACEMALLOC=1 not %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out -DFILE=%s
#include <tracemalloc/gtest.hpp>
#include <tracemalloc/tracemalloc.hpp>

char *volatile sink;
char *volatile before;

TEST(LimitMemory, AboveStart) {
  before = new char[50000];
  TRACEMALLOC_LIMIT_MEMORY(10000);
  sink = new char[30000];
  delete[] sink;
  delete[] before;
}

TEST(LimitMemory, TracingGoesOn) { EXPECT_TRUE(tracemalloc::is_tracing()); }
// CHECK: [ RUN      ] LimitMemory.AboveStart
// CHECK-NEXT: [[FILE]]:14: Failure
// CHECK-NEXT: Failed
// CHECK-NEXT: TRACEMALLOC_LIMIT_MEMORY(10000): the test's traced memory peaked 30000 B above its start, over the limit of 10000 B
// CHECK-NEXT: The biggest sites at the peak:
// CHECK-NEXT: {{.*}}limit-memory-tracing.cpp:15: size=29.3 KiB, count=1, average=29.3 KiB
// CHECK-NEXT:   File "{{.*}}limit-memory-tracing.cpp", line 15
// CHECK-NEXT:     sink = new char[30000];
// CHECK-EMPTY:
// CHECK-NEXT: [  FAILED  ] LimitMemory.AboveStart
// CHECK: [       OK ] LimitMemory.TracingGoesOn
