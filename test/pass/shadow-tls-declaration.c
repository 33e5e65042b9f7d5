// The shadow stack is the runtime's { uintptr_t depth; const tm_site
// *ring[64]; }, referenced as an external thread_local(initialexec) global
// and never dso_local (the runtime may be a shared library; a dso_local TLS
// symbol would be accessed local-exec), whatever the relocation model.
// RUN: %clang -fPIC -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
// RUN: %clang -fPIE -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
// RUN: %clang -fno-pic -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
int callee(int);

// CHECK: {{^}}@__tm_shadow_stack = external thread_local(initialexec) global { i64, [64 x {{i8\*|ptr}}] }{{$}}
// CHECK-NOT: @__tm_shadow_stack{{.*}} = 
int caller(int x) { return callee(x); }
