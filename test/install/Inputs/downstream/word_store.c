/* Keeps eight words and one table: the report names these lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

/* volatile: the optimiser must not drop blocks that nothing reads. */
static char *volatile words[8];
static char *volatile table;

int main(void) {
  for (int i = 0; i < 8; i++) {
    words[i] = malloc(1000);
    memset(words[i], 'a' + i, 1000);
  }
  table = calloc(50000, 1);
  printf("tracing=%d\n", tm_is_tracing());
  return 0;
}
