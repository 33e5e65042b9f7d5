// At -O2 a helper inlined into its caller still appears as its own frame:
// the inline frames come from the site record's inlined-at chain.
// RUN: %tmcc -O2 -g %s -o %t
// RUN: env TRACEMALLOC=5 %t | FileCheck %s
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *keep;

static inline void *helper(size_t n) {
  return malloc(n * 2);
}

static inline void *middle(size_t n) {
  return helper(n + 1);
}

__attribute__((noinline)) void *outer(size_t n) {
  return middle(n);
}

int main(void) {
  keep = outer(3);
  print_traceback("inlined", keep);
  return 0;
}
// CHECK-LABEL: inlined: frames=4 total=4
// CHECK-NEXT: stack-inlined-O2.c:23
// CHECK-NEXT: stack-inlined-O2.c:19
// CHECK-NEXT: stack-inlined-O2.c:15
// CHECK-NEXT: stack-inlined-O2.c:11
