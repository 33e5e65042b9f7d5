// <tracemalloc/tracemalloc.h> compiles warning-free as C89, C99 (pedantic)
// and C++98/C++17, and a C99 program using the snapshot API links and runs.
// RUN: %clang -std=c89 -pedantic -Wall -Wextra -Werror -fsyntax-only -I%tminclude -x c %tminclude/tracemalloc/tracemalloc.h
// RUN: %clang -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I%tminclude %s
// RUN: %clangxx -std=c++98 -pedantic -Wall -Wextra -Werror -fsyntax-only -I%tminclude -x c++ %s
// RUN: %clangxx -std=c++17 -pedantic -Wall -Wextra -Werror -fsyntax-only -I%tminclude -x c++ %s
// RUN: %tmcc -std=c99 -pedantic -Wall -Wextra -Werror -O0 %s -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include <stdio.h>
#include <tracemalloc/tracemalloc.h>

int main(void) {
  tm_filter filter = {1, "*", -1, 0, -1};
  tm_snapshot *snapshot = tm_take_snapshot();
  tm_snapshot *kept = tm_snapshot_filter_traces(snapshot, &filter, 1);
  tm_statistics *st = tm_snapshot_statistics(kept, "lineno", 0);
  const tm_statistic *stat = tm_statistics_at(st, 0);
  printf("statistics: %d\n", st != NULL && (stat == NULL || stat->nframe >= 1));
  tm_statistics_free(st);
  tm_snapshot_free(kept);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: statistics: 1
