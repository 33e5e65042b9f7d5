// new, new[] and their nothrow forms, as new-expressions and as direct
// ::operator new calls (which are `nobuiltin`), are rewritten.
// RUN: %clangxx -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{(call|invoke) .*@(_Znwm|_Znam|_ZnwmRKSt9nothrow_t|_ZnamRKSt9nothrow_t)\(}}'
#include <cstddef>
#include <new>

// CHECK-LABEL: define {{.*}} @_Z7new_onev(
// CHECK: call {{.*}}@__tm__Znwm(i64 {{.*}}4, {{.*}}@__tm_site
int *new_one() { return new int; }

// CHECK-LABEL: define {{.*}} @_Z9new_arraym(
// CHECK: call {{.*}}@__tm__Znam(i64 {{.*}}, {{.*}}@__tm_site
int *new_array(std::size_t n) { return new int[n]; }

// CHECK-LABEL: define {{.*}} @_Z11new_nothrowv(
// CHECK: call {{.*}}@__tm__ZnwmRKSt9nothrow_t(i64 {{.*}}4, {{.*}}, {{.*}}@__tm_site
int *new_nothrow() { return new (std::nothrow) int; }

// CHECK-LABEL: define {{.*}} @_Z17new_array_nothrowm(
// CHECK: call {{.*}}@__tm__ZnamRKSt9nothrow_t(i64 {{.*}}, {{.*}}, {{.*}}@__tm_site
int *new_array_nothrow(std::size_t n) { return new (std::nothrow) int[n]; }

// CHECK-LABEL: define {{.*}} @_Z15direct_operatorm(
// CHECK: call {{.*}}@__tm__Znwm(i64 {{.*}}, {{.*}}@__tm_site
void *direct_operator(std::size_t n) { return ::operator new(n); }

// CHECK-DAG: declare {{.*}}@__tm__Znwm(i64{{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare {{.*}}@__tm__Znam(i64{{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare {{.*}}@__tm__ZnwmRKSt9nothrow_t(i64{{.*}}, {{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare {{.*}}@__tm__ZnamRKSt9nothrow_t(i64{{.*}}, {{.*}}, {{i8\*|ptr}})
