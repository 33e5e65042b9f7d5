// TRACEMALLOC_DUMP_SIGNAL: each signal makes the background thread write the
// next numbered snapshot (%n); the exit dump is the last of the sequence.
// Files are created with mode 0600.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %tmcc -O1 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.dir/leak-%%n.tmd TRACEMALLOC_DUMP_SIGNAL=USR2 %t %t.dir | FileCheck %s
// RUN: %tm-report top %t.dir/leak-1.tmd | FileCheck %s --check-prefix=FIRST
// RUN: %tm-report top %t.dir/leak-2.tmd | FileCheck %s --check-prefix=SECOND
// RUN: %tm-report top %t.dir/leak-3.tmd | FileCheck %s --check-prefix=EXIT
// RUN: stat -c %%a %t.dir/leak-1.tmd %t.dir/leak-3.tmd | FileCheck %s --check-prefix=MODE
// RUN: ls %t.dir | count 3
// A number works as well as a name; without %n the number goes before the
// extension.
// RUN: rm -rf %t.dir2 && mkdir %t.dir2
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.dir2/out.tmd TRACEMALLOC_DUMP_SIGNAL=12 %t %t.dir2/out.1.tmd %t.dir2/out.2.tmd | FileCheck %s
// RUN: ls %t.dir2 | FileCheck %s --check-prefix=PLAIN
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void *volatile first, *volatile second, *volatile third;

// The dump is written asynchronously: wait (at most 20 s) for the file.
static int wait_for(const char *path) {
  struct timespec pause = {0, 10 * 1000 * 1000};
  struct stat info;
  for (int i = 0; i < 2000; ++i) {
    if (stat(path, &info) == 0) return 1;
    nanosleep(&pause, NULL);
  }
  return 0;
}

static int dump_now(const char *path) {
  raise(SIGUSR2);
  return wait_for(path);
}

int main(int argc, char **argv) {
  char path1[4096], path2[4096];
  if (argc == 3) { // explicit paths
    snprintf(path1, sizeof path1, "%s", argv[1]);
    snprintf(path2, sizeof path2, "%s", argv[2]);
  } else {
    snprintf(path1, sizeof path1, "%s/leak-1.tmd", argv[1]);
    snprintf(path2, sizeof path2, "%s/leak-2.tmd", argv[1]);
  }
  first = malloc(1001);
  printf("first dump: %d\n", dump_now(path1));
  second = malloc(2002);
  printf("second dump: %d\n", dump_now(path2));
  third = malloc(3003);
  return 0;
}
// CHECK: first dump: 1
// CHECK-NEXT: second dump: 1

// FIRST: rt-dump-signal.c:52: size=1001 B
// FIRST-NOT: size=2002 B

// SECOND-DAG: rt-dump-signal.c:52: size=1001 B
// SECOND-DAG: rt-dump-signal.c:54: size=2002 B
// SECOND-NOT: size=3003 B

// EXIT-DAG: size=1001 B
// EXIT-DAG: size=2002 B
// EXIT-DAG: rt-dump-signal.c:56: size=3003 B

// MODE: 600
// MODE-NEXT: 600

// PLAIN: out.1.tmd
// PLAIN-NEXT: out.2.tmd
// PLAIN-NEXT: out.tmd
