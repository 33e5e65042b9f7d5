// With -g each (function, DILocation) gets one private constant record
// { file, directory, function, line, column, flags, parent } in section
// "__tm_sites", aligned to 4 and not unnamed_addr (its address is its
// identity); the strings are ordinary private unnamed_addr C strings, and
// the record holds each as its 32-bit offset from the record's own field
// (target - &field truncated to i32, abi.h's tm_site_offset), 0 for none.
// RUN: cd %S && %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm site-record-debug.c -o - \
// RUN:   | %tmopt -S | FileCheck %s -DDIR=%S
#include <stdlib.h>

void *two_sites(size_t n) {
  void *first = malloc(n);
  free(first);
  return malloc(n + 1);
}

// CHECK: @[[FILE:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"site-record-debug.c\00", align 1
// CHECK: @[[DIRSTR:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"[[DIR]]\00", align 1
// CHECK: @[[FN:__tm_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"two_sites\00", align 1
// CHECK: @[[MALLOC1:__tm_site[.0-9]*]] = private constant { i32, i32, i32, i32, i16, i16, i32 } {
// CHECK-SAME: i32 trunc (i64 sub (i64 ptrtoint ({{.*}}@[[FILE]] to i64), i64 ptrtoint ({{.*}}@[[MALLOC1]] to i64)) to i32),
// CHECK-SAME: i32 trunc (i64 sub (i64 ptrtoint ({{.*}}@[[DIRSTR]] to i64), i64 ptrtoint ({{.*}}getelementptr inbounds ({{.*}}@[[MALLOC1]], i32 0, i32 1) to i64)) to i32),
// CHECK-SAME: i32 trunc (i64 sub (i64 ptrtoint ({{.*}}@[[FN]] to i64), i64 ptrtoint ({{.*}}getelementptr inbounds ({{.*}}@[[MALLOC1]], i32 0, i32 2) to i64)) to i32),
// CHECK-SAME: i32 12, i16 17, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK: @[[FREE:__tm_site[.0-9]*]] = private constant {{.*}} i32 13, i16 3, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK: @[[MALLOC2:__tm_site[.0-9]*]] = private constant {{.*}} i32 14, i16 10, i16 0, i32 0 }, section "__tm_sites", align 4

// CHECK-LABEL: define {{.*}} @two_sites(
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[MALLOC1]]{{[ ,)]}}
// CHECK: call void @__tm_free({{.*}}@[[FREE]]{{[ ,)]}}
// CHECK: call {{.*}}@__tm_malloc({{.*}}@[[MALLOC2]]{{[ ,)]}}
