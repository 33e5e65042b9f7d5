// A landing pad is reached from a frame that threw without popping (nor did
// any frame in between): right after the landingpad the depth is healed to
// this frame's own d + 1.
// RUN: %clangxx -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
void may_throw(int);

// CHECK-LABEL: define {{.*}} @_Z7catcheri(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[INNER:%[^ ]+]] = add i64 [[DEPTH]], 1
// CHECK: invoke void @_Z9may_throwi(
// CHECK: landingpad
// CHECK-NEXT: catch {{i8\*|ptr}} null
// CHECK-NEXT: store i64 [[INNER]], {{.*}}@__tm_shadow_stack
int catcher(int x) {
  try {
    may_throw(x);
  } catch (...) {
    return -1;
  }
  return 0;
}
