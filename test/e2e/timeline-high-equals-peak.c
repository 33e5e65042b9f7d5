// The timeline: a sample at the first change of traced memory (by 24 KiB
// or more) once TRACEMALLOC_TIMELINE seconds have passed since the previous
// one, each with the highest traced bytes since the previous one, so a spike
// freed before the next sample is not lost: the largest `high` of the dump's
// timeline is the peak exactly, and the last sample is the dump's own.  Each
// spike below comes after a pause longer than the period: one sample each,
// at its allocation (its free follows within the period), and the dump's.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_TIMELINE=0.01 TRACEMALLOC_DUMP=%t.tmd %t > %t.out
// RUN: %tm-report timeline --format csv %t.tmd > %t.csv
// RUN: %python %S/Inputs/timeline_check.py %t.out %t.csv | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tracemalloc/tracemalloc.h>

void *volatile keep;

static void pause_ms(long ms) {
  struct timespec t = {0, ms * 1000000L};
  nanosleep(&t, NULL);
}

int main(void) {
  keep = malloc(1000);
  pause_ms(40);
  // Spikes far shorter than the period.
  for (int i = 0; i < 4; ++i) {
    char *spike = malloc(5000000);
    memset(spike, 0, 64);
    free(spike);
    pause_ms(40);
  }
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("peak=%zu\n", peak);
  return 0;
}
// CHECK: header time_s,current,high,rss
// CHECK: samples 5..8 1
// CHECK: max high == peak 1
// CHECK: times increase 1
// CHECK: rss > 0 1
