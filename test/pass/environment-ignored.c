// The pass reads its configuration from the command line only: the same
// command gives the same object whatever the environment (build systems and
// ccache see every option).  The variable that once turned the shadow stack
// off changes nothing.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %tmopt -S %t.ll -o %t.plain.ll
// RUN: env TRACEMALLOC_PASS_NO_SHADOW_STACK=1 %tmopt -S %t.ll -o %t.env.ll
// RUN: cmp %t.plain.ll %t.env.ll
// RUN: FileCheck %s < %t.env.ll
#include <stdlib.h>

int callee(int);

// CHECK-LABEL: define {{.*}} @calls(
// CHECK: store {{.*}}@__tm_site
// CHECK: call i32 @callee(
int calls(int x) { return callee(x) + 1; }
