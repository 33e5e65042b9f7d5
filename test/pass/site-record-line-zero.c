// A call whose location has line 0 (what LLVM gives calls it merged from
// several lines) gets the nearest known line of the same scope in its
// block, before the call first; without one, the line of its scope (here
// the function's).  The sed turns every location of lines 14 and 19 into
// line 0.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: sed -e 's/DILocation(line: 14,/DILocation(line: 0,/' \
// RUN:     -e 's/DILocation(line: 19,/DILocation(line: 0,/' %t.ll \
// RUN:   | %tmopt -S | FileCheck %s
#include <stdlib.h>

void *after_statement(size_t n) {
  size_t m = n * 3;
  void *p = malloc(m);
  return p;
}

void *first_in_function(size_t n) {
  return malloc(n);
}

// CHECK: @{{__tm_site[.0-9]*}} = private constant {{.*}} i32 13, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK: @{{__tm_site[.0-9]*}} = private constant {{.*}} i32 18, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK-NOT: i32 0, i16 {{[0-9]+}}, i16 0,
