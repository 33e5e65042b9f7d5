// A cleanup that resumes unwinding leaves the frame: the depth is restored
// to d before the resume, as before a ret.
// RUN: %clangxx -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
struct Guard {
  ~Guard();
};
void may_throw(int);

// CHECK-LABEL: define {{.*}} @_Z7cleanupi(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: landingpad
// CHECK-NEXT: cleanup
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: resume
void cleanup(int x) {
  Guard guard;
  may_throw(x);
}
