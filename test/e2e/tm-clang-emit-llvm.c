// -S, -S -emit-llvm and -c -emit-llvm write instrumented code (the pass
// runs before the output is written) and link nothing: no runtime on the
// command line, nothing for the compiler to warn about.
// RUN: %tmcc -O1 -S -emit-llvm %s -o %t.ll 2>&1 | count 0
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %tmcc -O1 -c -emit-llvm %s -o %t.bc 2>&1 | count 0
// RUN: llvm-dis %t.bc -o - | FileCheck %s --check-prefix=IR
// RUN: %tmcc -O1 -S %s -o %t.s 2>&1 | count 0
// RUN: FileCheck %s --check-prefix=ASM < %t.s
#include <stdlib.h>

void *make(size_t size) { return malloc(size); }
// IR: call {{.*}}@__tm_malloc(
// IR: @__tm_register_module(
// ASM: __tm_malloc
