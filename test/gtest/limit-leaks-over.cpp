// TRACEMALLOC_LIMIT_LEAKS fails a test that leaves more than the limit of
// what it allocated live at its end; what it freed does not count, and
// tracing the limit started stops after the test.
// RUN: %tmcxx -std=c++17 -O0 -g %s -o %t %tmgtest
// RUN: not %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out -DFILE=%s
#include <tracemalloc/gtest.hpp>
#include <tracemalloc/tracemalloc.hpp>

#include <cstdlib>

void *volatile kept[3];

TEST(LimitLeaks, Over) {
  TRACEMALLOC_LIMIT_LEAKS(100);
  for (int i = 0; i < 3; i++) kept[i] = std::malloc(64);
  kept[2] = std::realloc(kept[2], 640);
  std::free(std::malloc(100000));
}

TEST(LimitLeaks, StopsTracingItStarted) { EXPECT_FALSE(tracemalloc::is_tracing()); }
// CHECK: [ RUN      ] LimitLeaks.Over
// CHECK-NEXT: [[FILE]]:15: Failure
// CHECK-NEXT: Failed
// CHECK-NEXT: TRACEMALLOC_LIMIT_LEAKS(100): the test leaked 768 B (allocated during the test and still live at its end), over the limit of 100 B
// CHECK-NEXT: The biggest leaking sites:
// CHECK-NEXT: {{.*}}limit-leaks-over.cpp:17: size=640 B, count=1, average=640 B
// CHECK-NEXT:   File "{{.*}}limit-leaks-over.cpp", line 17
// CHECK-NEXT:     kept[2] = std::realloc(kept[2], 640);
// CHECK-NEXT: {{.*}}limit-leaks-over.cpp:16: size=128 B, count=2, average=64 B
// CHECK-NEXT:   File "{{.*}}limit-leaks-over.cpp", line 16
// CHECK-NEXT:     for (int i = 0; i < 3; i++) kept[i] = std::malloc(64);
// CHECK-EMPTY:
// CHECK-NEXT: [  FAILED  ] LimitLeaks.Over
// CHECK: [       OK ] LimitLeaks.StopsTracingItStarted
