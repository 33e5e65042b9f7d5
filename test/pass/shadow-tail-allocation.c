// An allocation call in tail position ends the frame like any tail call: the
// depth is restored before it, so at the allocation the slot at depth-1 is
// the caller's call site and the record has flags 0, not
// TM_SITE_OWN_SHADOW_FRAME.  A function whose only call is such an
// allocation pushes no frame.  A non-tail allocation followed by a call
// that may allocate keeps flags 1.
// RUN: %clang -g -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stdlib.h>

void note(void);
int *sink;

void *tail_after_call(size_t n) {
  note();
  return malloc(n);
}

void *tail_only(size_t n) {
  return malloc(n + 1);
}

void kept(size_t n) {
  sink = malloc(n);
  note();
  note();
}

// CHECK-DAG: @[[TAIL_AFTER_CALL:__tm_site[.0-9]*]] = private constant {{.*}} i32 15, i16 10, i16 0, i32 0 }, section "__tm_sites"
// CHECK-DAG: @[[TAIL_ONLY:__tm_site[.0-9]*]] = private constant {{.*}} i32 19, i16 10, i16 0, i32 0 }, section "__tm_sites"
// CHECK-DAG: @[[KEPT:__tm_site[.0-9]*]] = private constant {{.*}} i32 23, i16 10, i16 1, i32 0 }, section "__tm_sites"

// CHECK-LABEL: define {{.*}} @tail_after_call(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: call void @note(
// CHECK-NOT: @__tm_site
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[BLOCK:%[^ ]+]] = tail call {{.*}}@__tm_malloc({{.*}}@[[TAIL_AFTER_CALL]]{{[ ,)]}}
// CHECK-NEXT: ret {{i8\*|ptr}} [[BLOCK]]

// CHECK-LABEL: define {{.*}} @tail_only(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: tail call {{.*}}@__tm_malloc({{.*}}@[[TAIL_ONLY]]{{[ ,)]}}
// CHECK-NEXT: ret

// CHECK-LABEL: define {{.*}} @kept(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[KEPT]]{{[ ,)]}}
