// batch_worker.h - one worker thread in step with main (step(): a barrier
// of the two), created before tracing starts (creating a thread allocates),
// and a line of get_traced_memory().
#include <pthread.h>
#include <stdio.h>
#include <tracemalloc/tracemalloc.h>

static pthread_barrier_t barrier;

static void step(void) { pthread_barrier_wait(&barrier); }

static pthread_t start_worker_then_tracing(void *(*body)(void *)) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdout buffer among the traces
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t thread;
  pthread_create(&thread, NULL, body, NULL);
  tm_start(1);
  return thread;
}

static void show(const char *when) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("%s: current=%zu peak=%zu\n", when, current, peak);
}
