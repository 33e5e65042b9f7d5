// A dump keeps what the exports need of each frame: the linkage (mangled)
// name of a C++ function and whether the frame was inlined into the next
// older one (the site record's inlined-at chain).
// RUN: %tmcxx -O2 -g %s -o %t
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report convert %t.tmd %t.json
// RUN: %python %S/Inputs/print_frames.py %t.json dump-frames-inlined-linkage.cpp | FileCheck %s
#include <cstdlib>

void *volatile keep;

namespace store {
static inline void *helper(size_t n) { return std::malloc(n * 2); }
__attribute__((noinline)) void *outer(size_t n) { return helper(n + 1); }
}  // namespace store

int main() {
  keep = store::outer(3);
  return 0;
}
// Oldest first: main calls outer (a call, not inlined); helper's malloc is
// inlined into outer.
// CHECK: traceback
// CHECK-NEXT: main main 18 inlined=False
// CHECK-NEXT: store::outer(unsigned long) _ZN5store5outerEm 14 inlined=False
// CHECK-NEXT: store::helper(unsigned long) _ZN5storeL6helperEm 13 inlined=True
