// Before a musttail call, and before a `tail` call directly followed by ret,
// the frame is going away: the depth is restored to d before the call, the
// call gets no ring store, and nothing is inserted between it and the ret.
// So musttail stays valid and the backend still emits a sibling call (the
// callee reuses this frame's depth as it reuses its stack frame).
// RUN: %clang -g0 -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
// RUN: %clang -target x86_64-linux-gnu -fPIC -g0 -O2 -fpass-plugin=%plugin -S %s -o - \
// RUN:   | FileCheck %s --check-prefix=ASM
int next(int);

// CHECK-LABEL: define {{.*}} @must(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: tail call i32 @next(
// CHECK-NOT: @__tm_site
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: musttail call i32 @next(
// CHECK-NEXT: ret i32
int must(int x) {
  if (x > 10)
    next(x);
  __attribute__((musttail)) return next(x - 1);
}

// CHECK-LABEL: define {{.*}} @sibling(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: tail call i32 @next(
// CHECK-NOT: @__tm_site
// CHECK: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[RESULT:%[^ ]+]] = tail call i32 @next(
// CHECK-NEXT: ret i32 [[RESULT]]
int sibling(int x) {
  if (x)
    next(x);
  return next(x + 1);
}

// A function whose only call is such a tail call needs no frame at all.
// CHECK-LABEL: define {{.*}} @forwards(
// CHECK-NOT: @__tm_
// CHECK: ret i32
int forwards(int x) { return next(x * 3); }

// ASM-LABEL: sibling:
// ASM: jmp next@PLT # TAILCALL
// ASM-LABEL: forwards:
// ASM: jmp next@PLT # TAILCALL
