// tm_snapshot_filter_traces with a Filter's all_frames: 0 tests the most
// recent frame only, 1 every frame of the traceback (a caller's file or
// line then selects the blocks allocated below it), for inclusive and
// exclusive filters alike.  Each result lists as `tm-report top
// --all-frames` (or without it) on the dump.
// RUN: %tmcc -O0 -g %s %S/Inputs/capi_other_file.c -o %t
// RUN: env TRACEMALLOC=4 %t %t.tmd %t.lines | FileCheck %s
// RUN: %tm-report top --limit 0 --include '*all-frames.c' %t.tmd | diff - %t.lines.recent
// RUN: %tm-report top --limit 0 --all-frames --include '*all-frames.c' %t.tmd | diff - %t.lines.all
// RUN: %tm-report top --limit 0 --exclude '*all-frames.c' %t.tmd | diff - %t.lines.drop-recent
// RUN: %tm-report top --limit 0 --all-frames --exclude '*all-frames.c' %t.tmd | diff - %t.lines.drop-all
// RUN: %tm-report top --limit 0 --all-frames --include '*all-frames.c:27' %t.tmd | diff - %t.lines.caller
// RUN: FileCheck %s --check-prefix=RECENT --input-file %t.lines.recent
// RUN: FileCheck %s --check-prefix=ALL --input-file %t.lines.all
// RUN: FileCheck %s --check-prefix=CALLER --input-file %t.lines.caller
#include "Inputs/capi_stats.h"

void *capi_other_file_alloc(size_t size);

void *keep[8];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  keep[n++] = malloc(100);
  keep[n++] = capi_other_file_alloc(400);
  keep[n++] = capi_other_file_alloc(400);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;

  tm_filter recent = {1, "*all-frames.c", -1, 0, -1};
  capi_write_filtered(snapshot, "recent", &recent, 1, argv[2]);
  tm_filter all = {1, "*all-frames.c", -1, 1, -1};
  capi_write_filtered(snapshot, "all", &all, 1, argv[2]);
  tm_filter drop_recent = {0, "*all-frames.c", -1, 0, -1};
  capi_write_filtered(snapshot, "drop-recent", &drop_recent, 1, argv[2]);
  tm_filter drop_all = {0, "*all-frames.c", -1, 1, -1};
  capi_write_filtered(snapshot, "drop-all", &drop_all, 1, argv[2]);
  tm_filter caller = {1, "*all-frames.c", 27, 1, -1};
  capi_write_filtered(snapshot, "caller", &caller, 1, argv[2]);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: recent: 1 traces
// CHECK-NEXT: all: 3 traces
// CHECK-NEXT: drop-recent: 2 traces
// CHECK-NEXT: drop-all: 0 traces
// CHECK-NEXT: caller: 1 traces

// RECENT: [ Top 1 ]
// RECENT-NEXT: capi-filter-all-frames.c:25: size=100 B, count=1, average=100 B
// RECENT-EMPTY:

// ALL: [ Top 2 ]
// ALL-NEXT: capi_other_file.c:6: size=800 B, count=2, average=400 B
// ALL-NEXT: capi-filter-all-frames.c:25: size=100 B, count=1, average=100 B
// ALL-EMPTY:

// CALLER: [ Top 1 ]
// CALLER-NEXT: capi_other_file.c:6: size=400 B, count=1, average=400 B
// CALLER-EMPTY:
