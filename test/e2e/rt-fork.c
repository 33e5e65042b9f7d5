// fork() while another thread allocates: the child keeps working (no lock
// is left held), keeps tracing with the inherited traces, and writes its own
// exit dump (%p) separate from the parent's.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %tmcc -O1 -g %s -o %t -lpthread
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.dir/dump.%%p.tmd %t > %t.pids
// RUN: %tm-report top %t.dir/dump.$(sed -n 1p %t.pids).tmd | FileCheck %s --check-prefix=PARENT --implicit-check-not=2222
// RUN: %tm-report top %t.dir/dump.$(sed -n 2p %t.pids).tmd | FileCheck %s --check-prefix=CHILD --implicit-check-not=3333
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int stop;
void *volatile before_fork, *volatile in_child, *volatile in_parent;

static void *churn(void *arg) {
  (void)arg;
  while (!atomic_load(&stop)) free(malloc(64));
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, churn, NULL);
  before_fork = malloc(1111);
  pid_t child = 0;
  for (int i = 0; i < 50; ++i) { // many forks: one lands inside a lock
    child = fork();
    if (child == 0) {
      in_child = malloc(2222);
      exit(i == 49 ? 0 : 3); // only the last child's dump is checked
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != (i == 49 ? 0 : 3)) {
      fprintf(stderr, "child %d failed\n", i);
      return 1;
    }
  }
  atomic_store(&stop, 1);
  pthread_join(thread, NULL);
  in_parent = malloc(3333);
  printf("%d\n%d\n", (int)getpid(), (int)child);
  return 0;
}
// PARENT-DAG: rt-fork.c:[[#@LINE-21]]: size=1111 B, count=1
// PARENT-DAG: rt-fork.c:[[#@LINE-5]]: size=3333 B, count=1

// CHILD-DAG: rt-fork.c:[[#@LINE-24]]: size=1111 B, count=1
// CHILD-DAG: rt-fork.c:[[#@LINE-20]]: size=2222 B, count=1
