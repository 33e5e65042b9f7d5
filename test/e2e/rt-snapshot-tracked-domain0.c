// A snapshot of many groups while tm_track has put domain-0 traces in the
// trace table: copying the groups frees no block while the shards are locked
// (a free looks for the block's trace there and would wait for the snapshot
// forever).  Both the in-program snapshot and the exit dump finish.
// RUN: %tmcc -O1 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd timeout 60 %t | FileCheck %s
// RUN: %tm-report top --limit 1 %t.tmd | FileCheck %s --check-prefix=DUMP
#include <stdint.h>
#include <stdio.h>
#include <tracemalloc/tracemalloc.h>

int main(void) {
  // Distinct sizes: one group each, no memory behind them.
  for (uintptr_t i = 1; i <= 5000; ++i) tm_track(0, i * 16, i);
  tm_snapshot *snapshot = tm_take_snapshot();
  printf("snapshot taken: %d\n", snapshot != NULL);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: snapshot taken: 1
// DUMP: rt-snapshot-tracked-domain0.c:14: size=11.9 MiB, count=5000, average=2500 B
