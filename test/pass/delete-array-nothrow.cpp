// Unsized delete, delete[] and the nothrow deletes are rewritten.
// RUN: %clangxx -fno-sized-deallocation -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{(call|invoke) .*@_Z(dl|da)[A-Za-z0-9_]*\(}}'
#include <new>

// CHECK-LABEL: define {{.*}} @_Z10delete_onePi(
// CHECK: call void @__tm__ZdlPv({{i8\*|ptr}} {{.*}}, {{.*}}@__tm_site
void delete_one(int *p) { delete p; }

// CHECK-LABEL: define {{.*}} @_Z12delete_arrayPi(
// CHECK: call void @__tm__ZdaPv({{i8\*|ptr}} {{.*}}, {{.*}}@__tm_site
void delete_array(int *p) { delete[] p; }

// CHECK-LABEL: define {{.*}} @_Z14delete_nothrowPv(
// CHECK: call void @__tm__ZdlPvRKSt9nothrow_t({{i8\*|ptr}} {{.*}}, {{.*}}, {{.*}}@__tm_site
// CHECK: call void @__tm__ZdaPvRKSt9nothrow_t({{i8\*|ptr}} {{.*}}, {{.*}}, {{.*}}@__tm_site
void delete_nothrow(void *p) {
  ::operator delete(p, std::nothrow);
  ::operator delete[](p, std::nothrow);
}
