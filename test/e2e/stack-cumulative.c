// Cumulative statistics on a call tree with known sizes: every frame of a
// trace's traceback counts the block, so a call site's total is the sum of
// the blocks allocated below it.
// RUN: %tmcc -O0 -g %s -o %t-O0
// RUN: env TRACEMALLOC=8 TRACEMALLOC_DUMP=%t-O0.tmd %t-O0
// RUN: %tm-report top --cumulative --limit 0 %t-O0.tmd | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t-O2
// RUN: env TRACEMALLOC=8 TRACEMALLOC_DUMP=%t-O2.tmd %t-O2
// RUN: %tm-report top --cumulative --limit 0 %t-O2.tmd | FileCheck %s
#include <stdlib.h>

void *keep[3];
int n;

void leaf(size_t size) {
  keep[n++] = malloc(size);
}

void a(void) {
  leaf(100);
}

void b(void) {
  leaf(50);
  leaf(50);
}

int main(void) {
  a();
  b();
  return 0;
}
// Sorted by size, count, then frame (file, line) descending.
// CHECK: [ Top 6 ]
// CHECK-NEXT: stack-cumulative.c:16: size=200 B, count=3, average=67 B
// CHECK-NEXT: stack-cumulative.c:30: size=100 B, count=2, average=50 B
// CHECK-NEXT: stack-cumulative.c:29: size=100 B, count=1, average=100 B
// CHECK-NEXT: stack-cumulative.c:20: size=100 B, count=1, average=100 B
// CHECK-NEXT: stack-cumulative.c:25: size=50 B, count=1, average=50 B
// CHECK-NEXT: stack-cumulative.c:24: size=50 B, count=1, average=50 B
// CHECK-EMPTY:
