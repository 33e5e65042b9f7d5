// reset_peak(), clear_traces() and stop()/start() while another thread
// holds traced bytes it has not folded into the shared figure: reset_peak()
// counts them (the peak is the exact current figure), clear_traces() and
// stop() discard them with the traces, so that nothing of an old session
// reaches the new one's figures.
// RUN: %tmcc -O1 -g %s -o %t -lpthread
// RUN: %t | FileCheck %s
#include <stdlib.h>

#include "Inputs/batch_worker.h"

enum { kBlocks = 100, kSize = 200 };  // 20000 bytes: below a thread's batch

static void *blocks[kBlocks];
static void *small;
void *volatile sink;

static void *worker(void *arg) {
  (void)arg;
  step();  // tracing started
  for (int i = 0; i < kBlocks; ++i) blocks[i] = malloc(kSize);
  step();
  step();  // main reset the peak
  for (int i = 0; i < kBlocks / 2; ++i) free(blocks[i]);
  step();
  step();  // main cleared the traces
  for (int i = kBlocks / 2; i < kBlocks; ++i) free(blocks[i]);  // no longer traced
  small = malloc(300);
  step();
  step();  // main stopped and started again
  free(small);  // of the old session
  small = malloc(700);
  step();
  return NULL;  // exits with its batch of the new session
}

int main(void) {
  pthread_t thread = start_worker_then_tracing(worker);
  step();
  step();
  show("allocated");
  sink = malloc(40000);  // main's own peak, past its batch: checked exactly
  free(sink);
  show("main's peak");
  tm_reset_peak();
  show("reset");
  step();
  step();
  show("half freed");
  tm_clear_traces();
  show("cleared");
  step();
  step();
  show("after clear");
  tm_stop();
  tm_start(1);
  show("restarted");
  step();
  step();
  show("after restart");
  pthread_join(thread, NULL);
  show("joined");
  free(small);
  show("freed");
  return 0;
}
// CHECK: allocated: current=20000 peak=20000
// CHECK-NEXT: main's peak: current=20000 peak=60000
// CHECK-NEXT: reset: current=20000 peak=20000
// CHECK-NEXT: half freed: current=10000 peak=20000
// CHECK-NEXT: cleared: current=0 peak=0
// CHECK-NEXT: after clear: current=300 peak=300
// CHECK-NEXT: restarted: current=0 peak=0
// CHECK-NEXT: after restart: current=700 peak=700
// CHECK-NEXT: joined: current=700 peak=700
// CHECK-NEXT: freed: current=0 peak=700
