// When the runtime cannot get memory for its tables (simulated with
// TRACEMALLOC_TEST_TABLE_ALLOCATIONS), tracing stops with one warning line
// and the program goes on unaffected: every block is intact and freed once.
// RUN: %tmcc -O1 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_TEST_TABLE_ALLOCATIONS=5 %t 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// Only the first failure warns; restarting tracing meets the failure again.
// RUN: count 2 < %t.err
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

enum { kBlocks = 20000 };
static char *blocks[kBlocks];
void *volatile sink;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("tracing at start: %d\n", tm_is_tracing());
  for (int i = 0; i < kBlocks; ++i) {
    blocks[i] = malloc(32 + i % 50);
    memset(blocks[i], i & 0x7f, 32);
  }
  printf("tracing after the failure: %d\n", tm_is_tracing());
  int intact = 1;
  for (int i = 0; i < kBlocks; ++i) {
    for (int j = 0; j < 32; ++j) intact &= blocks[i][j] == (i & 0x7f);
    free(blocks[i]);
  }
  printf("blocks intact: %d\n", intact);
  // Tracing can be started again; the tables still cannot grow.
  printf("restart: %d\n", tm_start(1));
  sink = malloc(10);
  free(sink);
  printf("tracing after the second failure: %d\n", tm_is_tracing());
  return 0;
}
// CHECK: tracing at start: 1
// CHECK-NEXT: tracing after the failure: 0
// CHECK-NEXT: blocks intact: 1
// CHECK-NEXT: restart: 0
// CHECK-NEXT: tracing after the second failure: 0

// WARN: tracemalloc: out of memory for the trace tables; tracing stopped
// WARN-NEXT: tracemalloc: out of memory for the trace tables; tracing stopped
