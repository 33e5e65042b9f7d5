// A call inlined at -O2 is one pprof location with two lines, leaf first
// (the inlined helper's allocation, then the line of its caller it was
// inlined into); the caller's call site is a location of its own.
// REQUIRES: go-pprof
// RUN: %tmcc -O2 -g %s -o %t
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report pprof %t.tmd --include '*pprof-inlined-location.c' -o %t.pb.gz
// RUN: go tool pprof -raw %t.pb.gz 2>&1 | FileCheck %s
#include <stdlib.h>

void *volatile keep;

static inline void *helper(size_t n) {
  return malloc(n * 2);
}

__attribute__((noinline)) void *outer(size_t n) {
  return helper(n + 1);
}

int main(void) {
  keep = outer(3);
  return 0;
}
// CHECK: Locations
// CHECK: M=1 helper {{.*}}pprof-inlined-location.c:14 s=0
// CHECK-NEXT: {{^ +}}outer {{.*}}pprof-inlined-location.c:18 s=0
// CHECK-NEXT: M=1 main {{.*}}pprof-inlined-location.c:22 s=0
