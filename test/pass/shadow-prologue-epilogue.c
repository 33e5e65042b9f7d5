// A function that makes a call pushes a shadow-stack frame: after its
// allocas it loads the depth d and stores d + 1 (once per function), and it
// stores d back right before its ret.  The depth is field 0 of
// __tm_shadow_stack.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
int callee(int);

// CHECK-LABEL: define {{.*}} @caller(
// CHECK-NEXT: alloca
// CHECK-NEXT: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[INNER:%[^ ]+]] = add i64 [[DEPTH]], 1
// CHECK-NEXT: store i64 [[INNER]], {{.*}}@__tm_shadow_stack
// CHECK-NOT: load i64, {{.*}}@__tm_shadow_stack
// CHECK: call i32 @callee(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: ret i32
int caller(int x) { return callee(x) + 1; }
