// Every error of the C snapshot API: NULL where an object is needed, an
// unknown or NULL key_type, cumulative with "traceback", invalid filters, an
// index out of range, a bad format buffer -- NULL or -1 with errno = EINVAL,
// never a crash; tm_snapshot_load of a missing file: ENOENT, of a directory:
// EISDIR, of an empty or corrupt file: EINVAL.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: printf 'not a snapshot' > %t.dir/corrupt.tmd
// RUN: : > %t.dir/empty.tmd
// RUN: env TRACEMALLOC=1 %t %t.dir | FileCheck %s
#include "Inputs/capi_stats.h"

static void say(const char *what, int failed) {
  printf("%s: %s %s\n", what, failed ? "failed" : "SUCCEEDED", failed ? strerror(errno) : "");
  errno = 0;
}

void *keep;

int main(int argc, char **argv) {
  char path[4096];
  (void)argc;
  keep = malloc(10);
  tm_snapshot *s = tm_take_snapshot();
  tm_statistics *st = tm_snapshot_statistics(s, "lineno", 0);
  tm_filter ok = {1, "*", -1, 0, -1};
  errno = 0;

  say("statistics bad key", tm_snapshot_statistics(s, "line", 0) == NULL);
  say("statistics NULL key", tm_snapshot_statistics(s, NULL, 0) == NULL);
  say("statistics NULL snapshot", tm_snapshot_statistics(NULL, "lineno", 0) == NULL);
  say("statistics cumulative traceback", tm_snapshot_statistics(s, "traceback", 1) == NULL);
  say("compare bad key", tm_snapshot_compare_to(s, s, "Lineno", 0) == NULL);
  say("compare NULL new", tm_snapshot_compare_to(NULL, s, "lineno", 0) == NULL);
  say("compare NULL old", tm_snapshot_compare_to(s, NULL, "lineno", 0) == NULL);
  say("compare cumulative traceback", tm_snapshot_compare_to(s, s, "traceback", 1) == NULL);
  say("trace_count NULL", tm_snapshot_trace_count(NULL) == (size_t)-1);
  say("traceback_limit NULL", tm_snapshot_traceback_limit(NULL) == -1);
  say("filter NULL snapshot", tm_snapshot_filter_traces(NULL, &ok, 1) == NULL);
  say("filter NULL filters", tm_snapshot_filter_traces(s, NULL, 1) == NULL);
  tm_filter domain_any = {1, NULL, -1, 0, -1};
  say("filter DomainFilter domain -1", tm_snapshot_filter_traces(s, &domain_any, 1) == NULL);
  tm_filter bad_lineno = {1, "*", -2, 0, -1};
  say("filter lineno -2", tm_snapshot_filter_traces(s, &bad_lineno, 1) == NULL);
  tm_filter bad_domain = {1, "*", -1, 0, -2};
  say("filter domain -2", tm_snapshot_filter_traces(s, &bad_domain, 1) == NULL);
  tm_filter mixed[] = {{1, "*", -1, 0, -1}, {0, NULL, -1, 0, -5}};
  say("filter second invalid", tm_snapshot_filter_traces(s, mixed, 2) == NULL);
  say("count NULL", tm_statistics_count(NULL) == (size_t)-1);
  say("at NULL", tm_statistics_at(NULL, 0) == NULL);
  say("at out of range", tm_statistics_at(st, tm_statistics_count(st)) == NULL);
  char buf[64];
  say("format NULL stat", tm_statistic_format(NULL, buf, sizeof buf) == -1);
  say("format NULL buf", tm_statistic_format(tm_statistics_at(st, 0), NULL, 1) == -1);
  say("load NULL", tm_snapshot_load(NULL) == NULL);
  snprintf(path, sizeof path, "%s/missing.tmd", argv[1]);
  say("load missing", tm_snapshot_load(path) == NULL);
  say("load directory", tm_snapshot_load(argv[1]) == NULL);
  snprintf(path, sizeof path, "%s/empty.tmd", argv[1]);
  say("load empty", tm_snapshot_load(path) == NULL);
  snprintf(path, sizeof path, "%s/corrupt.tmd", argv[1]);
  say("load corrupt", tm_snapshot_load(path) == NULL);
  tm_statistics_free(NULL);
  tm_snapshot_free(NULL);

  // The valid calls next to them succeed.
  say("statistics", tm_snapshot_statistics(s, "lineno", 0) == NULL);
  say("at last", tm_statistics_at(st, tm_statistics_count(st) - 1) == NULL);
  say("filter no filters", tm_snapshot_filter_traces(s, NULL, 0) == NULL);
  tm_statistics_free(st);
  tm_snapshot_free(s);
  return 0;
}
// CHECK: statistics bad key: failed Invalid argument
// CHECK-NEXT: statistics NULL key: failed Invalid argument
// CHECK-NEXT: statistics NULL snapshot: failed Invalid argument
// CHECK-NEXT: statistics cumulative traceback: failed Invalid argument
// CHECK-NEXT: compare bad key: failed Invalid argument
// CHECK-NEXT: compare NULL new: failed Invalid argument
// CHECK-NEXT: compare NULL old: failed Invalid argument
// CHECK-NEXT: compare cumulative traceback: failed Invalid argument
// CHECK-NEXT: trace_count NULL: failed Invalid argument
// CHECK-NEXT: traceback_limit NULL: failed Invalid argument
// CHECK-NEXT: filter NULL snapshot: failed Invalid argument
// CHECK-NEXT: filter NULL filters: failed Invalid argument
// CHECK-NEXT: filter DomainFilter domain -1: failed Invalid argument
// CHECK-NEXT: filter lineno -2: failed Invalid argument
// CHECK-NEXT: filter domain -2: failed Invalid argument
// CHECK-NEXT: filter second invalid: failed Invalid argument
// CHECK-NEXT: count NULL: failed Invalid argument
// CHECK-NEXT: at NULL: failed Invalid argument
// CHECK-NEXT: at out of range: failed Invalid argument
// CHECK-NEXT: format NULL stat: failed Invalid argument
// CHECK-NEXT: format NULL buf: failed Invalid argument
// CHECK-NEXT: load NULL: failed Invalid argument
// CHECK-NEXT: load missing: failed No such file or directory
// CHECK-NEXT: load directory: failed Is a directory
// CHECK-NEXT: load empty: failed Invalid argument
// CHECK-NEXT: load corrupt: failed Invalid argument
// CHECK-NEXT: statistics: SUCCEEDED
// CHECK-NEXT: at last: SUCCEEDED
// CHECK-NEXT: filter no filters: SUCCEEDED
