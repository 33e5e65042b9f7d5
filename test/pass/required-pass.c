// The pass is required (isRequired): tracing must not depend on which
// optional passes run, so it is not skipped by -opt-bisect-limit (nor on
// optnone functions, for the per-function steps to come).
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -opt-bisect-limit=0 -S | FileCheck %s
// RUN: %clang -fpass-plugin=%plugin -mllvm -opt-bisect-limit=0 -O2 -S -emit-llvm %s -o - 2>/dev/null \
// RUN:   | FileCheck %s
#include <stdlib.h>

// CHECK-LABEL: define {{.*}} @allocates(
// CHECK: call {{.*}}@__tm_malloc(
void *allocates(size_t n) { return malloc(n); }
