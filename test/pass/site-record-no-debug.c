// Without debug info the record names the module's source file, an empty
// directory, the LLVM function name, line 0 and column 0; all the
// allocation calls of one function share that record.
// RUN: cd %S && %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm site-record-no-debug.c -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <stdlib.h>

void *no_debug(size_t n) {
  void *first = malloc(n);
  free(first);
  return calloc(n, 2);
}

// CHECK: @[[FILE:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"site-record-no-debug.c\00"
// CHECK: @[[DIR:__tm_str[.0-9]*]] = private unnamed_addr constant [1 x i8] zeroinitializer
// CHECK: @[[FN:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"no_debug\00"
// CHECK: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}}@[[FILE]] to i64{{.*}}@[[DIR]] to i64{{.*}}@[[FN]] to i64{{.*}}i32 0, i16 0, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK-NOT: __tm_sites
// CHECK-LABEL: define {{.*}} @no_debug(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
// CHECK: call void @__tm_free({{.*}}@[[SITE]]{{[ ,)]}}
// CHECK: call {{.*}}@__tm_calloc({{.*}}@[[SITE]]{{[ ,)]}}
