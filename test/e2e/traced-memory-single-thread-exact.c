// One thread allocating and freeing blocks far below the per-thread batch
// of traced bytes sees get_traced_memory() exact after every single change:
// current, peak, the peak after reset_peak(), the peak view of a snapshot
// (the blocks live at the change that made the peak) and the timeline's
// sample of now (docs/usage.md).
// RUN: %tmcc -O1 -g %s -o %t
// RUN: %t | FileCheck %s
#include <stdio.h>
#include <stdlib.h>

#include "Inputs/view_totals.h"

enum { kBlocks = 3000 };

static void *blocks[kBlocks];
static size_t sizes[kBlocks];
static size_t live, peak_live;
static int wrong;

static void expect(const char *step, int i) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  if (current != live || peak != peak_live) {
    if (wrong++ < 5)
      fprintf(stderr, "%s %d: current %zu (exact %zu), peak %zu (exact %zu)\n", step, i, current,
              live, peak, peak_live);
  }
}

static void expect_views(const char *step) {
  struct view_totals p = view_totals(TM_VIEW_PEAK), l = view_totals(TM_VIEW_LIVE);
  tm_snapshot *s = tm_take_snapshot();
  const tm_timeline_sample *samples = NULL;
  const size_t n = tm_snapshot_timeline(s, &samples);
  const int timeline_ok = n > 0 && samples[n - 1].current == live;
  tm_snapshot_free(s);
  printf("%s: peak view exact %d, live view exact %d, timeline now exact %d\n", step,
         p.size == peak_live, l.size == live, timeline_ok);
}

static void allocate(int i, size_t size) {
  blocks[i] = malloc(size);
  sizes[i] = size;
  live += size;
  if (live > peak_live) peak_live = live;
  expect("malloc", i);
}

static void release(int i) {
  free(blocks[i]);
  blocks[i] = NULL;
  live -= sizes[i];
  expect("free", i);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdout buffer among the traces
  tm_start(1);
  // Growing by 1 to 64 bytes at a time, to 97 KiB: past several batches.
  for (int i = 0; i < kBlocks; ++i) allocate(i, 1 + (size_t)(i % 64));
  expect_views("grown");
  // Every other block freed, then a few more allocated below the peak.
  for (int i = 0; i < kBlocks; i += 2) release(i);
  for (int i = 0; i < 200; i += 2) allocate(i, 7);
  expect_views("shrunk");
  tm_reset_peak();
  peak_live = live;
  expect("reset", 0);
  expect_views("reset");
  // A new peak made one byte at a time, then left.
  for (int i = 200; i < kBlocks; i += 2) allocate(i, 1);
  for (int i = 1; i < kBlocks; i += 2) release(i);
  expect_views("second peak");
  // A third peak reached and left between two reads.
  tm_reset_peak();
  peak_live = live;
  for (int i = 1; i < kBlocks; i += 2) {
    blocks[i] = malloc(3);
    sizes[i] = 3;
    live += 3;
  }
  peak_live = live;
  for (int i = 1; i < kBlocks; i += 2) {
    free(blocks[i]);
    blocks[i] = NULL;
    live -= 3;
  }
  expect("between reads", 0);
  expect_views("between reads");
  for (int i = 0; i < kBlocks; ++i)
    if (blocks[i]) release(i);
  printf("steps wrong: %d\n", wrong);
  return 0;
}
// CHECK: grown: peak view exact 1, live view exact 1, timeline now exact 1
// CHECK-NEXT: shrunk: peak view exact 1, live view exact 1, timeline now exact 1
// CHECK-NEXT: reset: peak view exact 1, live view exact 1, timeline now exact 1
// CHECK-NEXT: second peak: peak view exact 1, live view exact 1, timeline now exact 1
// CHECK-NEXT: between reads: peak view exact 1, live view exact 1, timeline now exact 1
// CHECK-NEXT: steps wrong: 0
