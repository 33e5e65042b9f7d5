// An allocation inlined through two static inline helpers: the call's
// record names the innermost helper, its parent the middle helper at the
// line it called the inner one, whose parent is the outer function.  The
// frames come from the DILocation inlinedAt chain, at compile time.  At -O2
// the inlined malloc is a tail call directly followed by ret and outer makes
// no other call, so outer pushes no shadow frame and the records' flags are 0.
// RUN: %clang -g -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stdlib.h>

static inline void *inner(size_t n) {
  return malloc(n);
}
static inline void *middle(size_t n) {
  return inner(n * 2);
}
void *outer(size_t n) {
  return middle(n + 1);
}

// CHECK: @[[OUTER_FN:__tm_str[.0-9]*]] = private unnamed_addr constant {{.*}} c"outer\00"
// CHECK: @[[OUTER:__tm_site[.0-9]*]] = private constant {{.*}}@[[OUTER_FN]] to i64{{.*}} i32 17, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK: @[[MIDDLE_FN:__tm_str[.0-9]*]] = private unnamed_addr constant {{.*}} c"middle\00"
// CHECK: @[[MIDDLE:__tm_site[.0-9]*]] = private constant {{.*}}@[[MIDDLE_FN]] to i64{{.*}} i32 14, i16 {{[0-9]+}}, i16 0, i32 trunc (i64 sub (i64 ptrtoint ({{.*}}@[[OUTER]] to i64), i64 ptrtoint ({{.*}}getelementptr inbounds ({{.*}}@[[MIDDLE]], i32 0, i32 6) to i64)) to i32) }, section "__tm_sites", align 4
// CHECK: @[[INNER_FN:__tm_str[.0-9]*]] = private unnamed_addr constant {{.*}} c"inner\00"
// CHECK: @[[INNER:__tm_site[.0-9]*]] = private constant {{.*}}@[[INNER_FN]] to i64{{.*}} i32 11, i16 {{[0-9]+}}, i16 0, i32 trunc (i64 sub (i64 ptrtoint ({{.*}}@[[MIDDLE]] to i64), i64 ptrtoint ({{.*}}getelementptr inbounds ({{.*}}@[[INNER]], i32 0, i32 6) to i64)) to i32) }, section "__tm_sites", align 4
// CHECK-NOT: __tm_sites
// CHECK-LABEL: define {{.*}} @outer(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[INNER]]{{[ ,)]}}
// CHECK-NOT: @__tm_
// CHECK: ret
