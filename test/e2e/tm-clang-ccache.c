// With ccache in front (CC="ccache tm-clang"), a second compile is a
// direct cache hit and gives the same instrumented object; the program
// traces with its lines.  A rebuilt plugin makes the wrappers newer than
// it, so that ccache, which checks the compiler's modification time, never
// hands out objects of an older plugin.
// REQUIRES: ccache
// RUN: rm -rf %t.cache && mkdir %t.cache
// RUN: env CCACHE_DIR=%t.cache ccache %tmcc -O1 -g -c %s -o %t.1.o
// RUN: env CCACHE_DIR=%t.cache ccache %tmcc -O1 -g -c %s -o %t.2.o
// RUN: env CCACHE_DIR=%t.cache ccache --print-stats | FileCheck %s --check-prefix=STATS
// RUN: cmp %t.1.o %t.2.o
// RUN: env CCACHE_DIR=%t.cache ccache %tmcc %t.2.o -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s
// RUN: test ! %plugin -nt %tmcc
#include <stdlib.h>

void *kept;

int main(void) {
  kept = malloc(777);
  return 0;
}
// STATS: direct_cache_hit 1
// CHECK: tm-clang-ccache.c:21: size=777 B, count=1, average=777 B
