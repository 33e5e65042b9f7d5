// Sized delete and delete[] (also over-aligned) are rewritten.  clang-14
// emits them only with -fsized-deallocation, clang-19 by default.
// RUN: %clangxx -std=c++17 -fsized-deallocation -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{(call|invoke) .*@_Z(dl|da)[A-Za-z0-9_]*\(}}'
#include <new>

struct WithDtor {
  ~WithDtor();
  long value;
};
struct alignas(64) BigWithDtor {
  ~BigWithDtor();
  char bytes[64];
};

// CHECK-LABEL: define {{.*}} @_Z10delete_intPi(
// CHECK: call void @__tm__ZdlPvm({{i8\*|ptr}} {{.*}}, i64 {{.*}}4, {{.*}}@__tm_site
void delete_int(int *p) { delete p; }

// An array of a type with a destructor has a cookie, so its size is known.
// CHECK-LABEL: define {{.*}} @_Z12delete_arrayP8WithDtor(
// CHECK: call void @__tm__ZdaPvm({{i8\*|ptr}} {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void delete_array(WithDtor *p) { delete[] p; }

// CHECK-LABEL: define {{.*}} @_Z18delete_aligned_oneP11BigWithDtor(
// CHECK: call void @__tm__ZdlPvmSt11align_val_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}64, i64 {{.*}}64, {{.*}}@__tm_site
void delete_aligned_one(BigWithDtor *p) { delete p; }

// CHECK-LABEL: define {{.*}} @_Z20delete_aligned_arrayP11BigWithDtor(
// CHECK: call void @__tm__ZdaPvmSt11align_val_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}, i64 {{.*}}64, {{.*}}@__tm_site
void delete_aligned_array(BigWithDtor *p) { delete[] p; }
