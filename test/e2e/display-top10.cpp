// The "Display the top 10" example of CPython's tracemalloc documentation, in C++: start(), run, take a
// snapshot in process, print statistics('lineno')[:10] under "[ Top 10 ]".
// Eleven allocation lines with distinct sizes, so the 11th (smallest) is cut.
// RUN: %tmcxx -std=c++17 -O1 -g %s -o %t
// RUN: %t | FileCheck %s
#include <cstdio>
#include <cstdlib>
#include <tracemalloc/tracemalloc.hpp>

void *keep[64];
int n;

// Several calls on one line are one statistic: count adds up.
static void many() { for (int i = 0; i < 5; i++) keep[n++] = std::malloc(100); }

int main() {
  tracemalloc::start();

  // ... run your application ...
  keep[n++] = std::malloc(10);
  keep[n++] = std::malloc(20);
  keep[n++] = std::malloc(30);
  keep[n++] = std::malloc(40);
  keep[n++] = std::malloc(50);
  keep[n++] = std::malloc(60);
  keep[n++] = std::malloc(70);
  keep[n++] = std::malloc(80);
  keep[n++] = std::malloc(90);
  keep[n++] = new char[200000];
  many();

  tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  std::vector<tracemalloc::Statistic> top_stats = snapshot.statistics(tracemalloc::KeyType::Lineno);

  std::printf("[ Top 10 ]\n");
  for (size_t i = 0; i < top_stats.size() && i < 10; i++)
    std::printf("%s\n", top_stats[i].str().c_str());
  std::printf("total statistics: %zu\n", top_stats.size());
}
// CHECK: [ Top 10 ]
// CHECK-NEXT: {{.*}}display-top10.cpp:29: size=195 KiB, count=1, average=195 KiB
// CHECK-NEXT: {{.*}}display-top10.cpp:14: size=500 B, count=5, average=100 B
// CHECK-NEXT: {{.*}}display-top10.cpp:28: size=90 B, count=1, average=90 B
// CHECK-NEXT: {{.*}}display-top10.cpp:27: size=80 B, count=1, average=80 B
// CHECK-NEXT: {{.*}}display-top10.cpp:26: size=70 B, count=1, average=70 B
// CHECK-NEXT: {{.*}}display-top10.cpp:25: size=60 B, count=1, average=60 B
// CHECK-NEXT: {{.*}}display-top10.cpp:24: size=50 B, count=1, average=50 B
// CHECK-NEXT: {{.*}}display-top10.cpp:23: size=40 B, count=1, average=40 B
// CHECK-NEXT: {{.*}}display-top10.cpp:22: size=30 B, count=1, average=30 B
// CHECK-NEXT: {{.*}}display-top10.cpp:21: size=20 B, count=1, average=20 B
// CHECK-NEXT: total statistics: 11
