// A program that replaces global operator new/delete (calling malloc/free
// itself) keeps working; each block is traced once, at the new-expression;
// std::bad_alloc propagates from the replaced operator and from foreign
// code, and nothrow new returns NULL, leaving no trace.
// RUN: %clangxx -O2 -shared -fPIC %S/Inputs/rt_plain_new.cpp -o %t.plain.so
// RUN: %tmcxx -O0 -g %s %t.plain.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=2 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s
// RUN: %tm-report top --key-type traceback %t.tmd | FileCheck %s --check-prefix=REPORT
// RUN: %tmcxx -O2 -g %s %t.plain.so -Wl,-rpath,%T -o %t2
// RUN: env TRACEMALLOC=1 %t2 | FileCheck %s
#include <cstdio>
#include <cstdlib>
#include <new>
#include <tracemalloc/tracemalloc.h>

char *plain_new_array(std::size_t size);
char *plain_new_nothrow(std::size_t size);
void plain_delete_array(char *block);

static unsigned long replaced_news, replaced_deletes;

void *operator new(std::size_t size) {
  ++replaced_news;
  if (void *block = std::malloc(size ? size : 1)) return block;
  throw std::bad_alloc();
}
void operator delete(void *block) noexcept {
  if (block) ++replaced_deletes;
  std::free(block);
}
void operator delete(void *block, std::size_t) noexcept { operator delete(block); }

static std::size_t current() {
  std::size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  return now;
}

struct Node {
  long payload[5];
};
Node *volatile kept;
volatile std::size_t huge = ~std::size_t(0) / 4;

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  kept = new Node;
  Node *volatile temporary = new Node; // volatile: -O2 may elide a new/delete pair
  std::printf("replaced new called: %lu, traced: %zu\n", replaced_news, current());
  delete temporary;
  std::printf("after delete: %zu, replaced delete called: %lu\n", current(), replaced_deletes);
  try {
    Node *never = new Node[huge / sizeof(Node)];
    std::printf("not thrown %p\n", static_cast<void *>(never));
  } catch (const std::bad_alloc &) {
    std::printf("instrumented: caught bad_alloc, traced: %zu\n", current());
  }
  bool caught = false;
  try {
    char *never = plain_new_array(huge);
    std::printf("not thrown %p\n", static_cast<void *>(never));
  } catch (const std::bad_alloc &) {
    // The exception object is a live (foreign) block until the catch ends.
    caught = current() > 40;
  }
  std::printf("foreign: caught bad_alloc %d, traced: %zu\n", caught, current());
  char *nothing = plain_new_nothrow(huge);
  std::printf("foreign nothrow: %s, traced: %zu\n", nothing ? "non-null" : "null", current());
  char *small = plain_new_array(24);
  std::printf("foreign new: %zu\n", current());
  plain_delete_array(small);
  std::printf("foreign delete: %zu\n", current());
  return 0;
}
// CHECK: replaced new called: 2, traced: 80
// CHECK-NEXT: after delete: 40, replaced delete called: 1
// CHECK-NEXT: instrumented: caught bad_alloc, traced: 40
// CHECK-NEXT: foreign: caught bad_alloc 1, traced: 40
// CHECK-NEXT: foreign nothrow: null, traced: 40
// CHECK-NEXT: foreign new: 64
// CHECK-NEXT: foreign delete: 40

// The pass leaves new-expressions alone in a module that defines operator
// new (it is the allocator): the block is traced at the replacement's
// malloc, called from the new-expression.
// REPORT: [ Top 1 ]
// REPORT-NEXT: rt-replaced-new.cpp:{{[0-9]+}}: size=40 B, count=1, average=40 B
// REPORT-NEXT: File "{{.*}}rt-replaced-new.cpp", line 47
// REPORT-NEXT: kept = new Node;
// REPORT-NEXT: File "{{.*}}rt-replaced-new.cpp", line 24
