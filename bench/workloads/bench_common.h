/*
 * bench_common.h - helpers shared by the benchmark workloads.
 *
 * The workloads are compiled unchanged for every variant the runner measures
 * (uninstrumented, instrumented, ASan, massif, heaptrack), so nothing here may
 * depend on TraceMalloc unless TM_REPORT_MEMORY is defined: that variant is
 * only used to read the tracer's own memory use, never timed.
 */
#ifndef TM_BENCH_COMMON_H
#define TM_BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef TM_REPORT_MEMORY
#include <tracemalloc/tracemalloc.h>
#endif

/* xorshift64*: a fixed sequence for a fixed seed, so every variant performs
 * exactly the same allocations and prints the same checksum. */
static inline uint64_t bench_next_random(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

/* argv[index] as a positive count, or default_value when absent.  Bad input
 * is a one-line error, not a crash or a silent zero. */
static inline uint64_t bench_count_arg(int argc, char **argv, int index, uint64_t default_value,
                                       const char *usage) {
  if (argc <= index) return default_value;
  const char *text = argv[index];
  char *end = NULL;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value == 0 || text[0] == '-') {
    fprintf(stderr, "%s: bad count '%s' (expected a positive integer); usage: %s\n", argv[0], text,
            usage);
    exit(2);
  }
  return (uint64_t)value;
}

static inline void *bench_checked_malloc(size_t size) {
  void *block = malloc(size);
  if (block == NULL) {
    fprintf(stderr, "bench: out of memory allocating %zu bytes\n", size);
    exit(3);
  }
  return block;
}

/* With TM_REPORT_MEMORY, at the point where the live set is complete:
 * TM_BENCH_MEMORY=1 prints the tracer's memory and the live block count on
 * stderr, TM_BENCH_DUMP=path writes a snapshot of exactly those blocks (the
 * runner divides its size by the trace count). */
static inline void bench_report_tracer_memory(uint64_t live_blocks) {
#ifdef TM_REPORT_MEMORY
  const char *want_memory = getenv("TM_BENCH_MEMORY");
  if (want_memory != NULL && want_memory[0] == '1') {
    size_t current = 0, peak = 0;
    tm_get_traced_memory(&current, &peak);
    fprintf(stderr, "tracer_memory_bytes=%zu live_blocks=%llu traced_bytes=%zu tracing=%d\n",
            tm_get_tracemalloc_memory(), (unsigned long long)live_blocks, current, tm_is_tracing());
  }
  const char *dump_path = getenv("TM_BENCH_DUMP");
  if (dump_path != NULL && dump_path[0] != '\0' && tm_dump(dump_path) != 0) {
    perror("bench: tm_dump");
    exit(4);
  }
#else
  (void)live_blocks;
#endif
}

#endif /* TM_BENCH_COMMON_H */
