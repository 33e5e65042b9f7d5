// An exception thrown through instrumented frames leaves the shadow stack
// at the catching function's depth: the next allocations have exactly their
// real callers (the stack healed at the landing pad).
// RUN: %tmcxx -O0 -g %s -o %t.O0
// RUN: env TRACEMALLOC=10 %t.O0 | FileCheck %s
// RUN: %tmcxx -O2 -g %s -o %t.O2
// RUN: env TRACEMALLOC=10 %t.O2 | FileCheck %s
#include <cstdlib>
#include <stdexcept>
#include "Inputs/print_traceback.h"

void *keep[2];

__attribute__((noinline)) void thrower(int n) {
  if (n == 0)
    throw std::runtime_error("deep");
  thrower(n - 1);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void *allocate() {
  return std::malloc(8);
}

int main() {
  try {
    thrower(30);
  } catch (const std::exception &) {
    keep[0] = std::malloc(4);
  }
  keep[1] = allocate();
  print_traceback("in handler", keep[0]);
  print_traceback("after", keep[1]);
  return 0;
}
// CHECK-LABEL: in handler: frames=1 total=1
// CHECK-NEXT: stack-exception-heals.cpp:29
// CHECK-LABEL: after: frames=2 total=2
// CHECK-NEXT: stack-exception-heals.cpp:31
// CHECK-NEXT: stack-exception-heals.cpp:22
