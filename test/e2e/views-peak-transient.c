// The peak view: a program that allocates 10 MB mid-run and frees it before
// exit.  The exit dump's live traces show only the small live set; `top
// --peak` shows what was live at the peak, the 10 MB line exactly, and its
// total is the peak of get_traced_memory().
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s --check-prefix=FIGURES
// RUN: %tm-report top --peak %t.tmd | FileCheck %s --check-prefix=PEAK
// RUN: %tm-report top --include "*views-peak-transient.c" %t.tmd | FileCheck %s --check-prefix=LIVE
// RUN: %tm-report top --peak --format json --limit 0 %t.tmd | %python -c "import json,sys; d=json.load(sys.stdin); print('peak total', sum(s['size'] for s in d['statistics']))" | FileCheck %s --check-prefix=TOTAL
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

enum { kBig = 10 * 1000 * 1000 };
void *volatile keep[4];

static void transient(void) {
  char *big = malloc(kBig);  // line 19: freed before the peak is read
  memset(big, 1, kBig);
  free(big);
}

int main(void) {
  keep[0] = malloc(100);  // line 25
  transient();
  keep[1] = malloc(200);  // line 27: after the peak, not in the peak view
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("current=%zu peak=%zu\n", current, peak);
  return 0;
}
// FIGURES: current=300 peak=10000100
// PEAK: [ Top 2 ]
// PEAK-NEXT: views-peak-transient.c:19: size=9766 KiB, count=1, average=9766 KiB
// PEAK-NEXT: views-peak-transient.c:25: size=100 B, count=1, average=100 B
// PEAK-EMPTY:
// LIVE: [ Top 2 ]
// LIVE-NEXT: views-peak-transient.c:27: size=200 B, count=1, average=200 B
// LIVE-NEXT: views-peak-transient.c:25: size=100 B, count=1, average=100 B
// TOTAL: peak total 10000100
