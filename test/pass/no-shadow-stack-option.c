// -tracemalloc-shadow-stack=false (what tm-clang passes for
// TM_CLANG_NO_SHADOW_STACK) only asks for one frame per trace: allocation
// calls are still rewritten and the module still registered, but no
// function pushes a shadow frame, no ring slot is written, and allocation
// records have flags 0.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -tracemalloc-shadow-stack=false -S \
// RUN:   | FileCheck %s --implicit-check-not=__tm_shadow_stack --implicit-check-not=tracemalloc-shadow-frame
#include <stdlib.h>

int callee(int);

// CHECK: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}} i32 0, i16 0, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK-NOT: __tm_sites
// CHECK: @llvm.global_ctors
// CHECK-LABEL: define {{.*}} @allocates(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
void *allocates(size_t n) { return malloc(n); }

// CHECK-LABEL: define {{.*}} @calls(
// CHECK-NOT: __tm_site
// CHECK: call i32 @callee(
int calls(int x) { return callee(x) + 1; }
