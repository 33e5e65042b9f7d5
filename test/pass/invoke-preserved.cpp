// operator new inside `try` is an invoke: it stays an invoke of the entry,
// with the same normal and unwind destinations (so bad_alloc still reaches
// the handler), the same value name and the same !dbg location.
// RUN: %clangxx -g -fno-discard-value-names -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{(call|invoke) .*@_Znwm\(}}'
#include <new>

int guarded(int value) {
  int *p;
  try {
    p = new int(value);
  } catch (const std::bad_alloc &) {
    return -1;
  }
  int result = *p;
  delete p;
  return result;
}

// CHECK-LABEL: define {{.*}} @_Z7guardedi(
// CHECK: %call = invoke {{.*}}@__tm__Znwm(i64 {{.*}}4, {{.*}}@__tm_site{{[^)]*}})
// CHECK-NEXT: to label %invoke.cont unwind label %lpad, !dbg ![[LOC:[0-9]+]]
// CHECK: invoke.cont:
// CHECK: {{bitcast i8\* %call|store i32 .*, ptr %call}}
// CHECK: lpad:
// CHECK-NEXT: landingpad
// CHECK: ![[LOC]] = !DILocation(line: 11,
