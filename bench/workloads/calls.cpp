// Workload 4: call-heavy code that does not allocate.
//
//   calls [fib_n=32] [virtual_calls=50000000] [recursion_depth=20000]
//
// What a shadow stack costs, with nothing to trace: a fib-like recursion (the
// worst case: a tiny function that only calls), small virtual calls through a
// base pointer, and deep non-tail recursion.  The only allocations are the
// few shape objects made before the timed loops.
#include <cstdio>
#include <memory>
#include <vector>

#include "bench_common.h"

static const char kUsage[] = "calls [fib_n] [virtual_calls] [recursion_depth]";

__attribute__((noinline)) static uint64_t fib(uint64_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

// f(d) = f(d - 1) * 31 + d is not an accumulator recursion LLVM can turn into a
// loop, so every level stays a real call.
__attribute__((noinline)) static uint64_t deep(uint64_t depth, uint64_t seed) {
  if (depth == 0) return seed;
  return deep(depth - 1, seed) * 31 + depth;
}

namespace {
struct Shape {
  virtual ~Shape() = default;
  virtual uint64_t area() const = 0;
};
struct Square final : Shape {
  explicit Square(uint64_t side) : side(side) {}
  uint64_t area() const override { return side * side; }
  uint64_t side;
};
struct Rectangle final : Shape {
  Rectangle(uint64_t width, uint64_t height) : width(width), height(height) {}
  uint64_t area() const override { return width * height; }
  uint64_t width, height;
};
struct Triangle final : Shape {
  Triangle(uint64_t base, uint64_t height) : base(base), height(height) {}
  uint64_t area() const override { return base * height / 2; }
  uint64_t base, height;
};
}  // namespace

int main(int argc, char **argv) {
  const uint64_t fib_n = bench_count_arg(argc, argv, 1, 32, kUsage);
  const uint64_t virtual_calls = bench_count_arg(argc, argv, 2, 50000000, kUsage);
  const uint64_t recursion_depth = bench_count_arg(argc, argv, 3, 20000, kUsage);
  if (fib_n > 60) {
    std::fprintf(stderr, "%s: fib_n %llu too large (at most 60)\n", argv[0],
                 static_cast<unsigned long long>(fib_n));
    return 2;
  }

  uint64_t rng = 0x13198A2E03707344ULL;
  std::vector<std::unique_ptr<Shape>> shapes;
  for (int i = 0; i < 64; i++) {
    const uint64_t a = bench_next_random(&rng) % 100 + 1, b = bench_next_random(&rng) % 100 + 1;
    switch (i % 3) {
      case 0:
        shapes.push_back(std::make_unique<Square>(a));
        break;
      case 1:
        shapes.push_back(std::make_unique<Rectangle>(a, b));
        break;
      default:
        shapes.push_back(std::make_unique<Triangle>(a, b));
        break;
    }
  }

  uint64_t checksum = fib(fib_n);
  for (uint64_t i = 0; i < virtual_calls; i++)
    checksum += shapes[(i * 0x9E3779B9u >> 7) & 63]->area();
  // Repeated so the deep recursion weighs about as much as the other parts.
  for (uint64_t round = 0; round < 200; round++) checksum ^= deep(recursion_depth, round);

  std::printf("calls checksum=%llu\n", static_cast<unsigned long long>(checksum));
  return 0;
}
