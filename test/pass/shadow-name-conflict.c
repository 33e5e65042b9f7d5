// __tm_shadow_stack is reserved for the runtime.  A module that defines it
// as something other than a thread-local variable gets a one-line error,
// not a crash or a renamed (and never defined) second declaration.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | not %tmopt -S -o /dev/null 2>&1 | FileCheck %s
// RUN: not %clang -fpass-plugin=%plugin -O0 -c %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: error: tracemalloc: '__tm_shadow_stack' is defined in {{.*}} but is not a thread_local variable (the name is reserved for the runtime's shadow stack)
int __tm_shadow_stack;
int callee(int);
int caller(int x) { return callee(x); }
