// TRACEMALLOC_DUMP_INTERVAL: a background thread writes a numbered snapshot
// every interval; a forked child gets its own dump thread and its own files
// (%p); the exit dump still happens, as the last number.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %tmcc -O1 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.dir/tick-%%p-%%n.tmd TRACEMALLOC_DUMP_INTERVAL=0.05 %t %t.dir > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %tm-report top %t.dir/tick-$(sed -n 's/^parent-pid //p' %t.out)-3.tmd | FileCheck %s --check-prefix=TICK
// RUN: %tm-report top $(ls -v %t.dir/tick-$(sed -n 's/^child-pid //p' %t.out)-*.tmd | tail -n 1) | FileCheck %s --check-prefix=CHILD
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void *volatile kept;

static int wait_for(const char *dir, int pid, int number) {
  char path[4096];
  snprintf(path, sizeof path, "%s/tick-%d-%d.tmd", dir, pid, number);
  struct timespec pause = {0, 10 * 1000 * 1000};
  struct stat info;
  for (int i = 0; i < 2000; ++i) {
    if (stat(path, &info) == 0) return 1;
    nanosleep(&pause, NULL);
  }
  return 0;
}

int main(int argc, char **argv) {
  (void)argc;
  setvbuf(stdout, NULL, _IONBF, 0);
  kept = malloc(4444);
  printf("three ticks: %d\n", wait_for(argv[1], getpid(), 3));
  pid_t child = fork();
  if (child == 0) {
    kept = malloc(5555);
    // The child's own dump thread writes the child's own files; numbers go
    // on from the parent's sequence.
    char pattern[4096];
    snprintf(pattern, sizeof pattern, "%s/tick-%d-*.tmd", argv[1], (int)getpid());
    struct timespec pause = {0, 10 * 1000 * 1000};
    int seen = 0;
    for (int i = 0; i < 2000 && !seen; ++i) {
      glob_t found;
      seen = glob(pattern, 0, NULL, &found) == 0 && found.gl_pathc >= 2;
      globfree(&found);
      nanosleep(&pause, NULL);
    }
    exit(seen ? 0 : 1); // exit, not _exit: the exit dump is the child's last
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("child ticked: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
  printf("parent-pid %d\nchild-pid %d\n", (int)getpid(), (int)child);
  return 0;
}
// CHECK: three ticks: 1
// CHECK-NEXT: child ticked: 1

// TICK: rt-dump-interval.c:35: size=4444 B, count=1

// CHILD-DAG: rt-dump-interval.c:35: size=4444 B, count=1
// CHILD-DAG: rt-dump-interval.c:39: size=5555 B, count=1
