// End to end through clang -fpass-plugin: the pass runs after optimisation
// at -O2 and also at -O0 (where every function is optnone), the object
// compiles, references the runtime entries and carries a __tm_sites section.
// RUN: %clang -fpass-plugin=%plugin -g -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang -fpass-plugin=%plugin -g -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang -fpass-plugin=%plugin -g -O0 -c %s -o %t.O0.o
// RUN: llvm-nm %t.O0.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: llvm-readelf -S %t.O0.o | FileCheck %s --check-prefix=SECTIONS
// RUN: %clang -fpass-plugin=%plugin -O2 -c %s -o %t.O2.o
// RUN: llvm-nm %t.O2.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: llvm-readelf -S %t.O2.o | FileCheck %s --check-prefix=SECTIONS
#include <stdlib.h>
#include <string.h>

char *copy(const char *text) {
  size_t length = strlen(text);
  char *result = malloc(length + 1);
  if (result)
    memcpy(result, text, length + 1);
  return result;
}

// IR-LABEL: define {{.*}} @copy(
// IR: call {{.*}}@__tm_malloc(
// IR: define internal void @__tm_module_ctor()

// SYMBOLS-DAG: U __tm_malloc
// SYMBOLS-DAG: U __tm_register_module
// SECTIONS: __tm_sites
