// Tracing with the timeline on (its default) starts no thread of the
// runtime's: the program stays single-threaded (one task in /proc/self/task),
// so glibc keeps its single-threaded stdio and malloc, and the timeline still
// has samples, taken by the program's own allocations.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_TIMELINE=0.01 %t | FileCheck %s
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <tracemalloc/tracemalloc.h>

static int tasks(void) {
  DIR *dir = opendir("/proc/self/task");
  if (!dir) return -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(dir));) n += e->d_name[0] != '.';
  closedir(dir);
  return n;
}

int main(void) {
  for (int i = 0; i < 5; ++i) {
    struct timespec t = {0, 20 * 1000000L};
    nanosleep(&t, NULL);
    free(malloc(100000));
  }
  tm_timeline_sample samples[16];
  printf("tracing: %d tasks: %d samples: %d\n", tm_is_tracing(), tasks(),
         tm_timeline(samples, 16) >= 4);
  return 0;
}
// CHECK: tracing: 1 tasks: 1 samples: 1
