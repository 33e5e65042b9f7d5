// TRACEMALLOC_GTEST_LEAKS=N applies a leak limit of N bytes to every test,
// fixture included; the failure is the test's, at its TEST line.
// RUN: %tmcxx -O0 -g %s -o %t %tmgtest
// RUN: %t | FileCheck %s --check-prefix=UNSET
// RUN: env TRACEMALLOC_GTEST_LEAKS=0 not %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out -DFILE=%s
// Already tracing (TRACEMALLOC=1): the same measure.
// RUN: env TRACEMALLOC=1 TRACEMALLOC_GTEST_LEAKS=0 not %t > %t.on 2>&1
// RUN: FileCheck %s --input-file=%t.on -DFILE=%s
#include <gtest/gtest.h>

#include <cstdlib>

void *volatile kept;

struct Buffers : ::testing::Test {
  void SetUp() override { scratch = std::malloc(4096); }
  void TearDown() override { std::free(scratch); }
  void *scratch = nullptr;
};

TEST_F(Buffers, FreedByTearDown) { EXPECT_NE(scratch, nullptr); }

TEST(Leaks, Leaks) {
  kept = std::malloc(300);
}
// UNSET: [  PASSED  ] 2 tests.
// CHECK: [       OK ] Buffers.FreedByTearDown
// CHECK: [ RUN      ] Leaks.Leaks
// CHECK-NEXT: [[FILE]]:24: Failure
// CHECK-NEXT: Failed
// CHECK-NEXT: TRACEMALLOC_GTEST_LEAKS=0: the test leaked 300 B (allocated during the test and still live at its end), over the limit of 0 B
// CHECK-NEXT: The biggest leaking sites:
// CHECK-NEXT: {{.*}}leaks-listener.cpp:25: size=300 B, count=1, average=300 B
// CHECK-NEXT:   File "{{.*}}leaks-listener.cpp", line 25
// CHECK-NEXT:     kept = std::malloc(300);
// CHECK-EMPTY:
// CHECK-NEXT: [  FAILED  ] Leaks.Leaks
// CHECK: 1 FAILED TEST
