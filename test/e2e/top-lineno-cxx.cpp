// operator new, new[] and delete in C++ at -O2: live blocks are reported at
// their `new` lines; deleted ones are gone from the report.
// RUN: %tmcxx -O2 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s
#include <cstdint>

struct Node {
  std::uint64_t payload[8];
  Node *next;
};

Node *volatile head;
char *volatile buffer;

int main() {
  for (int i = 0; i < 50; i++) {
    Node *n = new Node();
    n->next = head;
    head = n;
  }
  buffer = new char[4096];
  for (int i = 0; i < 20; i++) {
    char *tmp = new char[100];
    tmp[0] = 1;
    buffer[i] = tmp[0];
    delete[] tmp;
  }
  return 0;
}
// CHECK: [ Top 2 ]
// CHECK-NEXT: {{.*}}top-lineno-cxx.cpp:22: size=4096 B, count=1, average=4096 B
// CHECK-NEXT: {{.*}}top-lineno-cxx.cpp:18: size=3600 B, count=50, average=72 B
// CHECK-EMPTY:
