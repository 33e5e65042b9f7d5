// A thread's per-thread state (its page of recent tracebacks) goes back to
// the runtime when the thread exits: once 16 short threads have run (which
// makes the tables of every shard a thread may count in), 1000 more, each
// allocating through instrumented callers, leave the tracer's own memory
// within what its tables may grow by, instead of 1000 pages (4 MB) more.
// RUN: %tmcc -O0 -g %s -o %t -lpthread
// RUN: env TRACEMALLOC=4 %t | FileCheck %s
// CHECK: growth over 1000 more threads: under 512 KiB
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <tracemalloc/tracemalloc.h>

__attribute__((noinline)) void *allocate(void) { return malloc(32); }
__attribute__((noinline)) void *through_callers(void) { return allocate(); }

static void *worker(void *unused) {
  (void)unused;
  free(through_callers());
  return NULL;
}

static void run_thread(void) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, worker, NULL) != 0 || pthread_join(thread, NULL) != 0) {
    printf("pthread failed\n");
    exit(1);
  }
}

int main(void) {
  for (int i = 0; i < 16; ++i) run_thread();
  const size_t before = tm_get_tracemalloc_memory();
  for (int i = 0; i < 1000; ++i) run_thread();
  const size_t after = tm_get_tracemalloc_memory();
  const size_t growth = after > before ? after - before : 0;
  printf("growth over 1000 more threads: %s (%zu bytes)\n",
         growth < 512 * 1024 ? "under 512 KiB" : "too much", growth);
  return 0;
}
