// Recursion deeper than the traceback limit, and deeper than the shadow
// stack's ring: the traceback keeps the most recent `limit` frames and
// total_nframe counts every frame (allocation + 1 per recursive call + main).
// RUN: %tmcc -O0 -g %s -o %t.O0
// RUN: env TRACEMALLOC=25 %t.O0 | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t.O2
// RUN: env TRACEMALLOC=25 %t.O2 | FileCheck %s
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *keep[2];

__attribute__((noinline)) void *descend(int n) {
  if (n == 0)
    return malloc(16);
  void *p = descend(n - 1);
  __asm__ volatile("" ::: "memory"); // not a tail call
  return p;
}

int main(void) {
  keep[0] = descend(40);
  print_traceback("depth 40", keep[0]);
  keep[1] = descend(100);
  print_traceback("depth 100", keep[1]);
  return 0;
}
// CHECK-LABEL: depth 40: frames=25 total=42
// The most recent 25 frames, oldest first: 24 recursive calls, then malloc.
// CHECK-COUNT-24: stack-recursion-limit.c:16
// CHECK-NEXT: stack-recursion-limit.c:15
// CHECK-LABEL: depth 100: frames=25 total=102
// CHECK-COUNT-24: stack-recursion-limit.c:16
// CHECK-NEXT: stack-recursion-limit.c:15
