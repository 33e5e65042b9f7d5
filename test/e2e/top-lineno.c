// The spine: compile with the plugin, run with TRACEMALLOC=1 and a dump, and
// `tm-report top` names this file's allocation lines, biggest first -- at -O0
// and at -O2 (the blocks escape through a global, so -O2 keeps them).
// RUN: %tmcc -O0 -g %s -o %t.O0
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.O0.tmd %t.O0
// RUN: %tm-report top %t.O0.tmd | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t.O2
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.O2.tmd %t.O2
// RUN: %tm-report top %t.O2.tmd | FileCheck %s
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
// CHECK-NEXT: {{.*}}top-lineno.c:18: size=488 KiB, count=10, average=48.8 KiB
// CHECK-NEXT: {{.*}}top-lineno.c:16: size=97.7 KiB, count=100, average=1000 B
// CHECK-NEXT: {{.*}}top-lineno.c:19: size=64 B, count=1, average=64 B
// CHECK-EMPTY:
