// A C file and a C++ file instrumented separately and linked into one
// program: both files' allocation lines appear in one report.
// RUN: %tmcc -O2 -g -c %S/Inputs/mixed_c_part.c -o %t.c.o
// RUN: %tmcxx -O2 -g -c %s -o %t.cpp.o
// RUN: %tmcxx %t.c.o %t.cpp.o -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s
#include <vector>

extern "C" char *c_side_copy(const char *s);

char *volatile copy;
std::vector<long> *volatile numbers;

int main() {
  copy = c_side_copy("twelve bytes");
  numbers = new std::vector<long>(1000);
  return 0;
}
// CHECK: [ Top 3 ]
// The vector's buffer is allocated in libstdc++'s inline code (new_allocator.h),
// instrumented because it is inlined into this file.
// CHECK-NEXT: {{.*}}new_allocator.h:{{[0-9]+}}: size=8000 B, count=1, average=8000 B
// CHECK-NEXT: {{.*}}mixed-c-and-cxx.cpp:17: size=24 B, count=1, average=24 B
// CHECK-NEXT: {{.*}}mixed_c_part.c:5: size=13 B, count=1, average=13 B
// CHECK-EMPTY:
