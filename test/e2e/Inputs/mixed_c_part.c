#include <stdlib.h>
#include <string.h>

char *c_side_copy(const char *s) {
  return strdup(s);
}
