// tm_snapshot_statistics(s, "lineno", 0): one Statistic per allocation line,
// exact sizes and counts, in CPython's order (size, then count, descending,
// then traceback descending), and str() of each equal to `tm-report top`'s
// line for the same snapshot.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 %t %t.tmd %t.lines | FileCheck %s
// RUN: FileCheck %s --check-prefix=LINES --input-file %t.lines
// RUN: %tm-report top --key-type lineno --limit 0 %t.tmd > %t.report
// RUN: diff %t.report %t.lines
#include "Inputs/capi_stats.h"

void *keep[16];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  for (int i = 0; i < 2; i++) keep[n++] = malloc(50);
  for (int i = 0; i < 3; i++) keep[n++] = malloc(200);
  keep[n++] = malloc(1000);
  keep[n++] = malloc(600);
  for (int i = 0; i < 2; i++) keep[n++] = malloc(50);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;
  tm_statistics *st = tm_snapshot_statistics(snapshot, "lineno", 0);
  capi_write_listing(st, "", argv[2]);
  capi_print_fields("lineno", st);
  tm_statistics_free(st);
  tm_snapshot_free(snapshot);
  return 0;
}
// Equal sizes: more blocks first (200 B x 3 before 600 B x 1); equal sizes
// and counts: the greater traceback (line 21) first.
// CHECK: lineno: 5 statistics
// CHECK-NEXT: size=1000 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-lineno.c:19
// CHECK-NEXT: size=600 count=3 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-lineno.c:18
// CHECK-NEXT: size=600 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-lineno.c:20
// CHECK-NEXT: size=100 count=2 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-lineno.c:21
// CHECK-NEXT: size=100 count=2 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-lineno.c:17
// CHECK-EMPTY:

// LINES: [ Top 5 ]
// LINES-NEXT: {{^(.*/)?}}capi-statistics-lineno.c:19: size=1000 B, count=1, average=1000 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-lineno.c:18: size=600 B, count=3, average=200 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-lineno.c:20: size=600 B, count=1, average=600 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-lineno.c:21: size=100 B, count=2, average=50 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-lineno.c:17: size=100 B, count=2, average=50 B{{$}}
// LINES-EMPTY:
