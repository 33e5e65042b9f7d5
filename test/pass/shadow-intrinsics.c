// Intrinsic calls (llvm.memcpy, llvm.dbg.*, llvm.lifetime.*) never reach
// instrumented code: they get no ring store, and a function that calls
// nothing else pushes no frame.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <string.h>

struct big {
  char bytes[64];
};

// CHECK-LABEL: define {{.*}} @copy_only(
// CHECK-NOT: @__tm_
// CHECK: call void @llvm.memcpy
// CHECK-NOT: @__tm_
// CHECK: ret void
void copy_only(struct big *dst, const struct big *src) { *dst = *src; }

// CHECK-LABEL: define {{.*}} @copy_then_call(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK-NOT: @__tm_site
// CHECK: call void @llvm.memcpy
// CHECK-NOT: @__tm_site
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call void %
// CHECK-NOT: @__tm_site
// CHECK: ret void
void copy_then_call(struct big *dst, const struct big *src, void (*then)(void)) {
  memcpy(dst, src, sizeof *dst);
  then();
}
