// tm-clang loads the plugin with -fplugin= and -fpass-plugin=, so that
// -mllvm -tracemalloc-... options work, and passes TM_CLANG_NO_SHADOW_STACK=1
// on as -mllvm -tracemalloc-shadow-stack=false where it compiles; a link of
// objects alone gets no -mllvm (clang would warn that it is unused).
// RUN: env TM_CLANG_DEBUG=1 TM_CLANG_NO_SHADOW_STACK=1 %tmcc -c %s -o %t.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COMPILE
// RUN: env TM_CLANG_DEBUG=1 TM_CLANG_NO_SHADOW_STACK=1 %tmcc %t.o -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=LINK --implicit-check-not=warning
// RUN: %tmcc -mllvm -tracemalloc-shadow-stack=false -c %s -o %t.user.o 2>&1 \
// RUN:   | FileCheck %s --check-prefix=USER --allow-empty --implicit-check-not=warning --implicit-check-not=error
// RUN: %t
// COMPILE: tm-c: {{.*}} -mllvm -tracemalloc-shadow-stack=false -fplugin={{[^ ]*}}TraceMallocPass.so -fpass-plugin={{[^ ]*}}TraceMallocPass.so
// LINK: tm-c:
// LINK-NOT: tracemalloc-shadow-stack
// USER-NOT: Unknown command line argument
#include <stdlib.h>

int main(void) {
  free(malloc(1));
  return 0;
}
