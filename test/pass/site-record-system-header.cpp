// The C++ library's headers, which clang names through the compiler's own
// directory (/usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12),
// appear in site records without the `..`.
// RUN: %clangxx -g -O1 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <vector>

std::vector<int> *grow(std::vector<int> *v) {
  v->push_back(1);
  return v;
}

// CHECK-NOT: c"{{[^"]*}}/../{{[^"]*}}\00"
// CHECK: c"/usr/include/c++/{{[0-9]+}}/bits/new_allocator.h\00"
// CHECK-NOT: c"{{[^"]*}}/../{{[^"]*}}\00"
