// Site records hold offsets that the static linker resolves, not pointers:
// neither a position-independent executable nor a shared library needs a
// dynamic relocation into __tm_sites (each would add 24 bytes of .rela.dyn
// and a write at every start); the records' 32-bit offsets are PC-relative
// relocations that the static linker fills.  The records here cover every field that
// refers elsewhere: strings, and the parent of an inlined frame.  The
// table of pointers in a section of its own shows that the check sees
// relocations where there are some.
// RUN: %tmcc -O1 -g -fPIE -pie %s -o %t
// RUN: llvm-readelf --wide --sections --relocations %t | %python %S/Inputs/relocations_into.py __tm_sites tm_pointer_table | FileCheck %s
// RUN: %tmcc -O1 -g -fPIC -shared %s -o %t.so
// RUN: llvm-readelf --wide --sections --relocations %t.so | %python %S/Inputs/relocations_into.py __tm_sites tm_pointer_table | FileCheck %s
// With -flto the records reach the link-time optimiser as bitcode.
// RUN: %tmcc -O2 -g -flto -fPIE -pie %s -o %t.lto
// RUN: llvm-readelf --wide --sections --relocations %t.lto | %python %S/Inputs/relocations_into.py __tm_sites tm_pointer_table | FileCheck %s
// RUN: %tmcc -O2 -g -flto=thin -fPIE -pie %s -o %t.thin
// RUN: llvm-readelf --wide --sections --relocations %t.thin | %python %S/Inputs/relocations_into.py __tm_sites tm_pointer_table | FileCheck %s
// CHECK: __tm_sites: 0 relocations
// CHECK-NEXT: tm_pointer_table: 2 relocations
#include <stdlib.h>
#include <string.h>

__attribute__((section("tm_pointer_table"), used)) static const char *const pointer_table[] = {"one", "two"};

void *volatile kept;

static inline __attribute__((always_inline)) char *copied(const char *text) {
  return strdup(text);
}

__attribute__((noinline)) void *make(size_t size) {
  kept = copied("text");
  return malloc(size);
}

int main(int argc, char **argv) {
  (void)argv;
  free(make((size_t)argc));
  free(kept);
  return 0;
}
