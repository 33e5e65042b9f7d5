// The spine at -O2: optimisation keeps the blocks (they escape through a
// global), and the report still names the source lines of the calls.
// RUN: %tmcc -O2 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s
#include <stdlib.h>

void *keep[120];

int main(void) {
  for (int i = 0; i < 100; i++)
    keep[i] = malloc(1000);
  for (int i = 0; i < 10; i++)
    keep[100 + i] = malloc(50000);
  char *s = calloc(4, 16);
  keep[110] = s;
  return 0;
}
// CHECK: [ Top 3 ]
// CHECK-NEXT: {{.*}}top-lineno-O2.c:14: size=488 KiB, count=10, average=48.8 KiB
// CHECK-NEXT: {{.*}}top-lineno-O2.c:12: size=97.7 KiB, count=100, average=1000 B
// CHECK-NEXT: {{.*}}top-lineno-O2.c:15: size=64 B, count=1, average=64 B
// CHECK-EMPTY:
