// Sampled mode's estimates: with TRACEMALLOC_SAMPLE=65536, for each line
// holding at least 5% of the live bytes, the median over 10 seeds of its
// estimated size is within 10% of what the line really holds (blocks from
// 64 B, mostly unsampled, to 300000 B, nearly always sampled), and so is the
// estimate of get_traced_memory(); without TRACEMALLOC_SAMPLE the same
// program's figures are exact.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: %python %testsrc/e2e/Inputs/sampled_estimates.py %t %tm-report %t.dir | FileCheck %s
// CHECK: exact: sizes equal, counts equal, no sampled note
// CHECK: sampled: every dump records 1 in 65536 bytes
// CHECK-NEXT: line 28 (12800000 bytes): median within 10%
// CHECK-NEXT: line 29 (16000000 bytes): median within 10%
// CHECK-NEXT: line 30 (16000000 bytes): median within 10%
// CHECK-NEXT: line 31 (12000000 bytes): median within 10%
// CHECK-NEXT: traced memory: median within 10%
// CHECK-NEXT: seeds differ: True
#include <stdio.h>
#include <stdlib.h>

#include <tracemalloc/tracemalloc.h>

static void *blocks[300000];
static size_t used;

int main(void) {
  // Interleaved, so that every line sees the countdown in every state.
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 5000; ++i) blocks[used++] = malloc(64);
    for (int i = 0; i < 400; ++i) blocks[used++] = malloc(1000);
    for (int i = 0; i < 10; ++i) blocks[used++] = malloc(40000);
    blocks[used++] = malloc(300000);
    for (int i = 0; i < 25; ++i) blocks[used++] = malloc(16);
  }
  size_t current = 0, peak = 0;
  tm_get_traced_memory(&current, &peak);
  printf("traced %zu\n", current);
  return 0;
}
