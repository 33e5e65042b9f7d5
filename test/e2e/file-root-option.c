// -mllvm -tracemalloc-file-root=DIR through tm-clang: the report names this
// file relative to DIR (test/, the directory above this one), and still
// prints its source lines, found in DIR.
// RUN: %tmcc -mllvm -tracemalloc-file-root=%S/.. -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --key-type traceback %t.tmd | FileCheck %s
#include <stdlib.h>

void *kept;

int main(void) {
  kept = malloc(123);
  return 0;
}
// CHECK: {{^}}e2e/file-root-option.c:12: size=123 B, count=1, average=123 B
// CHECK-NEXT: File "e2e/file-root-option.c", line 12
// CHECK-NEXT: kept = malloc(123);
