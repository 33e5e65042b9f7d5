// A module with rewritten calls gets an internal constructor, early
// (priority 1), that passes TM_ABI_VERSION (read from abi.h here, so the
// test follows the header) and the module's source file name to
// __tm_register_module.
// RUN: { grep '^#define TM_ABI_VERSION ' %tminclude/tracemalloc/abi.h; \
// RUN:   %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S; } \
// RUN:   | FileCheck %s -DSOURCE=%s
#include <stdlib.h>

void *allocates(size_t n) { return malloc(n); }

// CHECK: #define TM_ABI_VERSION [[VERSION:[0-9]+]]
// CHECK: @[[NAME:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"[[SOURCE]]\00"
// CHECK: @llvm.global_ctors = appending global [1 x { i32, {{.*}} }] [{ i32, {{.*}} } { i32 1, {{.*}}@__tm_module_ctor, {{i8\*|ptr}} null }]
// CHECK: declare void @__tm_register_module(i32, {{i8\*|ptr}})
// CHECK: define internal void @__tm_module_ctor() [[ATTRS:#[0-9]+]] {
// CHECK-NEXT: call void @__tm_register_module(i32 [[VERSION]], {{.*}}@[[NAME]]{{[ ,)]}}
// CHECK-NEXT: ret void
// CHECK: attributes [[ATTRS]] = { nounwind }
