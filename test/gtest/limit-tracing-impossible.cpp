// When tracing cannot start (a module of another ABI version disabled it),
// the limits print one note and the tests pass.
// RUN: %tmcxx -std=c++17 -O0 -g %s -o %t %tmgtest
// RUN: %t 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t.err
// RUN: env TRACEMALLOC_GTEST_LEAKS=0 %t 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t.err
#include <tracemalloc/abi.h>
#include <tracemalloc/gtest.hpp>

#include <cstdlib>

void *volatile kept;

__attribute__((constructor(1))) static void register_old_module() {
  __tm_register_module(TM_ABI_VERSION + 7, "old_module.c");
}

TEST(Impossible, Memory) {
  TRACEMALLOC_LIMIT_MEMORY(0);
  std::free(std::malloc(1000));
}

TEST(Impossible, Leaks) {
  TRACEMALLOC_LIMIT_LEAKS(0);
  kept = std::malloc(1000);
}
// CHECK: [  PASSED  ] 2 tests.
// ERR: old_module.c was instrumented for ABI version
// ERR-NEXT: tracemalloc: memory limits are not checked: {{.+}}
// ERR-NOT: tracemalloc
