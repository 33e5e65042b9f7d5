// Each replaceable operator new may be replaced alone: a program that
// replaces only the nothrow one (an arena after an unreadable page) keeps
// working, its blocks are traced at their new-expressions, and the plain
// operator new's blocks still are too.
// RUN: %clangxx -O2 -shared -fPIC %S/Inputs/rt_arena_nothrow_new.cpp -o %t.nothrow.so
// RUN: %tmcxx -O1 -g %s %t.nothrow.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include <cstdio>
#include <new>
#include <tracemalloc/tracemalloc.h>

struct Object {
  char bytes[32];
};

Object *volatile from_arena, *volatile from_malloc;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  from_arena = new (std::nothrow) Object;
  from_malloc = new Object;
  size_t current = 0, peak = 0;
  tm_get_traced_memory(&current, &peak);
  std::printf("traced: %zu\n", current);
  tm_frame frame;
  std::printf("arena block traced: %d\n", tm_get_object_traceback(from_arena, &frame, 1, nullptr));
  delete from_malloc;
  operator delete(from_arena, std::nothrow);
  tm_get_traced_memory(&current, &peak);
  std::printf("traced at the end: %zu\n", current);
  return 0;
}
// CHECK: traced: 64
// CHECK-NEXT: arena block traced: 1
// CHECK-NEXT: traced at the end: 0
