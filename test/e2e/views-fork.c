// A forked child starts its own peak and timeline: its peak is what it has
// live at fork (so its peak view too), and its samples start at 0 again.
// Samples are taken at changes of traced memory once the period has passed
// (timeline-high-equals-peak.c): each 1 MiB block after a pause makes one.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC_TIMELINE=0.01 %t | FileCheck %s
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "Inputs/view_totals.h"

void *volatile keep;

static void pause_ms(long ms) {
  struct timespec t = {0, ms * 1000000L};
  nanosleep(&t, NULL);
}

static double last_sample_time(size_t *n) {
  tm_timeline_sample samples[4096];
  *n = tm_timeline(samples, 4096);
  return *n ? samples[*n - 1].time_s : 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  tm_start(1);
  keep = malloc(1000);
  for (int i = 0; i < 12; ++i) {
    pause_ms(20);
    free(malloc(1 << 20));
  }
  size_t parent_n;
  const double parent_last = last_sample_time(&parent_n);
  pid_t pid = fork();
  if (pid == 0) {
    size_t current, peak;
    tm_get_traced_memory(&current, &peak);
    struct view_totals p = view_totals(TM_VIEW_PEAK);
    printf("child: peak=%zu current=%zu peak-view=%zu\n", peak, current, p.size);
    pause_ms(20);
    free(malloc(1 << 20));
    size_t n;
    const double last = last_sample_time(&n);
    printf("child timeline restarted: %d\n", n > 0 && last < parent_last);
    return 0;
  }
  waitpid(pid, NULL, 0);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("parent: peak=%zu samples before fork: %d\n", peak, parent_n >= 10);
  return 0;
}
// CHECK: child: peak=1000 current=1000 peak-view=1000
// CHECK-NEXT: child timeline restarted: 1
// CHECK-NEXT: parent: peak=1049576 samples before fork: 1
