// Running the pass twice (e.g. in a ThinLTO pre-link compile and again in
// the backend) neither rewrites the entries nor registers the module twice.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %opt -load-pass-plugin=%plugin -passes=tracemalloc,tracemalloc -S \
// RUN:   | FileCheck %s --implicit-check-not=__tm___tm_
#include <stdlib.h>

// CHECK: @llvm.global_ctors = appending global [1 x
// CHECK-LABEL: define {{.*}} @allocates(
// CHECK: call {{.*}}@__tm_malloc(i64 {{.*}}, {{.*}}@__tm_site{{.*}})
// CHECK-LABEL: define internal void @__tm_module_ctor()
// CHECK-NOT: define {{.*}}__tm_module_ctor
void *allocates(size_t n) { return malloc(n); }
