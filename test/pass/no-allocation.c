// Without the shadow stack, a module without allocation calls is left
// unchanged: no records, no constructor, no runtime declarations.  (With it,
// strlen's caller would push a frame: see shadow-prologue-epilogue.c.)
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | env TRACEMALLOC_PASS_NO_SHADOW_STACK=1 %tmopt -S \
// RUN:   | FileCheck %s --implicit-check-not=__tm_ --implicit-check-not=global_ctors
#include <string.h>

// CHECK-LABEL: define {{.*}} @no_allocation(
// CHECK: call {{.*}}@strlen(
unsigned long no_allocation(const char *s) { return strlen(s); }
