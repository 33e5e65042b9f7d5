// With -flto=thin and -flto the pass runs in the compile, before the
// bitcode is written (clang's pre-link pipeline), so the link-time
// optimiser gets instrumented code and the traced program's report names
// the allocating line and its caller's; here with the system linker and
// its LLVM plugin (tm-clang-lto-lld.test: lld).
// RUN: %tmcc -O2 -g -flto=thin -c %s -o %t.thin.o
// RUN: %tmcc -O2 -flto=thin %t.thin.o -o %t.thin
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.thin.tmd %t.thin
// RUN: %tm-report top --key-type traceback %t.thin.tmd | FileCheck %s
// RUN: %tmcc -O2 -g -flto -c %s -o %t.full.o
// RUN: %tmcc -O2 -flto %t.full.o -o %t.full
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.full.tmd %t.full
// RUN: %tm-report top --key-type traceback %t.full.tmd | FileCheck %s
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
// CHECK-NEXT: tm-clang-lto.c:27: size=3001 B, count=1, average=3001 B
// CHECK-NEXT:   File "{{.*}}tm-clang-lto.c", line 27
// CHECK-NEXT:     kept = make(3000 + (size_t)argc);
// CHECK-NEXT:   File "{{.*}}tm-clang-lto.c", line 20
// CHECK-NEXT:     char *block = malloc(size);
