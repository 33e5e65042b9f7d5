// Over-aligned new/new[]/delete/delete[] (std::align_val_t), including the
// nothrow forms, are rewritten.  -fno-sized-deallocation: clang-19 would
// otherwise emit the sized aligned delete (see sized-delete.cpp).
// RUN: %clangxx -std=c++17 -fno-sized-deallocation -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{(call|invoke) .*@_Z(nw|na|dl|da)[A-Za-z0-9_]*\(}}'
#include <cstddef>
#include <new>

struct alignas(64) Big {
  char bytes[64];
};

// CHECK-LABEL: define {{.*}} @_Z7new_bigv(
// CHECK: call {{.*}}@__tm__ZnwmSt11align_val_t(i64 {{.*}}64, i64 {{.*}}64, {{.*}}@__tm_site
Big *new_big() { return new Big; }

// CHECK-LABEL: define {{.*}} @_Z13new_big_arraym(
// CHECK: call {{.*}}@__tm__ZnamSt11align_val_t(i64 {{.*}}, i64 {{.*}}64, {{.*}}@__tm_site
Big *new_big_array(std::size_t n) { return new Big[n]; }

// CHECK-LABEL: define {{.*}} @_Z15new_big_nothrowv(
// CHECK: call {{.*}}@__tm__ZnwmSt11align_val_tRKSt9nothrow_t(i64 {{.*}}64, i64 {{.*}}64, {{.*}}, {{.*}}@__tm_site
Big *new_big_nothrow() { return new (std::nothrow) Big; }

// CHECK-LABEL: define {{.*}} @_Z21new_big_array_nothrowm(
// CHECK: call {{.*}}@__tm__ZnamSt11align_val_tRKSt9nothrow_t(i64 {{.*}}, i64 {{.*}}64, {{.*}}, {{.*}}@__tm_site
Big *new_big_array_nothrow(std::size_t n) { return new (std::nothrow) Big[n]; }

// CHECK-LABEL: define {{.*}} @_Z10delete_bigP3Big(
// CHECK: call void @__tm__ZdlPvSt11align_val_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}64, {{.*}}@__tm_site
void delete_big(Big *p) { delete p; }

// CHECK-LABEL: define {{.*}} @_Z16delete_big_arrayP3Big(
// CHECK: call void @__tm__ZdaPvSt11align_val_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}64, {{.*}}@__tm_site
void delete_big_array(Big *p) { delete[] p; }

// CHECK-LABEL: define {{.*}} @_Z22delete_aligned_nothrowPv(
// CHECK: call void @__tm__ZdlPvSt11align_val_tRKSt9nothrow_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}64, {{.*}}, {{.*}}@__tm_site
// CHECK: call void @__tm__ZdaPvSt11align_val_tRKSt9nothrow_t({{i8\*|ptr}} {{.*}}, i64 {{.*}}64, {{.*}}, {{.*}}@__tm_site
void delete_aligned_nothrow(void *p) {
  ::operator delete(p, std::align_val_t(64), std::nothrow);
  ::operator delete[](p, std::align_val_t(64), std::nothrow);
}
