// The allocated and temporary views: 1000 allocate/free pairs on one line
// are 1000 allocations and 1000 temporary ones; blocks freed only after
// the next allocation are allocations, not temporary ones.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --allocated --include "*views-allocated-temporary.c" %t.tmd | FileCheck %s --check-prefix=ALLOCATED
// RUN: %tm-report top --temporary --include "*views-allocated-temporary.c" %t.tmd | FileCheck %s --check-prefix=TEMPORARY
// RUN: %tm-report top --include "*views-allocated-temporary.c" %t.tmd | FileCheck %s --check-prefix=LIVE
#include <stdlib.h>

void *volatile sink;
void *volatile kept;

int main(void) {
  for (int i = 0; i < 1000; ++i) {
    void *p = malloc(64);  // line 16
    sink = p;
    free(p);
  }
  void *first = malloc(32);   // line 20: freed after the next allocation
  void *second = malloc(48);  // line 21: still live at exit
  free(first);
  kept = second;
  return 0;
}
// ALLOCATED: [ Top 3 ]
// ALLOCATED-NEXT: views-allocated-temporary.c:16: size=62.5 KiB, count=1000, average=64 B
// ALLOCATED-NEXT: views-allocated-temporary.c:21: size=48 B, count=1, average=48 B
// ALLOCATED-NEXT: views-allocated-temporary.c:20: size=32 B, count=1, average=32 B
// ALLOCATED-EMPTY:
// TEMPORARY: [ Top 1 ]
// TEMPORARY-NEXT: views-allocated-temporary.c:16: size=62.5 KiB, count=1000, average=64 B
// TEMPORARY-EMPTY:
// LIVE: [ Top 1 ]
// LIVE-NEXT: views-allocated-temporary.c:21: size=48 B, count=1, average=48 B
