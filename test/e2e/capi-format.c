// tm_statistic_format is snprintf-like: it returns the length of the whole
// str(), writes at most capacity bytes with the NUL, and accepts NULL with
// capacity 0.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include "Inputs/capi_stats.h"

void *keep;

int main(void) {
  keep = malloc(1536);
  tm_snapshot *snapshot = tm_take_snapshot();
  tm_statistics *st = tm_snapshot_statistics(snapshot, "lineno", 0);
  const tm_statistic *stat = tm_statistics_at(st, 0);
  char full[256];
  int length = tm_statistic_format(stat, full, sizeof full);
  printf("full: %d\n", length);
  printf("text: %zu %s\n", strlen(full), capi_base_name(full));
  printf("null: %d\n", tm_statistic_format(stat, NULL, 0));
  char small[8];
  memset(small, 'x', sizeof small);
  printf("small: %d", tm_statistic_format(stat, small, sizeof small));
  printf(" %zu %d\n", strlen(small), strncmp(small, full, sizeof small - 1));
  char one[1] = {'x'};
  printf("one: %d [%s]\n", tm_statistic_format(stat, one, 1), one);
  char exact[256];
  memset(exact, 'x', sizeof exact);
  printf("exact: %d", tm_statistic_format(stat, exact, (size_t)length));
  printf(" %zu %d\n", strlen(exact), strncmp(exact, full, (size_t)length - 1));
  char spare = 'x';
  printf("zero: %d %c\n", tm_statistic_format(stat, &spare, 0), spare);
  tm_statistics_free(st);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: full: [[#LEN:]]
// CHECK-NEXT: text: [[#LEN]] capi-format.c:11: size=1536 B, count=1, average=1536 B
// CHECK-NEXT: null: [[#LEN]]
// CHECK-NEXT: small: [[#LEN]] 7 0
// CHECK-NEXT: one: [[#LEN]] []
// CHECK-NEXT: exact: [[#LEN]] [[#LEN-1]] 0
// CHECK-NEXT: zero: [[#LEN]] x
