// Calls of functions of the module proven never to reach an allocation need
// no ring store, and a function whose calls are all of that kind pushes no
// frame.  Proven: no calls, recursion without allocation, calls of proven
// functions.  Not proven: an allocation (even through a proven-looking
// wrapper), a call of a declaration, and a weak definition (another may be
// linked in its place).
// RUN: %clang -g -O1 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stdlib.h>

void external(void);
volatile unsigned input;

__attribute__((noinline)) static unsigned leaf(unsigned x) { return x * 3 + input; }

__attribute__((noinline)) static unsigned fib(unsigned n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static void *wrapper(size_t n) { return malloc(n + input); }

__attribute__((noinline)) static unsigned reaches_external(unsigned x) {
  external();
  return leaf(x);
}

__attribute__((weak, noinline)) unsigned replaceable(unsigned x) { return x + input; }

unsigned proven_only(unsigned x) { return leaf(x) + fib(x); }

void *allocates_then_leaf(size_t n) {
  void *block = wrapper(n);
  input = leaf(1);
  return block;
}

unsigned through_external(unsigned x) { return reaches_external(x) * 2; }

unsigned through_weak(unsigned x) { return replaceable(x) * 2; }

// CHECK-LABEL: define {{.*}} @proven_only(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
// CHECK-LABEL: define {{.*}} @leaf(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
// CHECK-LABEL: define {{.*}} @fib(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
// CHECK-LABEL: define {{.*}} @allocates_then_leaf(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK: store {{.*}}@__tm_site{{[.0-9]*( to i8\*\))?}}, {{.*}}%tm.slot
// CHECK-NEXT: call {{.*}}@wrapper(
// CHECK-NOT: @__tm_site
// CHECK: call {{.*}}@leaf(
// CHECK: ret
// CHECK-LABEL: define {{.*}} @through_external(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK: call {{.*}}@reaches_external(
// CHECK-LABEL: define {{.*}} @through_weak(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK: call {{.*}}@replaceable(
