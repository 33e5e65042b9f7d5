// longjmp out of nested instrumented calls: after setjmp returns the second
// time the depth is healed, so later allocations have their real callers.
// RUN: %tmcc -O0 -g %s -o %t.O0
// RUN: env TRACEMALLOC=10 %t.O0 | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t.O2
// RUN: env TRACEMALLOC=10 %t.O2 | FileCheck %s
#include <setjmp.h>
#include <stdlib.h>
#include "Inputs/print_traceback.h"

static jmp_buf env;
void *keep[2];

__attribute__((noinline)) void jumper(int n) {
  if (n == 0)
    longjmp(env, 1);
  jumper(n - 1);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void *allocate(void) {
  return malloc(8);
}

int main(void) {
  if (setjmp(env) == 0)
    jumper(20);
  keep[0] = malloc(4);
  keep[1] = allocate();
  print_traceback("after longjmp", keep[0]);
  print_traceback("callee", keep[1]);
  return 0;
}
// CHECK-LABEL: after longjmp: frames=1 total=1
// CHECK-NEXT: stack-longjmp-heals.c:28
// CHECK-LABEL: callee: frames=2 total=2
// CHECK-NEXT: stack-longjmp-heals.c:29
// CHECK-NEXT: stack-longjmp-heals.c:22
