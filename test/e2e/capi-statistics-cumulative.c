// tm_snapshot_statistics(s, "lineno", 1): every frame of a trace's traceback
// counts its block (a call site totals the blocks allocated below it), and
// "filename" cumulative counts a file once per frame in it; both as
// `tm-report top --cumulative` lists them for the same snapshot.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=4 %t %t.tmd %t.lineno %t.filename | FileCheck %s
// RUN: FileCheck %s --check-prefix=LINES --input-file %t.lineno
// RUN: %tm-report top --cumulative --key-type lineno --limit 0 %t.tmd > %t.lineno.report
// RUN: diff %t.lineno.report %t.lineno
// RUN: %tm-report top --cumulative --key-type filename --limit 0 %t.tmd > %t.filename.report
// RUN: diff %t.filename.report %t.filename
#include "Inputs/capi_stats.h"

void *keep[4];
int n;

void leaf(size_t size) { keep[n++] = malloc(size); }
void a(void) { leaf(100); }
void b(void) {
  leaf(50);
  leaf(50);
}

int main(int argc, char **argv) {
  (void)argc;
  a();
  b();
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;
  tm_statistics *st = tm_snapshot_statistics(snapshot, "lineno", 1);
  capi_write_listing(st, "", argv[2]);
  capi_print_fields("lineno", st);
  tm_statistics_free(st);
  st = tm_snapshot_statistics(snapshot, "filename", 1);
  capi_write_listing(st, "", argv[3]);
  capi_print_fields("filename", st);
  tm_statistics_free(st);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: lineno: 6 statistics
// CHECK-NEXT: size=200 count=3 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:17
// CHECK-NEXT: size=100 count=2 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:27
// CHECK-NEXT: size=100 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:26
// CHECK-NEXT: size=100 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:18
// CHECK-NEXT: size=50 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:21
// CHECK-NEXT: size=50 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:20
// Three frames in this file per block: 3 x 200 B.
// CHECK-NEXT: filename: 1 statistics
// CHECK-NEXT: size=600 count=9 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-cumulative.c:0
// CHECK-EMPTY:

// LINES: [ Top 6 ]
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:17: size=200 B, count=3, average=67 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:27: size=100 B, count=2, average=50 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:26: size=100 B, count=1, average=100 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:18: size=100 B, count=1, average=100 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:21: size=50 B, count=1, average=50 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-cumulative.c:20: size=50 B, count=1, average=50 B{{$}}
// LINES-EMPTY:
