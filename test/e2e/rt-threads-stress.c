// Eight threads allocate while they free the blocks their neighbour
// allocated in the previous round; whenever all threads wait at the
// barrier, the traced size is exactly the size of the live blocks.
// RUN: %tmcc -O2 -g %s -o %t -lpthread
// RUN: %t | FileCheck %s
// RUN: env TM_CLANG_STATIC=1 %tmcc -O2 -g %s -o %t.static -lpthread
// RUN: %t.static | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

enum { kThreads = 8, kRounds = 60, kBlocks = 400 };

static void *slots[2][kThreads][kBlocks];
static size_t sizes[2][kThreads][kBlocks];
static pthread_barrier_t barrier;
static int mismatches;

static size_t size_of(int thread, int round, int i) {
  return 1 + (size_t)((thread * 131 + round * 17 + i * 7) % 700);
}

static size_t live_bytes(int buffer) {
  size_t total = 0;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kBlocks; ++i)
      if (slots[buffer][t][i]) total += sizes[buffer][t][i];
  return total;
}

static void *worker(void *arg) {
  const int t = (int)(long)arg;
  const int neighbour = (t + 1) % kThreads;
  pthread_barrier_wait(&barrier); // tracing has started
  for (int round = 0; round < kRounds; ++round) {
    const int mine = round & 1, theirs = mine ^ 1;
    for (int i = 0; i < kBlocks; ++i) {
      size_t size = size_of(t, round, i);
      void *block;
      switch (i % 3) {
      case 0: block = malloc(size); break;
      case 1: block = calloc(1, size); break;
      default:
        block = realloc(malloc(size / 2 + 1), size);
        break;
      }
      memset(block, t, size);
      slots[mine][t][i] = block;
      sizes[mine][t][i] = size;
      // The neighbour's block from the previous round, freed while others
      // allocate.
      free(slots[theirs][neighbour][i]);
      slots[theirs][neighbour][i] = NULL;
    }
    pthread_barrier_wait(&barrier);
    if (t == 0) {
      size_t current, peak;
      tm_get_traced_memory(&current, &peak);
      if (current != live_bytes(mine)) {
        ++mismatches;
        fprintf(stderr, "round %d: traced %zu, live %zu\n", round, current, live_bytes(mine));
      }
    }
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); // libc's stdout buffer would be traced
  pthread_t threads[kThreads];
  pthread_barrier_init(&barrier, NULL, kThreads + 1);
  for (long t = 0; t < kThreads; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)t);
  // Thread creation allocates (glibc keeps it in its stack cache): start
  // once every thread exists, so that only the workers' blocks count.
  tm_start(1);
  pthread_barrier_wait(&barrier);
  for (int round = 0; round < kRounds; ++round) {
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier);
  }
  for (int t = 0; t < kThreads; ++t) pthread_join(threads[t], NULL);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  const size_t last = live_bytes((kRounds - 1) & 1);
  printf("mismatches=%d\n", mismatches);
  printf("after join: %s\n", current == last ? "exact" : "wrong");
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < kThreads; ++t)
      for (int i = 0; i < kBlocks; ++i) free(slots[b][t][i]);
  tm_get_traced_memory(&current, &peak);
  printf("final current=%zu peak>=last:%d\n", current, peak >= last);
  return 0;
}
// CHECK: mismatches=0
// CHECK-NEXT: after join: exact
// CHECK-NEXT: final current=0 peak>=last:1
