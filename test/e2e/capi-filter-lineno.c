// tm_snapshot_filter_traces with a Filter's lineno: only the most recent
// frame's line counts (a call site's line selects nothing), -1 is any line,
// and an exclusive filter with a line drops that line only.  Each result
// lists as `tm-report top --include/--exclude PATTERN:LINENO` on the dump.
// RUN: %tmcc -O0 -g %s %S/Inputs/capi_other_file.c -o %t
// RUN: env TRACEMALLOC=4 %t %t.tmd %t.lines | FileCheck %s
// RUN: %tm-report top --limit 0 --include '*:25' %t.tmd | diff - %t.lines.line
// RUN: %tm-report top --limit 0 --include '*capi-filter-lineno.c:26' %t.tmd | diff - %t.lines.caller
// RUN: %tm-report top --limit 0 --exclude '*capi-filter-lineno.c:25' %t.tmd | diff - %t.lines.drop
// RUN: %tm-report top --limit 0 --include '*capi-filter-lineno.c' %t.tmd | diff - %t.lines.any
// RUN: FileCheck %s --check-prefix=LINE --input-file %t.lines.line
// RUN: FileCheck %s --check-prefix=DROP --input-file %t.lines.drop
// RUN: FileCheck %s --check-prefix=ANY --input-file %t.lines.any
#include "Inputs/capi_stats.h"

void *capi_other_file_alloc(size_t size);

void *keep[8];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  keep[n++] = malloc(100);
  keep[n++] = malloc(100);
  for (int i = 0; i < 3; i++) keep[n++] = malloc(30);
  keep[n++] = capi_other_file_alloc(400);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;

  tm_filter line = {1, "*", 25, 0, -1};
  capi_write_filtered(snapshot, "line", &line, 1, argv[2]);
  tm_filter caller = {1, "*capi-filter-lineno.c", 26, 0, -1};
  capi_write_filtered(snapshot, "caller", &caller, 1, argv[2]);
  tm_filter drop = {0, "*capi-filter-lineno.c", 25, 0, -1};
  capi_write_filtered(snapshot, "drop", &drop, 1, argv[2]);
  tm_filter any = {1, "*capi-filter-lineno.c", -1, 0, -1};
  capi_write_filtered(snapshot, "any", &any, 1, argv[2]);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: line: 3 traces
// CHECK-NEXT: caller: 0 traces
// CHECK-NEXT: drop: 3 traces
// CHECK-NEXT: any: 5 traces

// LINE: [ Top 1 ]
// LINE-NEXT: capi-filter-lineno.c:25: size=90 B, count=3, average=30 B
// LINE-EMPTY:

// DROP: [ Top 3 ]
// DROP-NEXT: capi_other_file.c:6: size=400 B, count=1, average=400 B
// DROP-NEXT: capi-filter-lineno.c:24: size=100 B, count=1, average=100 B
// DROP-NEXT: capi-filter-lineno.c:23: size=100 B, count=1, average=100 B
// DROP-EMPTY:

// ANY: [ Top 3 ]
// ANY-NEXT: capi-filter-lineno.c:24: size=100 B, count=1, average=100 B
// ANY-NEXT: capi-filter-lineno.c:23: size=100 B, count=1, average=100 B
// ANY-NEXT: capi-filter-lineno.c:25: size=90 B, count=3, average=30 B
// ANY-EMPTY:
