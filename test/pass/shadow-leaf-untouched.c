// A function that makes no call (and allocates nothing) is not instrumented
// at all: no depth update, no records, and it keeps its memory attributes.
// A module made only of such functions is left as it was.
// RUN: %clang -g0 -O2 -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not=__tm_ --implicit-check-not=global_ctors

// CHECK-LABEL: define {{.*}} @leaf(
// CHECK-SAME: #[[ATTRS:[0-9]+]]
// CHECK-NEXT: shl
// CHECK-NEXT: ret i32
int leaf(int x) { return x * 2; }

// CHECK: attributes #[[ATTRS]] = { {{.*}}{{readnone|memory\(none\)}}
