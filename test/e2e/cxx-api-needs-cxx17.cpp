// The C++ API needs C++17 (std::optional, std::string_view): older standards
// get one clear error instead of pages of missing-type errors.
// RUN: not %tmcxx -std=c++14 -fsyntax-only %s 2>&1 | FileCheck %s
// RUN: %tmcxx -std=c++17 -fsyntax-only %s
#include <tracemalloc/tracemalloc.hpp>
// CHECK: error: "<tracemalloc/tracemalloc.hpp> needs C++17
// CHECK-NOT: error:
