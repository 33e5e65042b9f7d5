#include <stdlib.h>

/* util.c */



  return malloc(size);
