// TRACEMALLOC_PASS_NO_SHADOW_STACK=1 (set by tm-clang for
// TM_CLANG_NO_SHADOW_STACK) only asks for one frame per trace: allocation
// calls are still rewritten and the module still registered.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | env TRACEMALLOC_PASS_NO_SHADOW_STACK=1 %tmopt -S | FileCheck %s
#include <stdlib.h>

// CHECK: @llvm.global_ctors
// CHECK-LABEL: define {{.*}} @allocates(
// CHECK: call {{.*}}@__tm_malloc(
void *allocates(size_t n) { return malloc(n); }
