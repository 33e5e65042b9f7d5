// With -flto and -flto=thin the pass runs in the pre-link compile: the
// bitcode already calls the runtime entries, and a throwing new inside try
// is still an invoke.
// RUN: %clangxx -fpass-plugin=%plugin -O2 -flto -c %s -o %t.full.bc
// RUN: llvm-dis %t.full.bc -o - | FileCheck %s
// RUN: %clangxx -fpass-plugin=%plugin -O2 -flto=thin -c %s -o %t.thin.bc
// RUN: llvm-dis %t.thin.bc -o - | FileCheck %s
#include <cstdio>
#include <new>

int *make(int value) {
  try {
    return new int(value);
  } catch (const std::bad_alloc &) {
    std::puts("out of memory");
    return nullptr;
  }
}

// CHECK-LABEL: define {{.*}} @_Z4makei(
// CHECK: invoke {{.*}}@__tm__Znwm(i64 {{.*}}4, {{.*}}@__tm_site
// CHECK-NEXT: to label %{{.*}} unwind label %{{.*}}
