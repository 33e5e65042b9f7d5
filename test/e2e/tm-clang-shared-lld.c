// -shared -fPIC and -fuse-ld=lld: the library is linked with lld and the
// runtime, and so is the program; the library's allocations are traced
// with its own lines under the program's.
// REQUIRES: lld
// RUN: %tmcc -O1 -g -shared -fPIC -fuse-ld=lld %S/Inputs/rt_instrumented_lib.c -o %t.lib.so
// RUN: llvm-readelf --dynamic-table %t.lib.so | FileCheck %s --check-prefix=NEEDED
// RUN: %tmcc -O0 -g -fuse-ld=lld %s %t.lib.so -o %t
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --key-type traceback %t.tmd | FileCheck %s
#include <stdlib.h>

char *lib_copy(const char *text);
void *kept;

int main(void) {
  kept = lib_copy("0123456789abcdef");
  return 0;
}
// NEEDED: (NEEDED) Shared library: [libtracemalloc.so]
// CHECK: [ Top 1 ]
// CHECK-NEXT: tm-clang-shared-lld.c:16: size=17 B, count=1, average=17 B
// CHECK-NEXT:   File "{{.*}}tm-clang-shared-lld.c", line 16
// CHECK-NEXT:     kept = lib_copy("0123456789abcdef");
// CHECK-NEXT:   File "{{.*}}rt_instrumented_lib.c", line 6
// CHECK-NEXT:     char *lib_copy(const char *text) { return strdup(text); }
