// TRACEMALLOC_HELP=1 prints every environment variable of the runtime (name,
// type, default, meaning) to stderr at start-up; the program runs as usual.
// Bad values of the on-demand settings get one warning line each.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC_HELP=1 %t 2>&1 | FileCheck %s
// RUN: env TRACEMALLOC_HELP=0 %t 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd TRACEMALLOC_DUMP_SIGNAL=NOPE TRACEMALLOC_DUMP_INTERVAL=-3 %t 2>&1 | FileCheck %s --check-prefix=BAD
#include <stdio.h>

int main(void) {
  printf("main runs\n");
  return 0;
}
// CHECK: tracemalloc: environment variables (read once at start-up with secure_getenv: ignored in setuid programs)
// CHECK-NEXT: TRACEMALLOC (int, default: 0)
// CHECK-NEXT: start tracing before main
// CHECK-NEXT: TRACEMALLOC_SAMPLE (bytes, default: 0)
// CHECK-NEXT: sampled mode: trace each allocated byte
// CHECK-NEXT: TRACEMALLOC_SAMPLE_SEED (int, default: unset)
// CHECK-NEXT: sampled mode: seed
// CHECK-NEXT: TRACEMALLOC_DUMP (path, default: unset)
// CHECK-NEXT: at exit, write a snapshot
// CHECK-NEXT: TRACEMALLOC_DUMP_SIGNAL (signal, default: unset)
// CHECK-NEXT: on this signal
// CHECK-NEXT: TRACEMALLOC_DUMP_INTERVAL (seconds, default: 0)
// CHECK-NEXT: every this many seconds
// CHECK-NEXT: TRACEMALLOC_TIMELINE (seconds, default: 0.01)
// CHECK-NEXT: while tracing, sample traced memory
// CHECK-NEXT: TRACEMALLOC_HELP (bool, default: 0)
// CHECK-NEXT: print this table
// Testing aids (TM_TEST_FLAG) are not user settings: not in the table.
// CHECK-NOT: TRACEMALLOC_TEST
// CHECK: main runs

// QUIET-NOT: tracemalloc
// QUIET: main runs

// BAD: tracemalloc: no dumps on a signal (not a signal name) in TRACEMALLOC_DUMP_SIGNAL=NOPE
// BAD-NEXT: tracemalloc: no periodic dumps ({{.*}}) in TRACEMALLOC_DUMP_INTERVAL=-3
// BAD: main runs
