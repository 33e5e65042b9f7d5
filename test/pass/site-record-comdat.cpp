// The records of a function with a comdat (an inline function emitted in
// every TU that uses it) go into that comdat, so the linker keeps one copy
// of them with the one body it keeps.  With -g, C++ functions are named by
// their linkage (mangled) name.
// RUN: %clangxx -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <cstdlib>

inline void *shared_helper(std::size_t n) { return std::malloc(n); }
void *not_inline(std::size_t n) { return n ? std::malloc(n) : shared_helper(1); }

// CHECK: c"_Z10not_inlinem\00"
// CHECK: @[[OWN:__tm_site[.0-9]*]] = private constant {{.*}} i32 10, i16 {{[0-9]+}}, i16 1, {{.*}}, section "__tm_sites", align 4
// CHECK: @[[HELPER_FN:__tm_str[.0-9]*]] = private unnamed_addr constant {{.*}} c"_Z13shared_helperm\00"
// CHECK: @[[HELPER:__tm_site[.0-9]*]] = private constant {{.*}}@[[HELPER_FN]] to i64{{.*}} i32 9, i16 {{[0-9]+}}, i16 0, {{.*}}, section "__tm_sites", comdat($_Z13shared_helperm), align 4
// CHECK-LABEL: define {{.*}} @_Z10not_inlinem(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[OWN]]{{[ ,)]}}
// CHECK-LABEL: define linkonce_odr {{.*}} @_Z13shared_helperm({{.*}} comdat
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[HELPER]]{{[ ,)]}}
