// A returns_twice function that may throw is invoked: the heal goes at the
// start of the invoke's normal destination.  At -O2 that destination also
// has other predecessors, so the pass splits the edge and heals only on the
// path that comes from the invoke.
// RUN: %clangxx -g0 -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
extern "C" __attribute__((returns_twice)) int checkpoint();
void recover();

// CHECK-LABEL: define {{.*}} @_Z7resumesb(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[INNER:%[^ ]+]] = add i64 [[DEPTH]], 1
// CHECK: [[VALUE:%[^ ]+]] = invoke i32 @checkpoint()
// CHECK-NEXT: to label %[[SPLIT:[^ ]+]] unwind label
// CHECK: {{^}}[[SPLIT]]:
// CHECK-NEXT: store i64 [[INNER]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: br label %[[JOIN:[^ ,]+]]
// CHECK: {{^}}[[JOIN]]:
// CHECK-NEXT: phi i32 {{.*}}[ [[VALUE]], %[[SPLIT]] ]
int resumes(bool armed) {
  int result = 0;
  try {
    if (armed)
      result = checkpoint();
  } catch (...) {
    recover();
  }
  return result;
}
