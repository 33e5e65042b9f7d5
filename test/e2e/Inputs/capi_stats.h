/* Helpers of the capi-*.c tests: print statistics of the C snapshot API the
 * way `tm-report top`/`diff` prints them (so the outputs can be compared
 * line for line), and their fields one per line, with file names stripped of
 * their directory so checks don't depend on paths. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

static const char *capi_base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* str() of a statistic, in a buffer sized from tm_statistic_format itself. */
static char *capi_format(const tm_statistic *stat) {
  int length = tm_statistic_format(stat, NULL, 0);
  if (length < 0) {
    printf("tm_statistic_format failed: %s\n", strerror(errno));
    exit(1);
  }
  char *text = malloc((size_t)length + 1);
  if (!text || tm_statistic_format(stat, text, (size_t)length + 1) != length) exit(1);
  return text;
}

/* "[ Top N ]" (or "[ Top N differences ]") and each str(), as tm-report's
 * text output without traceback lines, into the file at path. */
static void capi_write_listing(const tm_statistics *st, const char *header_suffix,
                               const char *path) {
  FILE *out = fopen(path, "w");
  if (!out) exit(1);
  fprintf(out, "[ Top %zu%s ]\n", tm_statistics_count(st), header_suffix);
  for (size_t i = 0; i < tm_statistics_count(st); i++) {
    char *text = capi_format(tm_statistics_at(st, i));
    fprintf(out, "%s\n", text);
    free(text);
  }
  fclose(out);
}

/* Every field of every statistic, frames oldest first. */
static void capi_print_fields(const char *label, const tm_statistics *st) {
  printf("%s: %zu statistics\n", label, tm_statistics_count(st));
  for (size_t i = 0; i < tm_statistics_count(st); i++) {
    const tm_statistic *stat = tm_statistics_at(st, i);
    printf("  size=%zu count=%zu size_diff=%lld count_diff=%lld nframe=%d total_nframe=%d\n",
           stat->size, stat->count, (long long)stat->size_diff, (long long)stat->count_diff,
           stat->nframe, stat->total_nframe);
    for (int f = 0; f < stat->nframe; f++)
      printf("    %s:%u\n", capi_base_name(stat->frames[f].filename),
             (unsigned)stat->frames[f].lineno);
  }
}

/* tm_snapshot_filter_traces(s, filters, n): prints the number of traces
 * kept under `label` and writes the kept traces' "lineno" statistics as
 * capi_write_listing does, into "<prefix>.<label>". */
static void capi_write_filtered(const tm_snapshot *s, const char *label, const tm_filter *filters,
                                size_t n, const char *prefix) {
  tm_snapshot *kept = tm_snapshot_filter_traces(s, filters, n);
  if (!kept) {
    printf("%s: tm_snapshot_filter_traces failed: %s\n", label, strerror(errno));
    exit(1);
  }
  printf("%s: %zu traces\n", label, tm_snapshot_trace_count(kept));
  tm_statistics *st = tm_snapshot_statistics(kept, "lineno", 0);
  char path[4096];
  snprintf(path, sizeof path, "%s.%s", prefix, label);
  capi_write_listing(st, "", path);
  tm_statistics_free(st);
  tm_snapshot_free(kept);
}
