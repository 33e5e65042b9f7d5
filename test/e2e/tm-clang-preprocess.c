// In the modes that only preprocess (-E, -M, -MM) and with -MD -MF, the
// wrappers write exactly what the compiler writes, the API's headers found
// in the wrappers' include directory; nothing more on stdout or stderr.
// RUN: %tmcc -E %s > %t.tm.i 2> %t.tm.err
// RUN: %clang -I%tminclude -E %s > %t.i
// RUN: cmp %t.tm.i %t.i
// RUN: count 0 < %t.tm.err
// RUN: env TM_CLANG_NO_SHADOW_STACK=1 %tmcc -E %s > %t.tm.noshadow.i 2>&1
// RUN: cmp %t.tm.noshadow.i %t.i
// RUN: %tmcc -M %s > %t.tm.M 2>&1
// RUN: %clang -I%tminclude -M %s > %t.M
// RUN: cmp %t.tm.M %t.M
// RUN: %tmcc -MM %s > %t.tm.MM 2>&1
// RUN: %clang -I%tminclude -MM %s > %t.MM
// RUN: cmp %t.tm.MM %t.MM
// RUN: FileCheck %s --check-prefix=DEPS < %t.tm.MM
// The same with the compiler reading its standard input.
// RUN: %tmcc -E -x c - < %s > %t.tm.stdin.i 2>&1
// RUN: %clang -I%tminclude -E -x c - < %s > %t.stdin.i
// RUN: cmp %t.tm.stdin.i %t.stdin.i
// -MD -MF: the object is instrumented, the dependencies are the compiler's.
// RUN: %tmcc -MD -MF %t.tm.d -c %s -o %t.o 2>&1 | count 0
// RUN: %clang -I%tminclude -MD -MF %t.d -c %s -o %t.plain.o
// RUN: sed 's|^[^:]*:||' %t.tm.d > %t.tm.deps
// RUN: sed 's|^[^:]*:||' %t.d > %t.deps
// RUN: cmp %t.tm.deps %t.deps
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=OBJECT
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

#define SIZE 64

void *make(void) { return malloc(SIZE); }
int tracing(void) { return tm_is_tracing(); }
// DEPS: tm-clang-preprocess.o: {{.*}}tm-clang-preprocess.c
// DEPS: tracemalloc/tracemalloc.h
// OBJECT: U __tm_malloc
