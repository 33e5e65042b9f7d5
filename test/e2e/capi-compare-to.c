// tm_snapshot_compare_to(new, old, "lineno", 0): a StatisticDiff per line of
// either snapshot with size_diff and count_diff, sorted as CPython sorts
// them (absolute size difference first, so an unchanged big line comes
// last), and str() as `tm-report diff` prints it for the same snapshots.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 %t %t.old.tmd %t.new.tmd %t.lines | FileCheck %s
// RUN: FileCheck %s --check-prefix=LINES --input-file %t.lines
// RUN: %tm-report diff --key-type lineno --limit 0 %t.old.tmd %t.new.tmd > %t.report
// RUN: diff %t.report %t.lines
#include "Inputs/capi_stats.h"

void *keep[16];
int n;

void grow(void) { keep[n++] = malloc(100); }

int main(int argc, char **argv) {
  (void)argc;
  grow();
  void *shrinking[2];
  for (int i = 0; i < 2; i++) shrinking[i] = malloc(500);
  void *gone = malloc(40);
  keep[n++] = malloc(1000);
  tm_snapshot *old_snapshot = tm_take_snapshot();
  free(gone);
  free(shrinking[0]);
  grow();
  grow();
  keep[n++] = malloc(64);
  tm_snapshot *new_snapshot = tm_take_snapshot();
  keep[n++] = shrinking[1];
  if (tm_snapshot_dump(old_snapshot, argv[1]) != 0) return 1;
  if (tm_snapshot_dump(new_snapshot, argv[2]) != 0) return 1;
  tm_statistics *st = tm_snapshot_compare_to(new_snapshot, old_snapshot, "lineno", 0);
  capi_write_listing(st, " differences", argv[3]);
  capi_print_fields("diff", st);
  tm_statistics_free(st);
  tm_snapshot_free(old_snapshot);
  tm_snapshot_free(new_snapshot);
  return 0;
}
// CHECK: diff: 5 statistics
// CHECK-NEXT: size=500 count=1 size_diff=-500 count_diff=-1 nframe=1 total_nframe=1
// CHECK-NEXT: capi-compare-to.c:21
// CHECK-NEXT: size=300 count=3 size_diff=200 count_diff=2 nframe=1 total_nframe=1
// CHECK-NEXT: capi-compare-to.c:15
// CHECK-NEXT: size=64 count=1 size_diff=64 count_diff=1 nframe=1 total_nframe=1
// CHECK-NEXT: capi-compare-to.c:29
// CHECK-NEXT: size=0 count=0 size_diff=-40 count_diff=-1 nframe=1 total_nframe=1
// CHECK-NEXT: capi-compare-to.c:22
// CHECK-NEXT: size=1000 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-compare-to.c:23
// CHECK-EMPTY:

// LINES: [ Top 5 differences ]
// LINES-NEXT: {{^(.*/)?}}capi-compare-to.c:21: size=500 B (-500 B), count=1 (-1), average=500 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-compare-to.c:15: size=300 B (+200 B), count=3 (+2), average=100 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-compare-to.c:29: size=64 B (+64 B), count=1 (+1), average=64 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-compare-to.c:22: size=0 B (-40 B), count=0 (-1){{$}}
// LINES-NEXT: {{^(.*/)?}}capi-compare-to.c:23: size=1000 B (+0 B), count=1 (+0), average=1000 B{{$}}
// LINES-EMPTY:
