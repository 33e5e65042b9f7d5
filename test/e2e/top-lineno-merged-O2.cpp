// At -O2 clang merges the two branches' identical malloc calls into one and
// gives it line 0.  The report names the nearest known line of the same
// scope instead, the `if` that chooses between the branches, with its
// source; no frame says line 0.
// RUN: %tmcxx -O2 -g %s -o %t
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --key-type traceback %t.tmd | FileCheck %s
#include <cstdlib>

struct Node {
  int kind;
  void *payload;
};
Node node;
void *volatile sink;

__attribute__((noinline)) void *make(Node *n, int big) {
  if (big) {
    n->kind = 1;
    n->payload = std::malloc(64);
  } else {
    n->kind = 2;
    n->payload = std::malloc(64);
  }
  return n->payload;
}

int main(int argc, char **) {
  sink = make(&node, argc > 1);
  return 0;
}
// CHECK: size=64 B, count=1, average=64 B
// CHECK-NEXT: File "{{.*}}top-lineno-merged-O2.cpp", line 29
// CHECK-NEXT: sink = make(&node, argc > 1);
// CHECK-NEXT: File "{{.*}}top-lineno-merged-O2.cpp", line 18
// CHECK-NEXT: if (big) {
// CHECK-NOT: line 0
