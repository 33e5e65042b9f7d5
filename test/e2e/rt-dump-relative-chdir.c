// A relative TRACEMALLOC_DUMP names a file in the directory the program
// started in, even after the program chdir()s elsewhere.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: rm -rf %t.start %t.elsewhere && mkdir -p %t.start %t.elsewhere
// RUN: cd %t.start && env TRACEMALLOC=1 TRACEMALLOC_DUMP=rel.tmd %t %t.elsewhere
// RUN: test -f %t.start/rel.tmd
// RUN: not test -e %t.elsewhere/rel.tmd
// RUN: %tm-report top %t.start/rel.tmd | FileCheck %s
#include <stdlib.h>
#include <unistd.h>

void *keep;

int main(int argc, char **argv) {
  (void)argc;
  keep = malloc(100);
  return chdir(argv[1]) == 0 ? 0 : 1;
}
// CHECK: rt-dump-relative-chdir.c:{{[0-9]+}}: size=100 B, count=1
