// The views follow tracemalloc's state: reset_peak() restarts the peak view
// from what is live; clear_traces() and stop()/start() reset every view.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: %t | FileCheck %s
#include "Inputs/view_totals.h"

void *volatile keep[4];

static void show(const char *when) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  struct view_totals p = view_totals(TM_VIEW_PEAK), a = view_totals(TM_VIEW_ALLOCATED),
                     t = view_totals(TM_VIEW_TEMPORARY);
  printf("%s: peak=%zu peak-view=%zu/%zu allocated=%zu/%zu temporary=%zu/%zu\n", when, peak,
         p.size, p.count, a.size, a.count, t.size, t.count);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdout buffer among the traces
  tm_start(1);
  keep[0] = malloc(1000);
  void *big = malloc(50000);
  free(big);
  show("start");
  tm_reset_peak();
  show("reset");
  void *mid = malloc(5000);
  free(mid);
  show("after");
  tm_clear_traces();
  show("cleared");
  keep[1] = malloc(10);
  show("again");
  tm_stop();
  tm_start(1);
  show("restarted");
  return 0;
}
// CHECK: start: peak=51000 peak-view=51000/2 allocated=51000/2 temporary=50000/1
// CHECK-NEXT: reset: peak=1000 peak-view=1000/1 allocated=51000/2 temporary=50000/1
// CHECK-NEXT: after: peak=6000 peak-view=6000/2 allocated=56000/3 temporary=55000/2
// CHECK-NEXT: cleared: peak=0 peak-view=0/0 allocated=0/0 temporary=0/0
// CHECK-NEXT: again: peak=10 peak-view=10/1 allocated=10/1 temporary=0/0
// CHECK-NEXT: restarted: peak=0 peak-view=0/0 allocated=0/0 temporary=0/0
