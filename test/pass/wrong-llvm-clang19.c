// The plugin is linked with -z now: loaded into the clang of another LLVM
// major it is refused at load time with a clear message, not mid-compile.
// REQUIRES: llvm-14
// RUN: not /usr/lib/llvm-19/bin/clang -fpass-plugin=%plugin -c %s -o %t.o 2>&1 | FileCheck %s
// CHECK: error: unable to load plugin '{{.*}}TraceMallocPass.so'{{.*}}undefined symbol
int unused;
