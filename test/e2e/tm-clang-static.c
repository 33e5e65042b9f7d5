// tm-clang -static links a fully static program with the runtime's archive
// (and the C++ runtime its snapshot code needs), and the program traces:
// its dump names the lines that allocated.  The same from a response file.
// RUN: %tmcc -static -O0 -g %s -o %t 2>&1 | FileCheck %s --allow-empty --check-prefix=LINK
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s --check-prefix=OUT
// RUN: %tm-report top %t.tmd | FileCheck %s --check-prefix=REPORT
// RUN: echo "-static -O0 -g" > %t.rsp
// RUN: %tmcc @%t.rsp %s -o %t.rsp.out 2>&1 | FileCheck %s --allow-empty --check-prefix=LINK
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.rsp.tmd %t.rsp.out | FileCheck %s --check-prefix=OUT
// RUN: %tm-report top %t.rsp.tmd | FileCheck %s --check-prefix=REPORT
// The program is static: no interpreter, no shared libraries.
// RUN: llvm-readelf --program-headers %t | FileCheck %s --check-prefix=STATIC
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

void *kept[3];

int main(void) {
  kept[0] = malloc(1000);
  kept[1] = calloc(10, 30);
  void *gone = malloc(77);
  free(gone);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("tracing %d, traced %zu\n", tm_is_tracing(), current);
  return 0;
}
// LINK-NOT: error
// LINK-NOT: undefined reference
// OUT: tracing 1, traced 1300
// REPORT: [ Top 2 ]
// REPORT-NEXT: tm-clang-static.c:20: size=1000 B, count=1, average=1000 B
// REPORT-NEXT: tm-clang-static.c:21: size=300 B, count=1, average=300 B
// STATIC-NOT: INTERP
