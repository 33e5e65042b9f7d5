/* Prints the traceback of a block, oldest frame first, as "  file:line",
 * with the file's directory stripped so checks don't depend on paths. */
#include <stdio.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

static void print_traceback(const char *label, const void *block) {
  tm_frame frames[128];
  int total = -1;
  int n = tm_get_object_traceback(block, frames, 128, &total);
  printf("%s: frames=%d total=%d\n", label, n, total);
  for (int i = 0; i < n; i++) {
    const char *slash = strrchr(frames[i].filename, '/');
    printf("  %s:%u\n", slash ? slash + 1 : frames[i].filename, (unsigned)frames[i].lineno);
  }
}
