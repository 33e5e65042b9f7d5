// gtest.hpp - memory limits for GoogleTest tests (library tracemalloc_gtest,
// CMake target TraceMalloc::gtest), like pytest-memray's limit_memory and
// limit_leaks.
//
//   TEST(Cache, StaysSmall) {
//     TRACEMALLOC_LIMIT_MEMORY(1 << 20);  // peak above the start: at most 1 MiB
//     TRACEMALLOC_LIMIT_LEAKS(0);         // nothing allocated here is left live
//     ...
//   }
//
// A limit covers the rest of the enclosing scope (the test body): it is
// checked when that scope ends, after the objects declared below it are
// destroyed.  A failed limit is a non-fatal failure at the macro's line whose
// message lists the biggest sites, one CPython Statistic line each
// ("file.cpp:LINE: size=..., count=..., average=...") with its traceback.
//
// When the program is not tracing, a limit starts tracing with
// kLimitFrames frames and stops it at its end; when it is tracing, the limit
// leaves it running (it does reset the peak, see docs/usage-build.md).  When
// tracing cannot start (a module of another ABI version disabled it), the
// limit prints one note to stderr and passes.
//
// With TRACEMALLOC_GTEST_LEAKS=N in the environment a listener applies
// TRACEMALLOC_LIMIT_LEAKS(N) to every test, fixture included.
#ifndef TRACEMALLOC_GTEST_HPP
#define TRACEMALLOC_GTEST_HPP

#include <gtest/gtest.h>

#include <cstdint>

namespace tracemalloc {
namespace gtest {

// Frames per traceback when a limit starts tracing itself.
constexpr int kLimitFrames = 16;
// Sites listed in a failure message.
constexpr int kLimitSites = 5;

enum class LimitKind {
  // Peak of traced memory during the scope, above its level at the start.
  Memory,
  // Growth of traced memory from the start to the end of the scope, per
  // traceback (only the tracebacks that grew count, and only those with a
  // frame in instrumented code).
  Leaks,
};

class Measurement;

// One limit on the rest of the enclosing scope; what the macros declare.
class ScopedLimit {
 public:
  ScopedLimit(LimitKind kind, uint64_t limit, const char *file, int line);
  ~ScopedLimit();
  ScopedLimit(const ScopedLimit &) = delete;
  ScopedLimit &operator=(const ScopedLimit &) = delete;

 private:
  Measurement *measurement_;  // null when tracing was impossible
  LimitKind kind_;
  uint64_t limit_;
  const char *file_;
  int line_;
};

// The listener of TRACEMALLOC_GTEST_LEAKS: a leak limit on every test, from
// before its fixture is built to after it is destroyed.  The library appends
// it by itself when the variable is set; a program can also append its own.
class LeakLimitListener : public ::testing::EmptyTestEventListener {
 public:
  explicit LeakLimitListener(uint64_t limit);
  ~LeakLimitListener() override;
  void OnTestStart(const ::testing::TestInfo &test) override;
  void OnTestEnd(const ::testing::TestInfo &test) override;

 private:
  uint64_t limit_;
  Measurement *measurement_ = nullptr;
};

}  // namespace gtest
}  // namespace tracemalloc

#define TRACEMALLOC_GTEST_CONCAT_(a, b) a##b
#define TRACEMALLOC_GTEST_CONCAT(a, b) TRACEMALLOC_GTEST_CONCAT_(a, b)

#define TRACEMALLOC_LIMIT_MEMORY(bytes)                                                     \
  ::tracemalloc::gtest::ScopedLimit TRACEMALLOC_GTEST_CONCAT(tracemalloc_limit_, __LINE__)( \
      ::tracemalloc::gtest::LimitKind::Memory, (bytes), __FILE__, __LINE__)

#define TRACEMALLOC_LIMIT_LEAKS(bytes)                                                      \
  ::tracemalloc::gtest::ScopedLimit TRACEMALLOC_GTEST_CONCAT(tracemalloc_limit_, __LINE__)( \
      ::tracemalloc::gtest::LimitKind::Leaks, (bytes), __FILE__, __LINE__)

#endif  // TRACEMALLOC_GTEST_HPP
