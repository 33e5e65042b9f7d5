// An instrumented function writes the shadow stack, so it loses its memory
// effects (readnone/readonly/... on LLVM 14, memory(...) on 19), and so do
// its call sites in the module: with them, passes that run after us (LTO)
// could drop or reorder the depth and ring stores.  Calls to functions that
// are not instrumented here (k) keep theirs.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
__attribute__((const)) int k(int);

// CHECK: define {{.*}} @twice_k({{.*}}) #[[DEF:[0-9]+]]
// CHECK: call i32 @k({{.*}}) #[[K_CALL:[0-9]+]]
__attribute__((const)) int twice_k(int x) { return k(x) + k(x + 1); }

// CHECK-LABEL: define {{.*}} @user(
// CHECK: call i32 @twice_k({{.*}}) #[[CALL:[0-9]+]]
int user(int x) { return twice_k(x) * 3; }

// CHECK: attributes #[[DEF]] = {
// CHECK-NOT: {{readnone|readonly|memory\(}}
// CHECK-SAME: "tracemalloc-shadow-frame"
// CHECK-NOT: {{readnone|readonly|memory\(}}
// CHECK-SAME: }
// CHECK-DAG: attributes #[[K_CALL]] = { {{.*}}{{readnone|memory\(none\)}}
// CHECK-DAG: attributes #[[CALL]] = { nounwind willreturn }
