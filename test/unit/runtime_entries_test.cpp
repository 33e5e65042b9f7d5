// The __tm_* entries: real semantics of the wrapped function plus exact
// traced-memory accounting.
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>

#include <new>

#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"
#include "runtime_test_support.h"

// Under TM_SANITIZE the sanitizer allocators must fail like glibc (NULL +
// ENOMEM) for the failure tests; unused in a plain build.
extern "C" const char *__tsan_default_options() { return "allocator_may_return_null=1"; }
extern "C" const char *__asan_default_options() { return "allocator_may_return_null=1"; }

namespace {

using tm_test::kSiteA;
using tm_test::kSiteB;
using tm_test::traced_memory;
using Sizes = std::pair<size_t, size_t>;

class RuntimeEntries : public tm_test::RuntimeTest {};

int traced_frame_count(const void *block) {
  tm_frame frames[4];
  return tm_get_object_traceback(block, frames, 4, nullptr);
}

TEST_F(RuntimeEntries, NothingIsTracedWhileNotTracing) {
  void *block = __tm_malloc(100, &kSiteA);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  EXPECT_EQ(traced_frame_count(block), -1);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeEntries, MallocFreeCurrentAndPeak) {
  ASSERT_EQ(tm_start(1), 0);
  void *a = __tm_malloc(100, &kSiteA);
  void *b = __tm_malloc(50, &kSiteB);
  EXPECT_EQ(traced_memory(), Sizes(150, 150));
  __tm_free(a, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(50, 150));
  tm_reset_peak();
  EXPECT_EQ(traced_memory(), Sizes(50, 50));
  void *c = __tm_malloc(30, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(80, 80));
  __tm_free(c, &kSiteA);
  __tm_free(b, &kSiteB);
  EXPECT_EQ(traced_memory(), Sizes(0, 80));
  __tm_free(nullptr, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(0, 80));
}

TEST_F(RuntimeEntries, FreeOfUntracedBlockIsIgnored) {
  void *untraced = malloc(64);
  ASSERT_EQ(tm_start(1), 0);
  void *traced = __tm_malloc(10, &kSiteA);
  __tm_free(untraced, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(10, 10));
  __tm_free(traced, &kSiteA);
}

TEST_F(RuntimeEntries, ClearTracesAndStop) {
  ASSERT_EQ(tm_start(1), 0);
  void *a = __tm_malloc(100, &kSiteA);
  tm_clear_traces();
  EXPECT_TRUE(tm_is_tracing());
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  EXPECT_EQ(traced_frame_count(a), -1);
  // The block traced before clear_traces() is no longer subtracted.
  __tm_free(a, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  void *b = __tm_malloc(7, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(7, 7));
  tm_stop();
  EXPECT_FALSE(tm_is_tracing());
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_EQ(traced_frame_count(b), -1);
  __tm_free(b, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
}

TEST_F(RuntimeEntries, ResetPeakWhileNotTracingDoesNothing) {
  tm_reset_peak();
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  tm_clear_traces();
  EXPECT_FALSE(tm_is_tracing());
}

TEST_F(RuntimeEntries, CallocRecordsProductAndOverflowFails) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_calloc(10, 12, &kSiteA);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(static_cast<unsigned char *>(block)[119], 0);
  EXPECT_EQ(traced_memory().first, 120u);
  errno = 0;
  EXPECT_EQ(__tm_calloc(SIZE_MAX / 2, 3, &kSiteA), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 120u);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeEntries, MallocFailureIsNotTracedAndKeepsErrno) {
  ASSERT_EQ(tm_start(1), 0);
  errno = 0;
  EXPECT_EQ(__tm_malloc(SIZE_MAX - 4096, &kSiteA), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  // A successful call leaves errno as malloc left it.
  errno = 1234;
  void *block = __tm_malloc(8, &kSiteA);
  EXPECT_EQ(errno, 1234);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeEntries, ReallocMovesTheTrace) {
  ASSERT_EQ(tm_start(1), 0);
  char *block = static_cast<char *>(__tm_malloc(10, &kSiteA));
  memcpy(block, "0123456789", 10);
  char *grown = static_cast<char *>(__tm_realloc(block, 100000, &kSiteB));
  ASSERT_NE(grown, nullptr);
  EXPECT_EQ(memcmp(grown, "0123456789", 10), 0);
  // As CPython: the old trace goes before the new one is added.
  EXPECT_EQ(traced_memory(), Sizes(100000, 100000));
  tm_frame frame;
  ASSERT_EQ(tm_get_object_traceback(grown, &frame, 1, nullptr), 1);
  EXPECT_EQ(frame.lineno, kSiteB.line);  // the realloc site
  __tm_free(grown, &kSiteB);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeEntries, ReallocOfNullIsMalloc) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_realloc(nullptr, 33, &kSiteA);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(traced_memory().first, 33u);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeEntries, ReallocOfUntracedBlockRecordsTheNewBlock) {
  void *untraced = malloc(16);
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_realloc(untraced, 64, &kSiteA);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(traced_memory().first, 64u);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeEntries, ReallocToZeroFreesAndDropsTheTrace) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(40, &kSiteA);
  void *result = __tm_realloc(block, 0, &kSiteA);
  if (result == nullptr) {
    // glibc: the block was freed.
    EXPECT_EQ(traced_memory().first, 0u);
  } else {
    EXPECT_EQ(traced_memory().first, 0u);
    EXPECT_EQ(traced_frame_count(result), 1);
    __tm_free(result, &kSiteA);
  }
}

TEST_F(RuntimeEntries, FailedReallocKeepsTheOldTrace) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(40, &kSiteA);
  errno = 0;
  EXPECT_EQ(__tm_realloc(block, SIZE_MAX - 4096, &kSiteB), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 40u);
  tm_frame frame;
  ASSERT_EQ(tm_get_object_traceback(block, &frame, 1, nullptr), 1);
  EXPECT_EQ(frame.lineno, kSiteA.line);
  // reallocarray overflow fails the same way.
  errno = 0;
  EXPECT_EQ(__tm_reallocarray(block, SIZE_MAX / 2, 4, &kSiteB), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 40u);
  void *grown = __tm_reallocarray(block, 10, 8, &kSiteB);
  ASSERT_NE(grown, nullptr);
  EXPECT_EQ(traced_memory().first, 80u);
  __tm_free(grown, &kSiteB);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeEntries, AlignedAllocations) {
  ASSERT_EQ(tm_start(1), 0);
  void *a = __tm_aligned_alloc(64, 128, &kSiteA);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  void *m = __tm_memalign(256, 10, &kSiteA);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(m) % 256, 0u);
  void *v = __tm_valloc(5, &kSiteA);
  ASSERT_NE(v, nullptr);
  void *pv = __tm_pvalloc(6, &kSiteA);
  ASSERT_NE(pv, nullptr);
  void *p = nullptr;
  ASSERT_EQ(__tm_posix_memalign(&p, 32, 48, &kSiteA), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 32, 0u);
  EXPECT_EQ(traced_memory().first, 128u + 10 + 5 + 6 + 48);
  for (void *block : {a, m, v, pv, p}) __tm_free(block, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeEntries, PosixMemalignRejectsBadAlignment) {
  ASSERT_EQ(tm_start(1), 0);
  void *p = reinterpret_cast<void *>(0x1);
  errno = 0;
  EXPECT_EQ(__tm_posix_memalign(&p, 3, 48, &kSiteA), EINVAL);
  EXPECT_EQ(errno, 0);  // posix_memalign reports through its result only
  EXPECT_EQ(p, reinterpret_cast<void *>(0x1));
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeEntries, StrdupAndStrndupRecordCopiedLength) {
  ASSERT_EQ(tm_start(1), 0);
  char *copy = __tm_strdup("hello", &kSiteA);
  EXPECT_STREQ(copy, "hello");
  EXPECT_EQ(traced_memory().first, 6u);
  char *prefix = __tm_strndup("hello", 3, &kSiteA);
  EXPECT_STREQ(prefix, "hel");
  char *whole = __tm_strndup("hi", 10, &kSiteA);
  EXPECT_STREQ(whole, "hi");
  EXPECT_EQ(traced_memory().first, 6u + 4 + 3);
  for (char *s : {copy, prefix, whole}) __tm_free(s, &kSiteA);
}

TEST_F(RuntimeEntries, OperatorNewThrowsBadAllocThroughTheEntry) {
  if (tm_test::sanitizer_linked()) {
    GTEST_SKIP() << "the sanitizer's operator new aborts instead of throwing bad_alloc";
  }
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_THROW(__tm__Znwm(SIZE_MAX - 4096, &kSiteA), std::bad_alloc);
  EXPECT_THROW(__tm__Znam(SIZE_MAX - 4096, &kSiteA), std::bad_alloc);
  EXPECT_THROW(__tm__ZnwmSt11align_val_t(SIZE_MAX - 4096, std::align_val_t(64), &kSiteA),
               std::bad_alloc);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
  // The guard was released by the unwinding: the next call is traced.
  void *block = __tm__Znwm(24, &kSiteA);
  EXPECT_EQ(traced_memory().first, 24u);
  __tm__ZdlPvm(block, 24, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
}

// A failed allocation still goes through operator new itself, which calls
// the new-handler before giving up, traced or not.
int g_new_handler_calls = 0;
void count_and_give_up() {
  ++g_new_handler_calls;
  std::set_new_handler(nullptr);  // the next failure throws
}

TEST_F(RuntimeEntries, FailedNewCallsTheNewHandler) {
  if (tm_test::sanitizer_linked()) {
    GTEST_SKIP() << "the sanitizer's operator new aborts instead of throwing bad_alloc";
  }
  for (bool tracing : {false, true}) {
    if (tracing) ASSERT_EQ(tm_start(1), 0);
    g_new_handler_calls = 0;
    std::set_new_handler(count_and_give_up);
    EXPECT_THROW(__tm__Znwm(SIZE_MAX - 4096, &kSiteA), std::bad_alloc);
    EXPECT_EQ(g_new_handler_calls, 1) << tracing;
    std::set_new_handler(count_and_give_up);
    EXPECT_EQ(__tm__ZnamRKSt9nothrow_t(SIZE_MAX - 4096, std::nothrow, &kSiteA), nullptr);
    EXPECT_EQ(g_new_handler_calls, 2) << tracing;
  }
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
}

// operator new(0) returns a distinct block each time, traced with size 0.
TEST_F(RuntimeEntries, NewOfZeroBytesGivesDistinctBlocks) {
  ASSERT_EQ(tm_start(1), 0);
  void *a = __tm__Znwm(0, &kSiteA);
  void *b = __tm__Znam(0, &kSiteA);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(traced_memory().first, 0u);
  tm_frame frame;
  EXPECT_EQ(tm_get_object_traceback(a, &frame, 1, nullptr), 1);
  __tm__ZdlPv(a, &kSiteA);
  __tm__ZdaPv(b, &kSiteA);
}

TEST_F(RuntimeEntries, NothrowNewReturnsNull) {
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_EQ(__tm__ZnwmRKSt9nothrow_t(SIZE_MAX - 4096, std::nothrow, &kSiteA), nullptr);
  EXPECT_EQ(__tm__ZnamSt11align_val_tRKSt9nothrow_t(SIZE_MAX - 4096, std::align_val_t(64),
                                                    std::nothrow, &kSiteA),
            nullptr);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
}

TEST_F(RuntimeEntries, EveryNewDeletePairBalances) {
  ASSERT_EQ(tm_start(1), 0);
  const std::align_val_t al{128};
  const auto hint = static_cast<__hot_cold_t>(0);
  void *b1 = __tm__Znwm(1, &kSiteA);
  void *b2 = __tm__Znam(2, &kSiteA);
  void *b3 = __tm__ZnwmRKSt9nothrow_t(3, std::nothrow, &kSiteA);
  void *b4 = __tm__ZnamRKSt9nothrow_t(4, std::nothrow, &kSiteA);
  void *b5 = __tm__ZnwmSt11align_val_t(5, al, &kSiteA);
  void *b6 = __tm__ZnamSt11align_val_t(6, al, &kSiteA);
  void *b7 = __tm__ZnwmSt11align_val_tRKSt9nothrow_t(7, al, std::nothrow, &kSiteA);
  void *b8 = __tm__ZnamSt11align_val_tRKSt9nothrow_t(8, al, std::nothrow, &kSiteA);
  void *h1 = __tm__Znwm12__hot_cold_t(10, hint, &kSiteA);
  void *h2 = __tm__Znam12__hot_cold_t(20, hint, &kSiteA);
  void *h3 = __tm__ZnwmRKSt9nothrow_t12__hot_cold_t(30, std::nothrow, hint, &kSiteA);
  void *h4 = __tm__ZnamRKSt9nothrow_t12__hot_cold_t(40, std::nothrow, hint, &kSiteA);
  void *h5 = __tm__ZnwmSt11align_val_t12__hot_cold_t(50, al, hint, &kSiteA);
  void *h6 = __tm__ZnamSt11align_val_t12__hot_cold_t(60, al, hint, &kSiteA);
  void *h7 =
      __tm__ZnwmSt11align_val_tRKSt9nothrow_t12__hot_cold_t(70, al, std::nothrow, hint, &kSiteA);
  void *h8 =
      __tm__ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t(80, al, std::nothrow, hint, &kSiteA);
  for (void *aligned : {b5, b6, b7, b8, h5, h6, h7, h8}) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % 128, 0u);
  }
  EXPECT_EQ(traced_memory().first, 36u + 360);
  __tm__ZdlPv(b1, &kSiteA);
  __tm__ZdaPvm(b2, 2, &kSiteA);
  __tm__ZdlPvRKSt9nothrow_t(b3, std::nothrow, &kSiteA);
  __tm__ZdaPvRKSt9nothrow_t(b4, std::nothrow, &kSiteA);
  __tm__ZdlPvSt11align_val_t(b5, al, &kSiteA);
  __tm__ZdaPvmSt11align_val_t(b6, 6, al, &kSiteA);
  __tm__ZdlPvSt11align_val_tRKSt9nothrow_t(b7, al, std::nothrow, &kSiteA);
  __tm__ZdaPvSt11align_val_tRKSt9nothrow_t(b8, al, std::nothrow, &kSiteA);
  EXPECT_EQ(traced_memory().first, 360u);
  __tm__ZdlPvm(h1, 10, &kSiteA);
  __tm__ZdaPv(h2, &kSiteA);
  __tm__ZdlPv(h3, &kSiteA);
  __tm__ZdaPv(h4, &kSiteA);
  __tm__ZdlPvmSt11align_val_t(h5, 50, al, &kSiteA);
  __tm__ZdaPvSt11align_val_t(h6, al, &kSiteA);
  __tm__ZdlPvSt11align_val_t(h7, al, &kSiteA);
  __tm__ZdaPvSt11align_val_t(h8, al, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
}

// An instrumented replacement allocator calling instrumented malloc: only
// the outermost entry records the block.
TEST_F(RuntimeEntries, NestedEntriesTraceOnce) {
  ASSERT_EQ(tm_start(1), 0);
  void *block;
  {
    tm_rt::ReentrancyGuard outer;  // as if inside __tm__Znwm
    block = __tm_malloc(100, &kSiteB);
    EXPECT_EQ(traced_memory().first, 0u);
    __tm_free(__tm_malloc(5, &kSiteB), &kSiteB);
  }
  EXPECT_EQ(traced_frame_count(block), -1);
  void *traced = __tm_malloc(11, &kSiteA);
  EXPECT_EQ(traced_memory().first, 11u);
  {
    tm_rt::ReentrancyGuard outer;  // a nested free does not remove it either
    __tm_free(block, &kSiteB);
  }
  __tm_free(traced, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
}

// A block freed by uninstrumented code keeps its trace; when malloc hands the
// address out again the new trace replaces it instead of adding to it.
TEST_F(RuntimeEntries, AddressReusedBehindOurBackReplacesTheTrace) {
  // A real block (with its header when the runtime owns malloc), allocated
  // before tracing so that only the records below trace it.
  void *block = malloc(64);
  ASSERT_EQ(tm_start(1), 0);
  tm_rt::record_allocation(block, 64, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(64, 64));
  tm_rt::record_allocation(block, 24, &kSiteB);
  EXPECT_EQ(traced_memory(), Sizes(24, 64));
  tm_frame frame;
  ASSERT_EQ(tm_get_object_traceback(block, &frame, 1, nullptr), 1);
  EXPECT_EQ(frame.lineno, kSiteB.line);
  tm_rt::forget_allocation(block);
  EXPECT_EQ(traced_memory(), Sizes(0, 64));
  tm_stop();
  free(block);
}

TEST_F(RuntimeEntries, OutOfTableMemoryStopsTracingAndKeepsTheBlock) {
  // Before tracing: the capture's own allocations are traced (interpose.cpp)
  // and would meet the failing table first.
  tm_test::capture_warnings();
  ASSERT_EQ(tm_start(1), 0);
  // A fresh session has empty tables: the first trace needs table memory.
  tm_rt::internal_alloc_fail_next(1000);
  void *block = __tm_malloc(48, &kSiteA);
  void *second = __tm_malloc(48, &kSiteA);
  const std::string warnings = tm_test::captured_warnings();
  tm_rt::internal_alloc_fail_next(0);
  ASSERT_NE(block, nullptr);
  memset(block, 1, 48);
  EXPECT_FALSE(tm_is_tracing());
  EXPECT_EQ(warnings, "tracemalloc: out of memory for the trace tables; tracing stopped\n");
  __tm_free(block, &kSiteA);
  __tm_free(second, &kSiteA);
  ASSERT_EQ(tm_start(1), 0);
  void *traced = __tm_malloc(8, &kSiteA);
  EXPECT_EQ(traced_memory().first, 8u);
  __tm_free(traced, &kSiteA);
}

TEST_F(RuntimeEntries, TracerMemoryIsAccounted) {
  ASSERT_EQ(tm_start(1), 0);
  const size_t before = tm_get_tracemalloc_memory();
  void *blocks[20000];
  for (void *&b : blocks) b = __tm_malloc(8, &kSiteA);
  // Each traced block costs at least its 16-byte header (block_header.h) or
  // its table slot.
  const size_t grown = tm_get_tracemalloc_memory();
  EXPECT_GE(grown - before, 20000u * 16);
  for (void *b : blocks) __tm_free(b, &kSiteA);
  tm_stop();
  EXPECT_LT(tm_get_tracemalloc_memory(), grown);
}

}  // namespace
