// A fork handler registered before the runtime's (by a library constructor)
// runs while the runtime holds its locks for the fork, and allocates: the
// allocation must not deadlock, and tracing goes on in parent and child.
// RUN: %clang -O2 -shared -fPIC %S/Inputs/rt_atfork_lib.c -o %t.atfork.so
// RUN: env TM_CLANG_STATIC=1 %tmcc -O1 -g %s %t.atfork.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=1 timeout 60 %t | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tracemalloc/tracemalloc.h>

void *volatile block;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t child = fork();
  if (child == 0) {
    block = malloc(77);
    size_t current, peak;
    tm_get_traced_memory(&current, &peak);
    _exit(current == 77 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  block = malloc(88);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("parent traced: %zu\n", current);
  return 0;
}
// CHECK: child: 0
// CHECK-NEXT: parent traced: 88
