// TRACEMALLOC_DUMP_SIGNAL naming a signal the program relies on (TERM, SEGV)
// prints one warning and leaves the signal alone: the program still dies of
// it, and no dump loop starts.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd TRACEMALLOC_DUMP_SIGNAL=TERM not --crash %t TERM 2>%t.err
// RUN: FileCheck %s --input-file=%t.err
// RUN: grep -c "^tracemalloc:" %t.err | FileCheck %s --check-prefix=ONE
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd TRACEMALLOC_DUMP_SIGNAL=SEGV not --crash %t SEGV 2>%t.err2
// RUN: FileCheck %s --check-prefix=SEGV --input-file=%t.err2
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void *keep;

int main(int argc, char **argv) {
  (void)argc;
  keep = malloc(100);
  raise(strcmp(argv[1], "TERM") == 0 ? SIGTERM : SIGSEGV);
  return 0;
}
// CHECK: tracemalloc: no dumps on a signal (not a signal that can be taken over (USR1, USR2 or a real-time signal)) in TRACEMALLOC_DUMP_SIGNAL=TERM
// SEGV: TRACEMALLOC_DUMP_SIGNAL=SEGV
// ONE: {{^1$}}
