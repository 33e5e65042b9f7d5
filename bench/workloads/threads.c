/*
 * Workload 3: multi-threaded churn, blocks freed by another thread.
 *
 *   threads [threads=2] [operations_per_thread=2000000] [live_per_thread=16384] [cross|local]
 *
 * Thread i keeps live_per_thread blocks; each operation replaces one of them
 * with a new block and hands the old one to thread (i + 1) % threads through a
 * single-producer single-consumer ring, and frees whatever thread i - 1 handed
 * to it.  So with two or more threads every block is freed by a different
 * thread than the one that allocated it (with one thread the ring loops back).
 * The work per thread is fixed: throughput is threads * operations / time.
 *
 * "local" makes each thread's ring loop back to itself, so every block is
 * freed by the thread that allocated it: the same work without glibc's
 * cross-arena frees, which separates the tracer's scaling from glibc's.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "bench_common.h"

#define USAGE "threads [threads] [operations_per_thread] [live_per_thread] [cross|local]"
/* Large enough that a producer rarely waits for a descheduled consumer: the
 * benchmark is about the allocator and the tracer, not about co-scheduling. */
#define RING_CAPACITY 65536 /* a power of two */
#define MAX_THREADS 256

/* One ring per consumer.  head is written only by the producer, tail only by
 * the consumer; each on its own cache line so the two threads do not share
 * one. */
struct ring {
  _Alignas(64) _Atomic uint64_t head;
  _Alignas(64) _Atomic uint64_t tail;
  _Alignas(64) void *blocks[RING_CAPACITY];
};

struct worker {
  pthread_t thread;
  unsigned index;
  uint64_t checksum;
  struct ring *incoming;
  struct ring *outgoing;
};

static uint64_t g_operations;
static uint64_t g_live_per_thread;
static unsigned g_threads;
/* Threads that have pushed their last block: once all have, whatever is left
 * in a ring is final. */
static _Atomic unsigned g_finished_producers;

static uint64_t drain(struct ring *ring) {
  uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
  uint64_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
  uint64_t checksum = 0;
  for (; tail != head; tail++) {
    unsigned char *block = ring->blocks[tail & (RING_CAPACITY - 1)];
    checksum += block[0];
    free(block);
  }
  atomic_store_explicit(&ring->tail, tail, memory_order_release);
  return checksum;
}

static void push(struct worker *self, void *block) {
  struct ring *ring = self->outgoing;
  uint64_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  /* Full: free what we were sent (our consumer may be waiting on us) and
   * give the consumer a chance to run. */
  while (head - atomic_load_explicit(&ring->tail, memory_order_acquire) == RING_CAPACITY) {
    self->checksum += drain(self->incoming);
    sched_yield();
  }
  ring->blocks[head & (RING_CAPACITY - 1)] = block;
  atomic_store_explicit(&ring->head, head + 1, memory_order_release);
}

static unsigned char *allocate_block(uint64_t *rng, uint64_t stamp) {
  size_t size = 16 + (size_t)(bench_next_random(rng) % 1024);
  unsigned char *block = bench_checked_malloc(size);
  block[0] = (unsigned char)stamp;
  block[size - 1] = (unsigned char)(stamp >> 8);
  return block;
}

static void *run_worker(void *argument) {
  struct worker *self = argument;
  uint64_t rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)(self->index + 1) * 0xBF58476D1CE4E5B9ULL);
  unsigned char **slots = bench_checked_malloc(g_live_per_thread * sizeof *slots);
  for (uint64_t i = 0; i < g_live_per_thread; i++) slots[i] = allocate_block(&rng, i);

  for (uint64_t i = 0; i < g_operations; i++) {
    uint64_t slot = bench_next_random(&rng) % g_live_per_thread;
    push(self, slots[slot]);
    slots[slot] = allocate_block(&rng, i);
    if ((i & 63) == 0) self->checksum += drain(self->incoming);
  }
  for (uint64_t i = 0; i < g_live_per_thread; i++) push(self, slots[i]);
  free(slots);

  atomic_fetch_add_explicit(&g_finished_producers, 1, memory_order_acq_rel);
  while (atomic_load_explicit(&g_finished_producers, memory_order_acquire) < g_threads) {
    self->checksum += drain(self->incoming);
    sched_yield();
  }
  self->checksum += drain(self->incoming);
  return NULL;
}

int main(int argc, char **argv) {
  uint64_t threads = bench_count_arg(argc, argv, 1, 2, USAGE);
  g_operations = bench_count_arg(argc, argv, 2, 2000000, USAGE);
  g_live_per_thread = bench_count_arg(argc, argv, 3, 16384, USAGE);
  if (threads > MAX_THREADS) {
    fprintf(stderr, "%s: at most %d threads\n", argv[0], MAX_THREADS);
    return 2;
  }
  g_threads = (unsigned)threads;
  int local = 0;
  if (argc > 4) {
    if (strcmp(argv[4], "local") == 0) {
      local = 1;
    } else if (strcmp(argv[4], "cross") != 0) {
      fprintf(stderr, "%s: bad mode '%s' (expected cross or local); usage: %s\n", argv[0], argv[4],
              USAGE);
      return 2;
    }
  }

  struct ring *rings = NULL;
  if (posix_memalign((void **)&rings, 64, threads * sizeof *rings) != 0) {
    fprintf(stderr, "%s: out of memory for %llu rings\n", argv[0], (unsigned long long)threads);
    return 3;
  }
  memset(rings, 0, threads * sizeof *rings);
  struct worker *workers = bench_checked_malloc(threads * sizeof *workers);
  for (unsigned i = 0; i < g_threads; i++) {
    workers[i].index = i;
    workers[i].checksum = 0;
    workers[i].incoming = &rings[i];
    workers[i].outgoing = local ? &rings[i] : &rings[(i + 1) % g_threads];
  }
  for (unsigned i = 0; i < g_threads; i++) {
    int error = pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]);
    if (error != 0) {
      fprintf(stderr, "%s: pthread_create: %s\n", argv[0], strerror(error));
      return 3;
    }
  }
  uint64_t checksum = 0;
  for (unsigned i = 0; i < g_threads; i++) {
    pthread_join(workers[i].thread, NULL);
    checksum += workers[i].checksum;
  }
  free(workers);
  free(rings);
  printf("threads checksum=%llu threads=%u mode=%s\n", (unsigned long long)checksum, g_threads,
         local ? "local" : "cross");
  return 0;
}
