// A function whose only calls are allocations pushes no frame: each entry
// gets its record as an argument and the caller's slot (depth - 1) already
// names the call that led here, so the allocation record has flags 0, as
// after a frame-ending tail call.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <stdlib.h>

void *make(size_t n) {
  void *block = malloc(n);
  return block;
}

// CHECK: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}} i32 10, i16 17, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK-NOT: __tm_sites
// CHECK-LABEL: define {{.*}} @make(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
