// A dump records when it was taken (Unix time) and how long tracing had run:
// pprof's time_nanos and duration_nanos come from there.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: %python -c "import time; print(time.time_ns())" > %t.before
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %python -c "import time; print(time.time_ns())" > %t.after
// RUN: %tm-report convert %t.tmd %t.json
// RUN: %python -c "import json,sys; j=json.load(open(sys.argv[1])); b=int(open(sys.argv[2]).read()); a=int(open(sys.argv[3]).read()); print('time in run:', b <= j['time_ns'] <= a); print('traced for at least 50 ms:', 50e6 <= j['duration_ns'] <= a - b)" %t.json %t.before %t.after | FileCheck %s
// CHECK: time in run: True
// CHECK: traced for at least 50 ms: True
#include <stdlib.h>
#include <time.h>

void *volatile keep;

int main(void) {
  keep = malloc(100);
  struct timespec pause = {0, 60 * 1000 * 1000};
  nanosleep(&pause, NULL);
  return 0;
}
