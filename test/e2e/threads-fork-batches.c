// fork() while another thread holds traced bytes it has not folded into the
// shared figure: the child, which has only the forking thread, starts with
// the exact figures of the traces it inherits (that thread's bytes
// included) and keeps them exact; the parent's are unchanged.
// RUN: %tmcc -O1 -g %s -o %t -lpthread
// RUN: %t | FileCheck %s
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/batch_worker.h"

enum { kBlocks = 100, kSize = 200 };  // 20000 bytes: below a thread's batch

static void *blocks[kBlocks];
void *volatile mine, *volatile more;

static void *worker(void *arg) {
  (void)arg;
  step();  // tracing started
  for (int i = 0; i < kBlocks; ++i) blocks[i] = malloc(kSize);
  step();
  step();  // forked
  return NULL;
}

int main(void) {
  pthread_t thread = start_worker_then_tracing(worker);
  mine = malloc(1000);
  more = malloc(30000);  // the parent's peak: 31000
  free(more);
  step();
  step();
  pid_t child = fork();
  if (child == 0) {
    show("child");  // the child's peak starts from what it inherits
    more = malloc(50);
    show("child allocated");
    for (int i = 0; i < kBlocks; ++i) free(blocks[i]);  // the other thread's blocks
    free(more);
    show("child freed");
    free(mine);
    show("child empty");
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  show("parent");
  step();
  pthread_join(thread, NULL);
  for (int i = 0; i < kBlocks; ++i) free(blocks[i]);
  free(mine);
  show("parent empty");
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
// CHECK: child: current=21000 peak=21000
// CHECK-NEXT: child allocated: current=21050 peak=21050
// CHECK-NEXT: child freed: current=1000 peak=21050
// CHECK-NEXT: child empty: current=0 peak=21050
// CHECK-NEXT: parent: current=21000 peak=31000
// CHECK-NEXT: parent empty: current=0 peak=31000
