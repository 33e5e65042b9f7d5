// Virtual calls and calls through function pointers record their call
// sites like direct calls.
// RUN: %tmcxx -O0 -g %s -o %t-O0
// RUN: env TRACEMALLOC=5 %t-O0 | FileCheck %s
// RUN: %tmcxx -O2 -g %s -o %t-O2
// RUN: env TRACEMALLOC=5 %t-O2 | FileCheck %s
#include <cstdlib>
#include "Inputs/print_traceback.h"

struct Shape {
  virtual ~Shape() = default;
  virtual void *make() = 0;
};
struct Square : Shape {
  void *make() override { return std::malloc(16); }
};

__attribute__((noinline)) void *by_pointer() { return std::malloc(32); }

void *(*volatile function_pointer)() = by_pointer;
Shape *volatile shape;
void *keep[2];

int main() {
  shape = new Square;
  keep[0] = shape->make();
  keep[1] = function_pointer();
  print_traceback("virtual", keep[0]);
  print_traceback("pointer", keep[1]);
  delete shape;
  return 0;
}
// CHECK-LABEL: virtual: frames=2 total=2
// CHECK-NEXT: stack-indirect-calls.cpp:26
// CHECK-NEXT: stack-indirect-calls.cpp:15
// CHECK-LABEL: pointer: frames=2 total=2
// CHECK-NEXT: stack-indirect-calls.cpp:27
// CHECK-NEXT: stack-indirect-calls.cpp:18
