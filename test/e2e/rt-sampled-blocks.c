// Sampled mode, block by block: a block is traced exactly when it is a
// header block (malloc_usable_size is the request) and every other block is
// glibc's own; calloc zeroes, realloc keeps the bytes whether the old and
// new blocks were sampled or not, aligned allocations are aligned; frees by
// foreign code (glibc's getline buffer, grown by glibc and freed by the
// program) leave nothing behind; threads and a forked child sample on their
// own countdowns.  At the end none of this file's blocks is traced, and the
// traced memory estimate is the statistics' estimate of what libc holds.
// RUN: %tmcc -O1 -g %s -o %t -lpthread
// RUN: env TRACEMALLOC=1 TRACEMALLOC_SAMPLE=2048 TRACEMALLOC_SAMPLE_SEED=7 %t | FileCheck %s
// CHECK: start
// CHECK-NEXT: sampled 2048: traced blocks are header blocks: yes
// CHECK-NEXT: some traced: yes, most not: yes
// CHECK-NEXT: calloc zeroed: yes
// CHECK-NEXT: realloc kept bytes: yes
// CHECK-NEXT: aligned: yes
// CHECK-NEXT: threads sampled: yes
// CHECK-NEXT: child sampled: yes
// CHECK-NEXT: after freeing: 0 traces, estimates agree: yes
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracemalloc/tracemalloc.h>

enum { kBlocks = 20000 };
static void *blocks[kBlocks];

static int traced(const void *p) {
  tm_frame frames[1];
  int total = 0;
  return tm_get_object_traceback(p, frames, 1, &total) > 0;
}

// This file's traces (libc keeps some blocks of its own, stdout's buffer).
static size_t live_traces(void) {
  tm_snapshot *s = tm_take_snapshot();
  const tm_filter mine = {1, "*rt-sampled-blocks.c", -1, 0, -1};
  tm_snapshot *filtered = tm_snapshot_filter_traces(s, &mine, 1);
  size_t n = tm_snapshot_trace_count(filtered);
  tm_snapshot_free(filtered);
  tm_snapshot_free(s);
  return n;
}

static void *thread_main(void *arg) {
  int *sampled = arg;
  void *mine[2000];
  for (int i = 0; i < 2000; ++i) mine[i] = malloc(100);
  for (int i = 0; i < 2000; ++i) *sampled += traced(mine[i]);
  for (int i = 0; i < 2000; ++i) free(mine[i]);
  return NULL;
}

int main(void) {
  size_t peak = 0;
  printf("start\n");
  int matches = 1, some = 0;
  for (int i = 0; i < kBlocks; ++i) blocks[i] = malloc(3);
  for (int i = 0; i < kBlocks; ++i) {
    const int t = traced(blocks[i]);
    some += t;
    // A header block's usable size is the request; glibc's is at least 24.
    if (t != (malloc_usable_size(blocks[i]) == 3)) matches = 0;
  }
  printf("sampled %zu: traced blocks are header blocks: %s\n", tm_get_sample_bytes(),
         matches ? "yes" : "no");
  printf("some traced: %s, most not: %s\n", some > 0 ? "yes" : "no",
         some < kBlocks / 100 ? "yes" : "no");

  int zeroed = 1;
  for (int i = 0; i < 2000; ++i) {
    unsigned char *c = calloc(100, 10);
    for (int j = 0; j < 1000; ++j) zeroed &= c[j] == 0;
    memset(c, 0xab, 1000);
    free(c);
  }
  printf("calloc zeroed: %s\n", zeroed ? "yes" : "no");

  int kept = 1;
  for (int i = 0; i < kBlocks; ++i) {
    memset(blocks[i], i & 0xff, 3);
    unsigned char *r = realloc(blocks[i], 3 + (size_t)(i % 7) * 500);
    kept &= r[0] == (i & 0xff) && r[2] == (i & 0xff);
    memset(r, i & 0xff, 3 + (size_t)(i % 7) * 500);
    unsigned char *back = realloc(r, 5);
    kept &= back[2] == (i & 0xff) && (i % 7 == 0 || back[4] == (i & 0xff));
    blocks[i] = back;
  }
  printf("realloc kept bytes: %s\n", kept ? "yes" : "no");

  int aligned = 1;
  for (int i = 0; i < 3000; ++i) {
    void *a = aligned_alloc(256, 512);
    void *m = memalign(64, 100);
    void *p = NULL;
    if (posix_memalign(&p, 4096, 10) != 0) aligned = 0;
    aligned &= ((uintptr_t)a % 256 == 0) && ((uintptr_t)m % 64 == 0) && ((uintptr_t)p % 4096 == 0);
    free(a);
    free(m);
    free(p);
  }
  printf("aligned: %s\n", aligned ? "yes" : "no");

  // Foreign code: getline's buffer is glibc's malloc, grown by its realloc.
  FILE *f = fopen("/proc/self/maps", "r");
  char *line = NULL;
  size_t capacity = 0;
  while (getline(&line, &capacity, f) > 0) {
  }
  fclose(f);
  free(line);

  pthread_t threads[2];
  int sampled[2] = {0, 0};
  for (int i = 0; i < 2; ++i) pthread_create(&threads[i], NULL, thread_main, &sampled[i]);
  for (int i = 0; i < 2; ++i) pthread_join(threads[i], NULL);
  printf("threads sampled: %s\n", sampled[0] > 0 && sampled[1] > 0 ? "yes" : "no");

  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    int n = 0;
    for (int i = 0; i < 2000; ++i) {
      void *p = malloc(100);
      n += traced(p);
      free(p);
    }
    _exit(n > 0 && n < 2000 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("child sampled: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");

  for (int i = 0; i < kBlocks; ++i) free(blocks[i]);
  // What libc still holds is estimated alike by the runtime's counter and
  // by the snapshot's statistics (each trace's estimate, rounded).
  size_t current = 1, estimated = 0;
  tm_snapshot *s = tm_take_snapshot();
  tm_get_traced_memory(&current, &peak);
  tm_statistics *stats = tm_snapshot_statistics(s, "traceback", 0);
  for (size_t i = 0; i < tm_statistics_count(stats); ++i)
    estimated += tm_statistics_at(stats, i)->size;
  tm_statistics_free(stats);
  tm_snapshot_free(s);
  printf("after freeing: %zu traces, estimates agree: %s\n", live_traces(),
         current == estimated ? "yes" : "no");
  return 0;
}
