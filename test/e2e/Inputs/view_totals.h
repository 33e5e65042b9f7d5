// view_totals.h - the size and count totals of one view of a snapshot taken
// now, through the C API (tm_take_snapshot_view + statistics); with
// view_totals_of(), of the traces whose allocation site matches a pattern
// (the program's own, not the C library's).
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

struct view_totals {
  size_t size, count;
};

static struct view_totals view_totals_of(tm_view view, const char *pattern) {
  struct view_totals t = {0, 0};
  tm_snapshot *s = tm_take_snapshot_view(view);
  if (!s) {
    printf("no snapshot of view %d\n", (int)view);
    exit(1);
  }
  if (pattern) {
    tm_filter only = {1, pattern, -1, 0, -1};
    tm_snapshot *filtered = tm_snapshot_filter_traces(s, &only, 1);
    tm_snapshot_free(s);
    s = filtered;
  }
  tm_statistics *st = tm_snapshot_statistics(s, "filename", 0);
  for (size_t i = 0; i < tm_statistics_count(st); ++i) {
    t.size += tm_statistics_at(st, i)->size;
    t.count += tm_statistics_at(st, i)->count;
  }
  tm_statistics_free(st);
  tm_snapshot_free(s);
  return t;
}

static struct view_totals view_totals(tm_view view) { return view_totals_of(view, NULL); }
