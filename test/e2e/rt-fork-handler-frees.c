// A fork handler that runs while the runtime holds its locks for the fork
// (registered before the runtime's, static runtime) frees a traced block:
// no deadlock, and the block's trace goes, in the parent and in the child.
// RUN: %clang -O2 -shared -fPIC %S/Inputs/rt_atfork_free_lib.c -o %t.atfork-free.so
// RUN: env TM_CLANG_STATIC=1 %tmcc -O1 -g %s %t.atfork-free.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=1 timeout 60 %t | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tracemalloc/tracemalloc.h>

void keep_block(size_t size);

static size_t traced_now(void) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  return current;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  keep_block(5000);
  printf("before fork: %zu\n", traced_now());
  pid_t child = fork();
  if (child == 0) _exit(traced_now() == 0 ? 0 : 1);
  int status = 0;
  waitpid(child, &status, 0);
  printf("child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  printf("parent traced: %zu\n", traced_now());
  return 0;
}
// CHECK: before fork: 5000
// CHECK-NEXT: child: 0
// CHECK-NEXT: parent traced: 0
