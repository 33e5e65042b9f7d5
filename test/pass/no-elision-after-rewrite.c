// LLVM deletes an unused malloc/free pair; it must not delete the traced
// pair: the traced program allocates what it allocated when the pass ran.
// (The pass runs after optimisation, so pairs LLVM could elide are usually
// gone already; this guards later passes and LTO.)
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %opt '-passes=function(mem2reg),inferattrs' -S -o %t.ll
// RUN: %opt -passes=instcombine -S %t.ll | FileCheck %s --check-prefix=UNTRACED
// RUN: %tmopt -S %t.ll | %opt -passes=instcombine -S | FileCheck %s --check-prefix=TRACED
#include <stdlib.h>

// UNTRACED-LABEL: define {{.*}} @churn(
// UNTRACED-NOT: call
// UNTRACED: ret void
// TRACED-LABEL: define {{.*}} @churn(
// TRACED: call {{.*}}@__tm_malloc(
// TRACED: call void @__tm_free(
void churn(void) {
  void *block = malloc(32);
  free(block);
}
