// Loaded with -fplugin= as well as -fpass-plugin= (as tm-clang does), the
// plugin's options are known to -mllvm: -tracemalloc-shadow-stack=false
// leaves only the allocation's own record, with flags 0.
// RUN: %clang -fplugin=%plugin -fpass-plugin=%plugin -mllvm -tracemalloc-shadow-stack=false \
// RUN:   -O1 -g0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF --implicit-check-not=__tm_shadow_stack
// RUN: %clang -fplugin=%plugin -fpass-plugin=%plugin -mllvm -tracemalloc-shadow-stack=true \
// RUN:   -O1 -g0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=ON
#include <stdlib.h>

int work(int);

// OFF: @[[SITE:__tm_site[.0-9]*]] = private constant {{.*}} i32 0, i16 0, i16 0, i32 0 }, section "__tm_sites"
// OFF: call {{.*}}@__tm_malloc({{.*}}@[[SITE]]{{[ ,)]}}
// ON: @__tm_shadow_stack = external thread_local(initialexec) global
// ON: define {{.*}} @allocates(
// ON: store {{.*}}@__tm_shadow_stack
void *allocates(size_t n) {
  work(1);
  return malloc(n);
}
