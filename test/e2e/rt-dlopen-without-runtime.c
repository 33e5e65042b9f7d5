// A library compiled with the pass but linked without the runtime (plain
// clang -shared) loads, with RTLD_NOW and RTLD_LAZY, in a program that has
// no runtime either, and works: its allocations go to the plain allocator,
// its frames to a ring nobody reads; it prints the same as the library
// compiled without the pass, and the tracer says nothing.  Preloaded, the
// runtime is there and the library's allocations are traced.
// RUN: %tmcc -O1 -g -fPIC -c %S/Inputs/rt_instrumented_lib.c -o %t.lib.o
// RUN: llvm-nm %t.lib.o | FileCheck %s --check-prefix=WEAK
// RUN: %clang -shared %t.lib.o -o %t.lib.so
// RUN: %clang -O1 -fPIC -shared %S/Inputs/rt_instrumented_lib.c -o %t.plain.so
// RUN: %clang -O1 %S/Inputs/dlopen_main.c -o %t
// RUN: %t %t.plain.so now > %t.expected
// RUN: %t %t.lib.so now > %t.now 2>&1
// RUN: diff %t.expected %t.now
// RUN: %t %t.lib.so lazy > %t.lazy 2>&1
// RUN: diff %t.expected %t.lazy
// RUN: env TRACEMALLOC=1 %t %t.lib.so now > %t.traced 2>&1
// RUN: diff %t.expected %t.traced
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd LD_PRELOAD=%tmlibdir/libtracemalloc.so \
// RUN:   %t %t.lib.so lazy > %t.preloaded
// RUN: diff %t.expected %t.preloaded
// RUN: %tm-report top --limit 0 %t.tmd | FileCheck %s --check-prefix=TRACED
// WEAK: w __tm_calloc
// WEAK: w __tm_free
// WEAK: w __tm_malloc
// WEAK: w __tm_realloc
// WEAK: w __tm_register_module
// WEAK: w __tm_shadow_stack
// WEAK: w __tm_strdup
// TRACED: rt_instrumented_lib.c:6: size=16 B, count=1, average=16 B
