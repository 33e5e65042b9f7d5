// tm_snapshot_load of a dump written by tm_dump: the loaded snapshot has the
// original's trace count, traceback limit and statistics.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=3 %t %t.tmd | FileCheck %s
#include "Inputs/capi_stats.h"

void *keep[8];

int main(int argc, char **argv) {
  (void)argc;
  for (int i = 0; i < 5; i++) keep[i] = malloc(10 * (size_t)(i % 2 + 1));
  tm_snapshot *taken = tm_take_snapshot();
  if (tm_dump(argv[1]) != 0) return 1;
  tm_snapshot *loaded = tm_snapshot_load(argv[1]);
  if (!loaded) return 1;
  printf("taken: %zu traces, limit %d\n", tm_snapshot_trace_count(taken),
         tm_snapshot_traceback_limit(taken));
  printf("loaded: %zu traces, limit %d\n", tm_snapshot_trace_count(loaded),
         tm_snapshot_traceback_limit(loaded));
  tm_statistics *a = tm_snapshot_statistics(taken, "traceback", 0);
  tm_statistics *b = tm_snapshot_statistics(loaded, "traceback", 0);
  capi_print_fields("taken", a);
  capi_print_fields("loaded", b);
  tm_statistics_free(a);
  tm_statistics_free(b);
  tm_snapshot_free(taken);
  tm_snapshot_free(loaded);
  return 0;
}
// CHECK: taken: 5 traces, limit 3
// CHECK-NEXT: loaded: 5 traces, limit 3
// CHECK-NEXT: taken: 1 statistics
// CHECK-NEXT: size=70 count=5 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-load-dump.c:11
// CHECK-NEXT: loaded: 1 statistics
// CHECK-NEXT: size=70 count=5 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-load-dump.c:11
