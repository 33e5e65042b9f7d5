// The wrappers read response files (@file) for the options that decide
// what they add: -c inside one compiles only (no runtime on the command
// line, so the compiler has nothing to warn about), and the object is
// instrumented; a response file that names the inputs links them with the
// runtime, and the program traces.
// RUN: printf '%%s\n' '-c' '"-O1"' '-g' > %t.compile.rsp
// RUN: %tmcc @%t.compile.rsp %s -o %t.o 2>&1 | count 0
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=OBJECT
// RUN: printf '%%s\n' '@%t.compile.rsp' > %t.nested.rsp
// RUN: %tmcc @%t.nested.rsp %s -o %t.nested.o 2>&1 | count 0
// RUN: printf '%%s\n' '%t.o' '-o' '%t' > %t.link.rsp
// RUN: %tmcc @%t.link.rsp 2>&1 | count 0
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s --check-prefix=REPORT
#include <stdlib.h>

void *kept;

int main(void) {
  kept = malloc(4321);
  return 0;
}
// OBJECT: U __tm_malloc
// REPORT: tm-clang-response-file.c:20: size=4321 B, count=1, average=4321 B
