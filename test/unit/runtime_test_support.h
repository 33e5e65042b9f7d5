// runtime_test_support.h - shared helpers of the runtime unit tests.
#ifndef TRACEMALLOC_TEST_RUNTIME_TEST_SUPPORT_H
#define TRACEMALLOC_TEST_RUNTIME_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/intercept/entries.h"
#include "runtime/support/report.h"
#include "tracemalloc/tracemalloc.h"
#include "tracemalloc/tracemalloc.hpp"

namespace tm_test {

// GoogleTest's capture of fd 2, which the runtime then takes for its
// stderr (it writes warnings only to the file fd 2 was when captured).
inline void capture_warnings() {
  testing::internal::CaptureStderr();
  tm_rt::capture_stderr();
}
inline std::string captured_warnings() {
  std::string text = testing::internal::GetCapturedStderr();
  tm_rt::capture_stderr();
  return text;
}

// What a hand-made site record says, with pointers.
struct SiteFields {
  const char *file;
  const char *directory;
  const char *function;
  uint32_t line;
  uint16_t column;
  uint16_t flags;
  const tm_site *parent;
};

// abi.h's tm_site_offset from field to target (0 for none).
inline tm_site_offset offset_to(const void *target, const tm_site_offset *field) {
  return target ? static_cast<tm_site_offset>(reinterpret_cast<uintptr_t>(target) -
                                              reinterpret_cast<uintptr_t>(field))
                : 0;
}

// The record to store at *where, as the pass would emit it there: its
// offsets are from where's own fields, so the result is only valid as
// where's initialiser (`const tm_site k = site_at(&k, {...})`).
inline tm_site site_at(const tm_site *where, const SiteFields &fields) {
  tm_site record{};
  record.file_offset = offset_to(fields.file, &where->file_offset);
  record.directory_offset = offset_to(fields.directory, &where->directory_offset);
  record.function_offset = offset_to(fields.function, &where->function_offset);
  record.line = fields.line;
  record.column = fields.column;
  record.flags = fields.flags;
  record.parent_offset = offset_to(fields.parent, &where->parent_offset);
  return record;
}

// Hand-made site records.
inline const tm_site kSiteA = site_at(&kSiteA, {"a.c", "/src", "alloc_a", 10, 3, 0, nullptr});
inline const tm_site kSiteB = site_at(&kSiteB, {"b.c", "/src", "alloc_b", 20, 5, 0, nullptr});
// main.cpp:30 <- inlined helper at util.h:7 <- inlined into util.h:3
inline const tm_site kOuterCaller =
    site_at(&kOuterCaller, {"main.cpp", "/src", "main", 30, 1, 0, nullptr});
inline const tm_site kInlinedMiddle =
    site_at(&kInlinedMiddle, {"util.h", "/src", "_Z6middlev", 3, 1, 0, &kOuterCaller});
inline const tm_site kInlinedLeaf =
    site_at(&kInlinedLeaf, {"util.h", "/src", "_Z4leafv", 7, 1, 0, &kInlinedMiddle});

// True when a sanitizer runtime is linked (the test target may get only the
// link flag, so compile-time macros cannot tell).  Its operator new aborts on
// a huge request instead of throwing bad_alloc.
extern "C" void __tsan_init() __attribute__((weak));
extern "C" void __asan_init() __attribute__((weak));
inline bool sanitizer_linked() { return &__tsan_init != nullptr || &__asan_init != nullptr; }

inline std::pair<size_t, size_t> traced_memory() {
  size_t current = 0, peak = 0;
  tm_get_traced_memory(&current, &peak);
  return {current, peak};
}

// The frames of a block's traceback as (filename, lineno), oldest first;
// empty when the block is not traced.
using Frames = std::vector<std::pair<std::string, uint32_t>>;
inline Frames frames_of(const void *block) {
  Frames frames;
  if (auto traceback = tracemalloc::get_object_traceback(block)) {
    for (const tracemalloc::Frame &f : *traceback) frames.emplace_back(f.filename, f.lineno);
  }
  return frames;
}

// libc's allocation functions called through volatile pointers: the
// compiler may neither elide a malloc/free pair nor fold the calls into
// something else, and the calls reach the process's malloc (the runtime's
// interposers in a normal build), never an entry.
namespace libc_calls {
inline void *(*volatile call_malloc)(size_t) = malloc;
inline void (*volatile call_free)(void *) = free;
inline void *(*volatile call_calloc)(size_t, size_t) = calloc;
inline void *(*volatile call_realloc)(void *, size_t) = realloc;
inline void *(*volatile call_reallocarray)(void *, size_t, size_t) = reallocarray;
inline int (*volatile call_posix_memalign)(void **, size_t, size_t) = posix_memalign;
inline void *(*volatile call_aligned_alloc)(size_t, size_t) = aligned_alloc;
inline void *(*volatile call_memalign)(size_t, size_t) = memalign;
inline void *(*volatile call_valloc)(size_t) = valloc;
inline void *(*volatile call_pvalloc)(size_t) = pvalloc;
inline char *(*volatile call_strdup)(const char *) = strdup;
inline size_t (*volatile call_usable_size)(void *) = malloc_usable_size;
}  // namespace libc_calls

// Every test starts and ends with tracing stopped and no traces.
class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override { tm_stop(); }
  void TearDown() override { tm_stop(); }
};

// Tests of the runtime's own malloc (interposers, block headers), skipped
// in sanitizer builds: the sanitizer owns malloc there.
class InterposerTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    if (sanitizer_linked()) GTEST_SKIP() << "sanitizer builds have no interposers";
  }
};

}  // namespace tm_test

#endif  // TRACEMALLOC_TEST_RUNTIME_TEST_SUPPORT_H
