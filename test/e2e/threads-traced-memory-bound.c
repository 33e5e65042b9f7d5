// get_traced_memory() while threads allocate and free (docs/usage.md): the
// current figure is exact whenever the reader looks (the threads' unfolded
// batches included), the peak never exceeds the exact peak and lags it by
// at most 64 KiB per other thread, and once the threads are joined the
// figure is exact (their batches were folded when they exited).
// The exact figures are the test's own accounting; the reader parks every
// worker between two of its operations to compare them.
// RUN: %tmcc -O2 -g %s -o %t -lpthread
// RUN: %t | FileCheck %s
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <tracemalloc/tracemalloc.h>

enum { kThreads = 4, kSlots = 64, kMaxBlock = 1000, kPauses = 100, kSmall = 100 };
#define LAG_BOUND ((size_t)(kThreads - 1) * 65536)
// Phase 2: each thread grows by this much (past several of its batches).
#define GROWTH 200000
// Phase 3: what one thread frees and another allocates.
#define MOVED 20000

struct worker {
  pthread_t thread;
  int index;
  long live, max_live;  // the test's own accounting of the worker's blocks
  void *slots[kSlots];
  size_t sizes[kSlots];
};

static struct worker workers[kThreads];
static pthread_barrier_t barrier;
static atomic_int pause_requested, churn_done;
static void *moved[MOVED / kSmall];
static size_t base;  // main's own blocks
static int failures;

static void fail(const char *what, size_t got, size_t lo, size_t hi) {
  if (failures++ < 10) fprintf(stderr, "%s: %zu not in [%zu, %zu]\n", what, got, lo, hi);
}

static void park_if_asked(void) {
  if (atomic_load_explicit(&pause_requested, memory_order_acquire)) {
    pthread_barrier_wait(&barrier);  // parked: main compares
    pthread_barrier_wait(&barrier);  // released
  }
}

static void churn_once(struct worker *w, unsigned *seed) {
  const int k = rand_r(seed) % kSlots;
  if (w->slots[k]) {
    w->live -= (long)w->sizes[k];
    free(w->slots[k]);
  }
  w->sizes[k] = 1 + (size_t)(rand_r(seed) % kMaxBlock);
  w->slots[k] = malloc(w->sizes[k]);
  w->live += (long)w->sizes[k];
  if (w->live > w->max_live) w->max_live = w->live;
}

static void *run(void *arg) {
  struct worker *w = arg;
  unsigned seed = (unsigned)w->index * 7919u + 1;
  pthread_barrier_wait(&barrier);  // tracing started
  // Phase 1: churn until main has looked kPauses times.
  while (!atomic_load_explicit(&churn_done, memory_order_acquire)) {
    churn_once(w, &seed);
    park_if_asked();
  }
  for (int k = 0; k < kSlots; ++k) free(w->slots[k]);
  w->live = 0;
  pthread_barrier_wait(&barrier);  // churn over
  pthread_barrier_wait(&barrier);  // peak reset by main
  // Phase 2: all grow at once, then shrink.
  void *grown[GROWTH / kSmall];
  for (int i = 0; i < GROWTH / kSmall; ++i) grown[i] = malloc(kSmall);
  pthread_barrier_wait(&barrier);
  for (int i = 0; i < GROWTH / kSmall; ++i) free(grown[i]);
  pthread_barrier_wait(&barrier);  // main checks
  pthread_barrier_wait(&barrier);  // peak reset by main
  // Phase 3: thread 0 frees main's blocks, then thread 1 allocates as much:
  // thread 1's own view exceeds the peak, traced memory does not.
  if (w->index == 0)
    for (int i = 0; i < MOVED / kSmall; ++i) free(moved[i]);
  pthread_barrier_wait(&barrier);
  if (w->index == 1)
    for (int i = 0; i < MOVED / kSmall; ++i) moved[i] = malloc(kSmall);
  pthread_barrier_wait(&barrier);  // main checks; the threads exit with their batches
  return NULL;
}

static size_t workers_live(void) {
  size_t total = 0;
  for (int t = 0; t < kThreads; ++t) total += (size_t)workers[t].live;
  return total;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdout buffer among the traces
  pthread_barrier_init(&barrier, NULL, kThreads + 1);
  for (int t = 0; t < kThreads; ++t) {
    workers[t].index = t;
    pthread_create(&workers[t].thread, NULL, run, &workers[t]);
  }
  // Thread creation allocates: tracing starts once every thread exists.
  tm_start(1);
  for (int i = 0; i < MOVED / kSmall; ++i) moved[i] = malloc(kSmall);
  base = MOVED;
  pthread_barrier_wait(&barrier);

  size_t current, peak, highest_seen = 0, last_peak = 0;
  for (int p = 0; p < kPauses; ++p) {
    struct timespec nap = {0, 1000000};
    nanosleep(&nap, NULL);
    atomic_store_explicit(&pause_requested, 1, memory_order_release);
    pthread_barrier_wait(&barrier);
    tm_get_traced_memory(&current, &peak);
    const size_t exact = base + workers_live();
    size_t upper = base;  // no sum of blocks ever exceeded the workers' own maxima
    for (int t = 0; t < kThreads; ++t) upper += (size_t)workers[t].max_live;
    if (exact > highest_seen) highest_seen = exact;
    if (current != exact) fail("churn: current", current, exact, exact);
    if (peak < current || peak < last_peak || peak > upper) fail("churn: peak", peak, current, upper);
    if (peak + LAG_BOUND < highest_seen) fail("churn: peak lag", peak, highest_seen - LAG_BOUND, upper);
    last_peak = peak;
    atomic_store_explicit(&pause_requested, 0, memory_order_relaxed);
    if (p == kPauses - 1) atomic_store_explicit(&churn_done, 1, memory_order_release);
    pthread_barrier_wait(&barrier);
  }
  printf("churn checked %d times\n", kPauses);

  pthread_barrier_wait(&barrier);  // churn over
  tm_get_traced_memory(&current, &peak);
  if (current != base) fail("after churn: current", current, base, base);
  tm_reset_peak();
  pthread_barrier_wait(&barrier);  // go: grow
  pthread_barrier_wait(&barrier);  // grown
  pthread_barrier_wait(&barrier);  // shrunk
  tm_get_traced_memory(&current, &peak);
  const size_t grown_peak = base + (size_t)kThreads * GROWTH;
  printf("after growth: current exact %d\n", current == base);
  printf("growth peak within the bound, not above: %d\n",
         peak <= grown_peak && peak + LAG_BOUND >= grown_peak);
  if (peak > grown_peak || peak + LAG_BOUND < grown_peak)
    fail("growth: peak", peak, grown_peak - LAG_BOUND, grown_peak);
  tm_reset_peak();
  pthread_barrier_wait(&barrier);  // go: move
  pthread_barrier_wait(&barrier);  // thread 0 freed
  pthread_barrier_wait(&barrier);  // thread 1 allocated
  tm_get_traced_memory(&current, &peak);
  printf("after the move: current exact %d, peak exact %d\n", current == base, peak == base);

  for (int t = 0; t < kThreads; ++t) pthread_join(workers[t].thread, NULL);
  tm_get_traced_memory(&current, &peak);
  printf("after join: current exact %d\n", current == base);
  for (int i = 0; i < MOVED / kSmall; ++i) free(moved[i]);
  tm_get_traced_memory(&current, &peak);
  printf("all freed: current=%zu\n", current);
  printf("failures: %d\n", failures);
  return 0;
}
// CHECK: churn checked 100 times
// CHECK-NEXT: after growth: current exact 1
// CHECK-NEXT: growth peak within the bound, not above: 1
// CHECK-NEXT: after the move: current exact 1, peak exact 1
// CHECK-NEXT: after join: current exact 1
// CHECK-NEXT: all freed: current=0
// CHECK-NEXT: failures: 0
