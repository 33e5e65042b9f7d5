// -gline-tables-only: lines and columns are known; subprograms carry no
// linkage name, so the record names the function by its plain name.
// RUN: cd %S && %clangxx -gline-tables-only -O0 -Xclang -disable-O0-optnone -S -emit-llvm site-record-line-tables-only.cpp -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <cstdlib>

namespace pool {
void *grab(std::size_t n) {
  return std::malloc(n);
}
} // namespace pool

// CHECK: @[[FILE:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"site-record-line-tables-only.cpp\00"
// CHECK: @[[FN:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"grab\00"
// CHECK: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}}@[[FILE]] to i64{{.*}}@[[FN]] to i64{{.*}}i32 9, i16 10, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK-LABEL: define {{.*}} @_ZN4pool4grabEm(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
