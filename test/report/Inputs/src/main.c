/* main.c: the program whose snapshot basic.json and later.json describe */
#include <stdlib.h>

int main(void) {





  struct node *root = parse_all();









  char *buf = util_buffer(1 << 20);









  char *name = malloc(24);
}
