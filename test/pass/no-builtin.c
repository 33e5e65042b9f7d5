// -fno-builtin and -ffreestanding make TargetLibraryInfo treat every library
// function as unavailable for optimisation; the calls still allocate, so
// they are still traced (the pass checks names and prototypes only).
// RUN: %clang -fno-builtin -fpass-plugin=%plugin -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %clang -ffreestanding -fpass-plugin=%plugin -O2 -S -emit-llvm %s -o - | FileCheck %s
#include <stdlib.h>

// CHECK-LABEL: define {{.*}} @allocates(
// CHECK: call {{.*}}@__tm_malloc(
void *allocates(size_t n) { return malloc(n); }

// CHECK-LABEL: define {{.*}} @releases(
// CHECK: call void @__tm_free(
void releases(void *p) { free(p); }
