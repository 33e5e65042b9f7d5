// A function that has an allocator's name but not its prototype is not
// rewritten: TargetLibraryInfo rejects malloc(int), and the pass's own
// table (for names TargetLibraryInfo does not know) rejects pvalloc(int).
// RUN: %clang -w -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not=@__tm_malloc --implicit-check-not=@__tm_pvalloc
int malloc(int);
int pvalloc(int);

// CHECK-LABEL: define {{.*}} @same_names(
// CHECK: call i32 @malloc(i32
// CHECK: call i32 @pvalloc(i32
int same_names(int n) { return malloc(n) + pvalloc(n); }
