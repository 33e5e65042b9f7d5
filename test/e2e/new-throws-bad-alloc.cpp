// `new` inside `try` still throws std::bad_alloc through the runtime entry
// (the pass keeps the invoke), with tracing on, and the failed allocation
// leaves no trace.
// RUN: %tmcxx -O0 -g %s -o %t0
// RUN: env TRACEMALLOC=1 %t0 | FileCheck %s
// RUN: %tmcxx -O2 -g %s -o %t2
// RUN: env TRACEMALLOC=1 %t2 | FileCheck %s
#include <cstdio>
#include <cstddef>
#include <new>
#include <tracemalloc/tracemalloc.h>

volatile std::size_t huge = ~std::size_t(0) / 2;
// Stored through volatile globals so -O2 cannot elide the allocations.
char *volatile sink;
char *volatile kept;

int main() {
  // Unbuffered: libc's stdout buffer would be traced too (a foreign block).
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  kept = new char[10];
  try {
    char *p = new char[huge];
    std::printf("not thrown %p\n", static_cast<void *>(p));
  } catch (const std::bad_alloc &) {
    std::printf("caught bad_alloc\n");
  }
  sink = new (std::nothrow) char[huge];
  std::printf("nothrow: %s\n", sink ? "non-null" : "null");
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  std::printf("current=%zu\n", current);
  delete[] kept;
  return 0;
}
// CHECK: caught bad_alloc
// CHECK-NEXT: nothrow: null
// CHECK-NEXT: current=10
