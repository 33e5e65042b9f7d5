// tm_snapshot_statistics(s, "filename", 0): one Statistic per file of the
// most recent frame, its frame's lineno 0, str() as `tm-report top
// --key-type filename` prints it for the same snapshot.
// RUN: %tmcc -O0 -g %s %S/Inputs/capi_other_file.c -o %t
// RUN: env TRACEMALLOC=1 %t %t.tmd %t.lines | FileCheck %s
// RUN: FileCheck %s --check-prefix=LINES --input-file %t.lines
// RUN: %tm-report top --key-type filename --limit 0 %t.tmd > %t.report
// RUN: diff %t.report %t.lines
#include "Inputs/capi_stats.h"

void *capi_other_file_alloc(size_t size);

void *keep[16];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  for (int i = 0; i < 3; i++) keep[n++] = malloc(100);
  keep[n++] = malloc(50);
  for (int i = 0; i < 2; i++) keep[n++] = capi_other_file_alloc(400);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;
  tm_statistics *st = tm_snapshot_statistics(snapshot, "filename", 0);
  capi_write_listing(st, "", argv[2]);
  capi_print_fields("filename", st);
  tm_statistics_free(st);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: filename: 2 statistics
// CHECK-NEXT: size=800 count=2 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi_other_file.c:0
// CHECK-NEXT: size=350 count=4 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-filename.c:0
// CHECK-EMPTY:

// LINES: [ Top 2 ]
// LINES-NEXT: {{^(.*/)?}}capi_other_file.c:0: size=800 B, count=2, average=400 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-filename.c:0: size=350 B, count=4, average=88 B{{$}}
// LINES-EMPTY:
