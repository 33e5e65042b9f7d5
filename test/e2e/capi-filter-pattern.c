// tm_snapshot_filter_traces with Filter patterns (fnmatch on the most recent
// frame's file name): an inclusive filter keeps the matching traces, an
// exclusive one drops them, several inclusive filters keep the union, an
// exclusive one wins over them, and no filter copies every trace.  Each
// result lists as `tm-report top --include/--exclude` on the whole dump.
// RUN: %tmcc -O0 -g %s %S/Inputs/capi_other_file.c -o %t
// RUN: env TRACEMALLOC=4 %t %t.tmd %t.lines | FileCheck %s
// RUN: %tm-report top --limit 0 --include '*capi_other_file.c' %t.tmd | diff - %t.lines.include
// RUN: %tm-report top --limit 0 --exclude '*capi_other_file.c' %t.tmd | diff - %t.lines.exclude
// RUN: %tm-report top --limit 0 --include '*_other_*' --include '*capi-filter-p?ttern.c' \
// RUN:   --exclude '*capi-filter-pattern.c:29' %t.tmd | diff - %t.lines.union
// RUN: %tm-report top --limit 0 %t.tmd | diff - %t.lines.none
// RUN: %tm-report top --limit 0 --include '*.h' %t.tmd | diff - %t.lines.nomatch
// RUN: FileCheck %s --check-prefix=INCLUDE --input-file %t.lines.include
// RUN: FileCheck %s --check-prefix=EXCLUDE --input-file %t.lines.exclude
// RUN: FileCheck %s --check-prefix=UNION --input-file %t.lines.union
#include "Inputs/capi_stats.h"

void *capi_other_file_alloc(size_t size);

void *keep[8];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  keep[n++] = malloc(100);
  keep[n++] = capi_other_file_alloc(400);
  keep[n++] = capi_other_file_alloc(400);
  keep[n++] = malloc(200);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;
  printf("all: %zu traces\n", tm_snapshot_trace_count(snapshot));

  tm_filter include = {1, "*capi_other_file.c", -1, 0, -1};
  capi_write_filtered(snapshot, "include", &include, 1, argv[2]);
  tm_filter exclude = {0, "*capi_other_file.c", -1, 0, -1};
  capi_write_filtered(snapshot, "exclude", &exclude, 1, argv[2]);
  tm_filter several[] = {
      {1, "*_other_*", -1, 0, -1},
      {1, "*capi-filter-p?ttern.c", -1, 0, -1},
      {0, "*capi-filter-pattern.c", 29, 0, -1},
  };
  capi_write_filtered(snapshot, "union", several, 3, argv[2]);
  capi_write_filtered(snapshot, "none", NULL, 0, argv[2]);
  tm_filter nomatch = {1, "*.h", -1, 0, -1};
  capi_write_filtered(snapshot, "nomatch", &nomatch, 1, argv[2]);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: all: 4 traces
// CHECK-NEXT: include: 2 traces
// CHECK-NEXT: exclude: 2 traces
// CHECK-NEXT: union: 3 traces
// CHECK-NEXT: none: 4 traces
// CHECK-NEXT: nomatch: 0 traces

// INCLUDE: [ Top 1 ]
// INCLUDE-NEXT: capi_other_file.c:6: size=800 B, count=2, average=400 B
// INCLUDE-EMPTY:

// EXCLUDE: [ Top 2 ]
// EXCLUDE-NEXT: capi-filter-pattern.c:29: size=200 B, count=1, average=200 B
// EXCLUDE-NEXT: capi-filter-pattern.c:26: size=100 B, count=1, average=100 B
// EXCLUDE-EMPTY:

// UNION: [ Top 2 ]
// UNION-NEXT: capi_other_file.c:6: size=800 B, count=2, average=400 B
// UNION-NEXT: capi-filter-pattern.c:26: size=100 B, count=1, average=100 B
// UNION-EMPTY:
