// End to end through clang -fpass-plugin at -O0 and -O2 (compile only; the
// runtime is linked elsewhere): a recursive function pushes a frame and
// stores its call site before recursing, the object references the runtime's
// __tm_shadow_stack, and every access is initial-exec (GOTTPOFF), never
// local-exec (TPOFF32), which could not reach a shared runtime's TLS.
// RUN: %clang -fpass-plugin=%plugin -g -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang -fpass-plugin=%plugin -g -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// RUN: %clang -fpass-plugin=%plugin -g -O0 -c %s -o %t.O0.o
// RUN: llvm-nm %t.O0.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: llvm-readelf -r %t.O0.o | FileCheck %s --check-prefix=RELOCS --implicit-check-not=TPOFF32
// RUN: %clang -fpass-plugin=%plugin -O2 -c %s -o %t.O2.o
// RUN: llvm-nm %t.O2.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: llvm-readelf -r %t.O2.o | FileCheck %s --check-prefix=RELOCS --implicit-check-not=TPOFF32
// RUN: %clang -fpass-plugin=%plugin -fPIC -O2 -c %s -o %t.pic.o
// RUN: llvm-readelf -r %t.pic.o | FileCheck %s --check-prefix=RELOCS --implicit-check-not=TPOFF32
#include <stdlib.h>

struct node {
  struct node *left, *right;
};

struct node *build(int depth) {
  if (depth == 0)
    return NULL;
  struct node *n = malloc(sizeof *n);
  n->left = build(depth - 1);
  n->right = build(depth - 1);
  return n;
}

// IR-LABEL: define {{.*}} @build(
// IR: load i64, {{.*}}@__tm_shadow_stack
// IR: call {{.*}}@__tm_malloc(
// IR: store {{.*}}@__tm_site
// IR-NEXT: call {{.*}}@build(

// SYMBOLS-DAG: U __tm_malloc
// SYMBOLS-DAG: U __tm_register_module
// SYMBOLS-DAG: U __tm_shadow_stack

// RELOCS: R_X86_64_GOTTPOFF {{.*}} __tm_shadow_stack
