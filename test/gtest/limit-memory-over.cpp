// TRACEMALLOC_LIMIT_MEMORY fails a test whose traced memory peaks more than
// the limit above its level at the limit's start, in a program that is not
// tracing: the message lists the allocation's line and its traceback.
// RUN: %tmcxx -O0 -g %s -o %t %tmgtest
// RUN: not %t > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out -DFILE=%s
#include <tracemalloc/gtest.hpp>

char *volatile sink;

static char *make(unsigned n) {
  return new char[n];  // the allocation's own line
}

TEST(LimitMemory, Over) {
  TRACEMALLOC_LIMIT_MEMORY(10000);
  sink = make(20000);
  delete[] sink;
  sink = make(100);
}
// CHECK: [ RUN      ] LimitMemory.Over
// CHECK-NEXT: [[FILE]]:16: Failure
// CHECK-NEXT: Failed
// CHECK-NEXT: TRACEMALLOC_LIMIT_MEMORY(10000): the test's traced memory peaked 20000 B above its start, over the limit of 10000 B
// CHECK-NEXT: The biggest sites at the peak:
// CHECK-NEXT: {{.*}}limit-memory-over.cpp:12: size=19.5 KiB, count=1, average=19.5 KiB
// CHECK-NEXT:   File "{{.*}}limit-memory-over.cpp", line 17
// CHECK-NEXT:     sink = make(20000);
// CHECK-NEXT:   File "{{.*}}limit-memory-over.cpp", line 12
// CHECK-NEXT:     return new char[n];  // the allocation's own line
// CHECK-EMPTY:
// CHECK-NEXT: [  FAILED  ] LimitMemory.Over
