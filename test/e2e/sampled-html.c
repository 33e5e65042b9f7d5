// The HTML report of a sampled dump says so in its summary, with the rate.
// REQUIRES: html-page
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_SAMPLE=4096 TRACEMALLOC_SAMPLE_SEED=3 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report html %t.tmd -o %t.html
// RUN: grep -o '\["Sampled","1 in 4,096 bytes: every figure is an estimate"\]' %t.html | count 1
#include <stdlib.h>

void *keep[4000];

int main(void) {
  for (int i = 0; i < 4000; ++i) keep[i] = malloc(100 + (size_t)(i % 3) * 300);
  return 0;
}
