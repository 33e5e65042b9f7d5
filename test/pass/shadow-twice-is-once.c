// A second run of the pass over its own output (twice in one pipeline, or
// the pre-link and link steps of LTO) pushes no second frame: functions that
// already push one are marked "tracemalloc-shadow-frame" and skipped.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %opt -load-pass-plugin=%plugin -passes=tracemalloc,tracemalloc -S \
// RUN:   | FileCheck %s --implicit-check-not=__tm_shadow_stack.
int callee(int);

// CHECK: @__tm_shadow_stack = external thread_local(initialexec) global
// CHECK-LABEL: define {{.*}} @caller(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK-NOT: load i64, {{.*}}@__tm_shadow_stack
// CHECK: store {{.*}}@__tm_site
// CHECK-NEXT: call i32 @callee(
// CHECK-NOT: @__tm_site
// CHECK: ret i32
int caller(int x) { return callee(x) + 1; }
