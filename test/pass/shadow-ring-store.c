// Before each call the frame's ring slot, ring[d & 63] (computed once at
// entry), receives the address of that call's site record: an ordinary
// record (flags 0) for the call's own line and column.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
int callee(int);

int two_calls(int x) {
  int first = callee(x);
  return first + callee(first);
}

// CHECK: @[[FIRST:__tm_site[.0-9]*]] = private constant {{.*}} i32 9, i16 15, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK: @[[SECOND:__tm_site[.0-9]*]] = private constant {{.*}} i32 10, i16 18, i16 0, i32 0 }, section "__tm_sites", align 4
// CHECK-LABEL: define {{.*}} @two_calls(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: [[INDEX:%[^ ]+]] = and i64 [[DEPTH]], 63
// CHECK-NEXT: [[SLOT:%[^ ]+]] = getelementptr inbounds { i64, [64 x {{i8\*|ptr}}] }, {{.*}}@__tm_shadow_stack, i32 0, i32 1, i64 [[INDEX]]
// CHECK: store {{i8\*|ptr}} {{.*}}@[[FIRST]]{{( to i8\*\))?}}, {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call i32 @callee(
// CHECK: store {{i8\*|ptr}} {{.*}}@[[SECOND]]{{( to i8\*\))?}}, {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call i32 @callee(
