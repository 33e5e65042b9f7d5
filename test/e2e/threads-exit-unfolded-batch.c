// A thread that exits with traced bytes it has not folded into the shared
// figure (a batch below its bound: allocated, or freed from another
// thread's blocks) leaves none of them behind: get_traced_memory() is exact
// after the join, also when the next thread reuses its stack (and so its
// thread-local storage), and when another key's destructor frees and
// allocates after the runtime's own ran.
// RUN: %tmcc -O1 -g %s -o %t -lpthread
// RUN: %t | FileCheck %s
// RUN: env TM_CLANG_STATIC=1 %tmcc -O1 -g %s -o %t.static -lpthread
// RUN: %t.static | FileCheck %s
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

static void *kept[64];
static pthread_key_t late_key;

static void *nothing(void *arg) { return arg; }

static void *allocate_1000(void *arg) {
  (void)arg;
  kept[0] = malloc(1000);
  return NULL;
}

static void *free_other_allocate_500(void *arg) {
  (void)arg;
  kept[1] = malloc(500);
  free(kept[0]);  // another thread's block: this thread's batch is -500
  kept[0] = NULL;
  return NULL;
}

// Created after the runtime's key, so glibc runs it after the runtime's
// destructor folded the thread's batch.
static void late_destructor(void *value) {
  free(value);
  kept[2] = malloc(300);
}

static void *with_late_destructor(void *arg) {
  (void)arg;
  kept[3] = malloc(40);
  pthread_setspecific(late_key, kept[1]);
  kept[1] = NULL;
  return NULL;
}

static void *allocate_10(void *arg) {
  kept[4 + (size_t)arg] = malloc(10);
  return NULL;
}

static void run(void *(*body)(void *), size_t arg) {
  pthread_t t;
  pthread_create(&t, NULL, body, (void *)arg);
  pthread_join(t, NULL);
}

static void show(const char *when) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("%s: current=%zu\n", when, current);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdout buffer among the traces
  pthread_key_create(&late_key, late_destructor);
  // One thread before tracing: the later ones reuse its cached stack, so
  // creating them allocates nothing.
  run(nothing, 0);
  tm_start(1);
  show("start");
  run(allocate_1000, 0);
  show("exited with +1000");
  run(free_other_allocate_500, 0);
  show("exited with -500");
  run(with_late_destructor, 0);
  show("late destructor");
  for (size_t i = 0; i < 50; ++i) run(allocate_10, i);
  show("50 threads");
  for (size_t i = 0; i < 64; ++i) free(kept[i]);
  show("all freed");
  return 0;
}
// CHECK: start: current=0
// CHECK-NEXT: exited with +1000: current=1000
// CHECK-NEXT: exited with -500: current=500
// CHECK-NEXT: late destructor: current=340
// CHECK-NEXT: 50 threads: current=840
// CHECK-NEXT: all freed: current=0
