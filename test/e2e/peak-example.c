// The "Record the current and peak size" example of CPython's tracemalloc
// documentation, in C: a sum computed with a large temporary array, then with
// a small one.  The documentation's reasoning must hold: after the large sum the peak is far above the current size;
// reset_peak() makes the second peak reflect only the small computation.
// RUN: %tmcc -O1 -g %s -o %t
// RUN: %t | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

static long sum_with_list(long n) {
  long *list = malloc(n * sizeof *list); // the temporary "list(range(n))"
  long s = 0;
  for (long i = 0; i < n; i++)
    list[i] = i;
  for (long i = 0; i < n; i++)
    s += list[i];
  free(list);
  return s;
}

char *keep1, *keep2;

int main(void) {
  tm_start(1);

  long large_sum = sum_with_list(100000);
  keep1 = malloc(664); // what stays allocated after the computation
  size_t first_size, first_peak;
  tm_get_traced_memory(&first_size, &first_peak);

  tm_reset_peak();

  long small_sum = sum_with_list(1000);
  keep2 = malloc(140);
  size_t second_size, second_peak;
  tm_get_traced_memory(&second_size, &second_peak);

  printf("sums %ld %ld\n", large_sum, small_sum);
  printf("first_size=%zu, first_peak=%zu\n", first_size, first_peak);
  printf("second_size=%zu, second_peak=%zu\n", second_size, second_peak);
  printf("peak above current after large: %d\n", first_peak > first_size);
  printf("reset_peak lowered the peak: %d\n", second_peak < first_peak);
  return 0;
}
// CHECK: sums 4999950000 499500
// The large temporary (800000 B) was freed before keep1 was allocated.
// CHECK-NEXT: first_size=664, first_peak=800000
// CHECK-NEXT: second_size=804, second_peak=8664
// CHECK-NEXT: peak above current after large: 1
// CHECK-NEXT: reset_peak lowered the peak: 1
