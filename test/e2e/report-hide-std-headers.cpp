// In C++ the most recent frame of a trace is often a standard-library header
// (the allocator's `new`): `tm-report top` names bits/new_allocator.h, and
// `--hide 'bits/'` names the user's line that grew the container.
// RUN: %tmcxx -O0 -g %s -o %t
// RUN: env TRACEMALLOC=16 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --limit 1 %t.tmd | FileCheck %s --check-prefix=DEFAULT
// RUN: %tm-report top --limit 1 --hide 'bits/' %t.tmd | FileCheck %s --check-prefix=HIDDEN
#include <vector>

// HIDDEN: [ Top 1 ]

std::vector<long> *volatile numbers;

int main() {
  numbers = new std::vector<long>;
  for (long i = 0; i < 100000; i++)
    numbers->push_back(i); // HIDDEN-NEXT: report-hide-std-headers.cpp:[[@LINE]]: size=1024 KiB, count=1
  return 0;
}
// DEFAULT: [ Top 1 ]
// DEFAULT-NEXT: {{.*}}bits/new_allocator.h:{{[0-9]+}}: size=1024 KiB, count=1
