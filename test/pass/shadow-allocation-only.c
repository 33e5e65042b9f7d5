// A function whose only call is an allocation pushes a frame too (the
// runtime must know where its callers start), stores nothing in its ring
// slot (the allocation entry gets its record as an argument), and the
// allocation record has flags = TM_SITE_OWN_SHADOW_FRAME (1).
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <stdlib.h>

void *make(size_t n) {
  return malloc(n);
}

// CHECK: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}} i32 10, i16 10, i16 1, {{i8\*|ptr}} null }, section "__tm_sites", align 8
// CHECK-NOT: __tm_sites
// CHECK-LABEL: define {{.*}} @make(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: store i64 {{.*}}, {{.*}}@__tm_shadow_stack
// CHECK-NOT: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
// CHECK-NOT: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: ret
