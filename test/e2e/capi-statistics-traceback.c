// tm_snapshot_statistics(s, "traceback", 0) with TRACEMALLOC=5: each
// statistic's frames are its traceback OLDEST first, exactly the frames
// tm_get_object_traceback writes for its block; nframe is the number kept
// (at most the limit), total_nframe the whole depth -- the largest of the
// grouped traces' when they differ below the limit.  str() as `tm-report top
// --key-type traceback` prints it.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=5 %t %t.tmd %t.lines | FileCheck %s
// RUN: FileCheck %s --check-prefix=LINES --input-file %t.lines
// RUN: %tm-report top --key-type traceback --limit 0 %t.tmd | grep -v '^  ' > %t.report
// RUN: diff %t.report %t.lines
#include "Inputs/capi_stats.h"

void *keep[8];
int n;

void level6(void) { keep[n++] = malloc(700); }
void level5(void) { level6(); }
void level4(void) { level5(); }
void level3(void) { level4(); }
void level2(void) { level3(); }
void level1(void) { level2(); }

void recurse(int depth) {
  if (depth == 0) {
    keep[n++] = malloc(300);
    return;
  }
  recurse(depth - 1);
}

/* 1 when the statistic's frames are those tm_get_object_traceback gives. */
static int same_as_object_traceback(const tm_statistic *stat, const void *block, int *total) {
  tm_frame frames[16];
  int written = tm_get_object_traceback(block, frames, 16, total);
  if (written != stat->nframe) return 0;
  for (int i = 0; i < written; i++) {
    if (strcmp(frames[i].filename, stat->frames[i].filename) != 0) return 0;
    if (frames[i].lineno != stat->frames[i].lineno) return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  (void)argc;
  level1();
  keep[n++] = malloc(200);
  recurse(6);
  recurse(8);
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;
  tm_statistics *st = tm_snapshot_statistics(snapshot, "traceback", 0);
  capi_write_listing(st, "", argv[2]);
  capi_print_fields("traceback", st);
  int total;
  printf("deep: %d", same_as_object_traceback(tm_statistics_at(st, 0), keep[0], &total));
  printf(" total=%d\n", total);
  printf("recursion: %d", same_as_object_traceback(tm_statistics_at(st, 1), keep[2], &total));
  printf(" total=%d", total);
  printf(" %d", same_as_object_traceback(tm_statistics_at(st, 1), keep[3], &total));
  printf(" total=%d\n", total);
  printf("shallow: %d", same_as_object_traceback(tm_statistics_at(st, 2), keep[1], &total));
  printf(" total=%d\n", total);
  tm_statistics_free(st);
  tm_snapshot_free(snapshot);
  return 0;
}
// The five most recent of level1..level6's seven frames.
// CHECK: traceback: 3 statistics
// CHECK-NEXT: size=700 count=1 size_diff=0 count_diff=0 nframe=5 total_nframe=7
// CHECK-NEXT: capi-statistics-traceback.c:21
// CHECK-NEXT: capi-statistics-traceback.c:20
// CHECK-NEXT: capi-statistics-traceback.c:19
// CHECK-NEXT: capi-statistics-traceback.c:18
// CHECK-NEXT: capi-statistics-traceback.c:17
// recurse(6) and recurse(8): 8 and 10 frames, the same five most recent.
// CHECK-NEXT: size=600 count=2 size_diff=0 count_diff=0 nframe=5 total_nframe=10
// CHECK-NEXT: capi-statistics-traceback.c:29
// CHECK-NEXT: capi-statistics-traceback.c:29
// CHECK-NEXT: capi-statistics-traceback.c:29
// CHECK-NEXT: capi-statistics-traceback.c:29
// CHECK-NEXT: capi-statistics-traceback.c:26
// CHECK-NEXT: size=200 count=1 size_diff=0 count_diff=0 nframe=1 total_nframe=1
// CHECK-NEXT: capi-statistics-traceback.c:47
// CHECK-NEXT: deep: 1 total=7
// CHECK-NEXT: recursion: 1 total=8 1 total=10
// CHECK-NEXT: shallow: 1 total=1

// str(Statistic) names the oldest frame, as CPython's str(Traceback).
// LINES: [ Top 3 ]
// LINES-NEXT: {{^(.*/)?}}capi-statistics-traceback.c:21: size=700 B, count=1, average=700 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-traceback.c:29: size=600 B, count=2, average=300 B{{$}}
// LINES-NEXT: {{^(.*/)?}}capi-statistics-traceback.c:47: size=200 B, count=1, average=200 B{{$}}
// LINES-EMPTY:
