// The __hot_cold_t operator new variants (tcmalloc's; LLVM 19 may rewrite
// new into them) are rewritten.  LLVM 19's TargetLibraryInfo checks their
// prototype; LLVM 14 does not know them and the pass's own table does.
// RUN: %clangxx -std=c++17 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{call .*@_Zn[wa]m[A-Za-z0-9_]*\(}}'
#include <cstddef>
#include <new>

enum class __hot_cold_t : unsigned char {};
void *operator new(std::size_t, __hot_cold_t);
void *operator new[](std::size_t, __hot_cold_t);
void *operator new(std::size_t, const std::nothrow_t &, __hot_cold_t) noexcept;
void *operator new(std::size_t, std::align_val_t, __hot_cold_t);
void *operator new[](std::size_t, std::align_val_t, const std::nothrow_t &, __hot_cold_t) noexcept;

// CHECK-LABEL: define {{.*}} @_Z8hot_coldm(
// CHECK: call {{.*}}@__tm__Znwm12__hot_cold_t(i64 {{.*}}, i8 {{.*}}, {{.*}}@__tm_site
// CHECK: call {{.*}}@__tm__Znam12__hot_cold_t(i64 {{.*}}, i8 {{.*}}, {{.*}}@__tm_site
// CHECK: call {{.*}}@__tm__ZnwmRKSt9nothrow_t12__hot_cold_t(i64 {{.*}}, {{.*}}, i8 {{.*}}, {{.*}}@__tm_site
// CHECK: call {{.*}}@__tm__ZnwmSt11align_val_t12__hot_cold_t(i64 {{.*}}, i64 {{.*}}32, i8 {{.*}}, {{.*}}@__tm_site
// CHECK: call {{.*}}@__tm__ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t(i64 {{.*}}, i64 {{.*}}32, {{.*}}, i8 {{.*}}, {{.*}}@__tm_site
void hot_cold(std::size_t n) {
  __hot_cold_t hint{200};
  operator new(n, hint);
  operator new[](n, hint);
  operator new(n, std::nothrow, hint);
  operator new(n, std::align_val_t(32), hint);
  operator new[](n, std::align_val_t(32), std::nothrow, hint);
}
