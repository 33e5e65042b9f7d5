// Functions named __tm_* belong to the runtime (which calls the real
// allocator from its entries): the pass leaves them alone.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not=@__tm_malloc --implicit-check-not=global_ctors
#include <stdlib.h>

// CHECK-LABEL: define {{.*}} @__tm_runtime_helper(
// CHECK: call {{.*}}@malloc(
void *__tm_runtime_helper(size_t n) { return malloc(n); }
