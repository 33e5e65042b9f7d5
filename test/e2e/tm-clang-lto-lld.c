// -flto=thin and -flto with -fuse-ld=lld: the pass runs in the compile,
// lld's link-time optimiser gets instrumented code, and the traced
// program's report names the allocating line and its caller's.
// REQUIRES: lld
// RUN: %tmcc -O2 -g -flto=thin -fuse-ld=lld %s -o %t.thin.lld
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.thin.lld.tmd %t.thin.lld
// RUN: %tm-report top --key-type traceback %t.thin.lld.tmd | FileCheck %s
// RUN: %tmcc -O2 -g -flto -fuse-ld=lld %s -o %t.full.lld
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.full.lld.tmd %t.full.lld
// RUN: %tm-report top --key-type traceback %t.full.lld.tmd | FileCheck %s
#include <stdlib.h>
#include <string.h>

void *volatile kept;

__attribute__((noinline)) static char *make(size_t size) {
  char *block = malloc(size);
  memset(block, 1, size);
  return block;
}

int main(int argc, char **argv) {
  (void)argv;
  kept = make(3000 + (size_t)argc);
  return 0;
}
// CHECK: [ Top 1 ]
// CHECK-NEXT: tm-clang-lto-lld.c:24: size=3001 B, count=1, average=3001 B
// CHECK-NEXT:   File "{{.*}}tm-clang-lto-lld.c", line 24
// CHECK-NEXT:     kept = make(3000 + (size_t)argc);
// CHECK-NEXT:   File "{{.*}}tm-clang-lto-lld.c", line 17
// CHECK-NEXT:     char *block = malloc(size);
