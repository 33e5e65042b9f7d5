// A module that defines the shadow stack itself (the runtime's layout, as a
// named struct) is instrumented against that definition: no second,
// renamed declaration.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not=__tm_shadow_stack.
struct tm_shadow_stack {
  unsigned long depth;
  const void *ring[64];
};
__thread struct tm_shadow_stack __tm_shadow_stack
    __attribute__((tls_model("initial-exec")));
int callee(int);

// CHECK: @__tm_shadow_stack = {{.*}}thread_local(initialexec) global %struct.tm_shadow_stack zeroinitializer
// CHECK-LABEL: define {{.*}} @caller(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK: store {{.*}}@__tm_site
// CHECK-NEXT: call i32 @callee(
int caller(int x) { return callee(x); }
