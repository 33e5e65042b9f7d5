// A TRACEMALLOC_GTEST_LEAKS that is not a byte count: one warning, no
// limit, the tests run as without it.
// RUN: %tmcxx -O0 -g %s -o %t %tmgtest
// RUN: env TRACEMALLOC_GTEST_LEAKS=10k %t 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t.err
// RUN: count 1 < %t.err
#include <gtest/gtest.h>

#include <cstdlib>

void *volatile kept;

TEST(Leaks, Leaks) { kept = std::malloc(300); }
// CHECK: [  PASSED  ] 1 test.
// ERR: tracemalloc: TRACEMALLOC_GTEST_LEAKS=10k is not a byte count, no leak limit applies
