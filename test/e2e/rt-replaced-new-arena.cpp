// A program whose global operator new hands out memory of its own (an arena
// in pages it maps, the first object at the very start of a mapping with an
// unmapped page before it) keeps every byte it owns: the runtime neither
// reads nor writes in front of such blocks, and still traces each one at
// its new-expression, exactly once.
// RUN: %clangxx -O2 -shared -fPIC %S/Inputs/rt_arena_new.cpp -o %t.arena.so
// RUN: %tmcxx -O0 -g %s %t.arena.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
// RUN: %tmcxx -O2 -g %s %t.arena.so -Wl,-rpath,%T -o %t2
// RUN: env TRACEMALLOC=1 %t2 | FileCheck %s
#include <cstdio>
#include <cstring>
#include <tracemalloc/tracemalloc.h>

struct Pattern {
  unsigned char bytes[48];
};

// Kept in volatile globals so that -O2 elides no new/delete pair.
Pattern *volatile a, *volatile b, *volatile c;

static int filled_with(Pattern *p, unsigned char value) {
  int same = 1;
  for (unsigned char byte : p->bytes) same &= byte == value;
  return same;
}

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);  // no stdio buffer among the traces
  a = new Pattern;  // at the start of the mapping
  const unsigned a_line = __LINE__ - 1;
  std::memset(a->bytes, 0xab, sizeof a->bytes);
  b = new Pattern;  // right behind a's bytes
  c = new Pattern;  // right behind b's
  std::memset(c->bytes, 0xcd, sizeof c->bytes);
  delete b;  // a no-op for the arena: b's neighbours keep their bytes
  std::printf("bytes intact: %d\n", filled_with(a, 0xab) && filled_with(c, 0xcd));
  size_t current = 0, peak = 0;
  tm_get_traced_memory(&current, &peak);
  std::printf("traced: %zu peak: %zu\n", current, peak);
  tm_frame frame;
  std::printf("a traced at its line: %d\n",
              tm_get_object_traceback(a, &frame, 1, nullptr) == 1 && frame.lineno == a_line);
  std::printf("b traced: %d\n", tm_get_object_traceback(b, &frame, 1, nullptr));
  delete a;
  delete c;
  tm_get_traced_memory(&current, &peak);
  std::printf("after deletes: %zu\n", current);
  return 0;
}
// CHECK: bytes intact: 1
// CHECK-NEXT: traced: 96 peak: 144
// CHECK-NEXT: a traced at its line: 1
// CHECK-NEXT: b traced: -1
// CHECK-NEXT: after deletes: 0
