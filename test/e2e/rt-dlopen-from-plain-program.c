// A program built without the runtime dlopens (RTLD_NOW and RTLD_LAZY) a
// library built by the wrappers, which brings libtracemalloc.so with it.
// Under TRACEMALLOC=1 the program runs exactly as untraced, blocks crossing
// between the library and the program both ways; the runtime, which is not
// the process's malloc then, says so once, with how to run the program.
// Preloaded, the runtime is the process's malloc: nothing to say, and the
// library's blocks are traced with their lines.
// RUN: %tmcc -O1 -g -shared -fPIC %S/Inputs/rt_instrumented_lib.c -o %t.lib.so
// RUN: %clang -O1 %S/Inputs/dlopen_main.c -o %t
// RUN: %t %t.lib.so now > %t.untraced
// RUN: env TRACEMALLOC=1 %t %t.lib.so now > %t.now 2> %t.now.err
// RUN: diff %t.untraced %t.now
// RUN: FileCheck %s --check-prefix=WARN < %t.now.err
// RUN: env TRACEMALLOC=1 %t %t.lib.so lazy > %t.lazy 2> %t.lazy.err
// RUN: diff %t.untraced %t.lazy
// RUN: FileCheck %s --check-prefix=WARN < %t.lazy.err
// RUN: env TRACEMALLOC=5 LD_PRELOAD=%tmlibdir/libtracemalloc.so TRACEMALLOC_DUMP=%t.tmd \
// RUN:   %t %t.lib.so now > %t.preloaded 2> %t.preloaded.err
// RUN: diff %t.untraced %t.preloaded
// RUN: count 0 < %t.preloaded.err
// RUN: %tm-report top --limit 0 %t.tmd | FileCheck %s --check-prefix=TRACED
// WARN: tracemalloc: the program's malloc and free are libc's, not the runtime's (it was not linked with the runtime): blocks freed by code built without the pass keep their traces; build the executable with tm-clang, or run it with LD_PRELOAD={{/.*}}/libtracemalloc.so
// WARN-NOT: tracemalloc:

// The library's blocks freed by the program leave no trace: only the one
// the program keeps is there.
// TRACED: rt_instrumented_lib.c:6: size=16 B, count=1, average=16 B
