// Foreign code (interpose.cpp): the process-wide malloc & co. trace blocks
// allocated outside the entries, as "<unknown>":0 plus the shadow-stack
// callers, and keep the table exact whichever side frees.  Also the domains
// API (tm_track / tm_untrack).
#define TM_RUNTIME_BUILD 1  // abi.h then declares __tm_shadow_stack
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime/support/guard.h"
#include "runtime_test_support.h"
#include "tracemalloc/tracemalloc.hpp"

namespace {

using tm_test::kSiteA;
using tm_test::kSiteB;
using tm_test::traced_memory;
using Sizes = std::pair<size_t, size_t>;

using namespace tm_test::libc_calls;

class RuntimeForeign : public tm_test::InterposerTest {
 protected:
  void TearDown() override {
    __tm_shadow_stack = tm_shadow_stack{};
    tm_test::InterposerTest::TearDown();
  }
};

using tm_test::Frames;
using tm_test::frames_of;

TEST_F(RuntimeForeign, MallocOutsideTheEntriesIsTracedAsUnknown) {
  ASSERT_EQ(tm_start(5), 0);
  void *block = call_malloc(77);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(traced_memory(), Sizes(77, 77));
  call_free(block);
  EXPECT_EQ(traced_memory(), Sizes(0, 77));
  block = call_malloc(77);
  // (frames_of's own vector is a foreign block too, freed on return.)
  EXPECT_EQ(frames_of(block), (Frames{{"<unknown>", 0}}));
  call_free(block);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeForeign, CallersComeFromTheShadowStackFromDepthMinusOne) {
  ASSERT_EQ(tm_start(5), 0);
  // main called f at a.c:10; f called foreign code at b.c:20 (f's slot);
  // the foreign code pushed nothing.
  __tm_shadow_stack.ring[0] = &kSiteA;
  __tm_shadow_stack.ring[1] = &kSiteB;
  __tm_shadow_stack.depth = 2;
  void *block = call_malloc(5);
  __tm_shadow_stack.depth = 0;
  // Oldest first.
  EXPECT_EQ(frames_of(block), (Frames{{"a.c", 10}, {"b.c", 20}, {"<unknown>", 0}}));
  call_free(block);
}

TEST_F(RuntimeForeign, AnAllocatorCalledThroughAPointerIsItsCallSite) {
  ASSERT_EQ(tm_start(5), 0);
  // f's slot names an indirect call that the pass found calling malloc
  // itself: that call is the block's own frame, no "<unknown>" under it.
  static const tm_site kCallsMalloc =
      tm_test::site_at(&kCallsMalloc, {"c.c", "", "f", 30, 0, TM_SITE_CALLS_ALLOCATOR, nullptr});
  __tm_shadow_stack.ring[0] = &kSiteA;
  __tm_shadow_stack.ring[1] = &kCallsMalloc;
  __tm_shadow_stack.depth = 2;
  void *block = call_malloc(5);
  void *zeroed = call_calloc(2, 8);
  void *moved = call_realloc(call_malloc(1), 9);
  __tm_shadow_stack.depth = 0;
  for (void *b : {block, zeroed, moved}) {
    EXPECT_EQ(frames_of(b), (Frames{{"a.c", 10}, {"c.c", 30}}));
    call_free(b);
  }
}

TEST_F(RuntimeForeign, BlocksCrossTheBoundaryBothWays) {
  ASSERT_EQ(tm_start(1), 0);
  void *ours = __tm_malloc(40, &kSiteA);
  call_free(ours);  // freed by foreign code: the trace goes
  EXPECT_EQ(traced_memory(), Sizes(0, 40));
  void *theirs = call_malloc(60);
  __tm_free(theirs, &kSiteA);  // freed by instrumented code
  EXPECT_EQ(traced_memory(), Sizes(0, 60));
  // Reallocated by foreign code: the new block is foreign.
  void *moved = call_realloc(__tm_malloc(8, &kSiteA), 4000);
  EXPECT_EQ(traced_memory().first, 4000u);
  EXPECT_EQ(frames_of(moved), (Frames{{"<unknown>", 0}}));
  call_free(moved);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeForeign, EntriesRecordOnceWithTheirSite) {
  ASSERT_EQ(tm_start(1), 0);
  // __tm_malloc -> malloc (the interposer, inside the guard) -> glibc.
  void *block = __tm_malloc(16, &kSiteB);
  EXPECT_EQ(traced_memory(), Sizes(16, 16));
  // operator new -> libstdc++ -> malloc: still one trace.
  void *object = __tm__Znwm(24, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(40, 40));
  __tm__ZdlPv(object, &kSiteA);
  EXPECT_EQ(traced_memory(), Sizes(16, 40));
  EXPECT_EQ(frames_of(block), (Frames{{"b.c", 20}}));
  __tm_free(block, &kSiteB);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeForeign, LibcInternalsAreTraced) {
  ASSERT_EQ(tm_start(1), 0);
  char *copy = call_strdup("twelve chars");
  EXPECT_EQ(traced_memory().first, 13u);
  EXPECT_EQ(frames_of(copy), (Frames{{"<unknown>", 0}}));
  call_free(copy);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeForeign, GlibcSemanticsAreKept) {
  ASSERT_EQ(tm_start(1), 0);
  // posix_memalign: EINVAL for a bad alignment, *result untouched.
  void *result = &result;
  EXPECT_EQ(call_posix_memalign(&result, 3, 16), EINVAL);
  EXPECT_EQ(call_posix_memalign(&result, 0, 16), EINVAL);
  EXPECT_EQ(call_posix_memalign(&result, 24, 16), EINVAL);
  EXPECT_EQ(result, static_cast<void *>(&result));
  ASSERT_EQ(call_posix_memalign(&result, 256, 10), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(result) % 256, 0u);
  EXPECT_EQ(traced_memory().first, 10u);
  call_free(result);
  // calloc overflow: NULL + ENOMEM, nothing traced.
  errno = 0;
  EXPECT_EQ(call_calloc(SIZE_MAX / 2, 3), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  char *zeroed = static_cast<char *>(call_calloc(10, 3));
  ASSERT_NE(zeroed, nullptr);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(zeroed[i], 0);
  EXPECT_EQ(traced_memory().first, 30u);
  // reallocarray overflow: NULL + ENOMEM, the block and its trace stay.
  errno = 0;
  EXPECT_EQ(call_reallocarray(zeroed, SIZE_MAX / 2, 3), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 30u);
  // realloc(p, 0) frees p (glibc) and returns NULL.
  EXPECT_EQ(call_realloc(zeroed, 0), nullptr);
  EXPECT_EQ(traced_memory().first, 0u);
  // Failed realloc: the old block and its trace stay.
  void *kept = call_malloc(8);
  errno = 0;
  EXPECT_EQ(call_realloc(kept, SIZE_MAX - 4096), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 8u);
  call_free(kept);
  // Aligned variants.
  void *a = call_aligned_alloc(64, 100);
  void *m = call_memalign(128, 50);
  void *v = call_valloc(7);
  void *p = call_pvalloc(9);
  ASSERT_TRUE(a && m && v && p);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(m) % 128, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v) % 4096, 0u);
  EXPECT_EQ(traced_memory().first, 166u);
  for (void *block : {a, m, v, p}) call_free(block);
  EXPECT_EQ(traced_memory().first, 0u);
  // malloc failure: NULL + ENOMEM, nothing traced.
  errno = 0;
  EXPECT_EQ(call_malloc(SIZE_MAX - 4096), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeForeign, SnapshotsDoNotTraceTheTracer) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(100, &kSiteA);
  // The snapshot's own allocations (model, STL) happen inside the guard.
  const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  EXPECT_EQ(snapshot.trace_count(), 1u);
  EXPECT_EQ(traced_memory(), Sizes(100, 100));
  tm_snapshot *c_snapshot = tm_take_snapshot();
  ASSERT_NE(c_snapshot, nullptr);
  tm_snapshot_free(c_snapshot);
  EXPECT_EQ(traced_memory(), Sizes(100, 100));
  __tm_free(block, &kSiteA);
}

// ---- domains --------------------------------------------------------------

class RuntimeDomains : public tm_test::RuntimeTest {
 protected:
  void TearDown() override {
    __tm_shadow_stack = tm_shadow_stack{};
    tm_test::RuntimeTest::TearDown();
  }
};

TEST_F(RuntimeDomains, TrackAndUntrackLikeCPython) {
  EXPECT_EQ(tm_track(5, 0x1000, 64), -2);
  EXPECT_EQ(tm_untrack(5, 0x1000), -2);
  ASSERT_EQ(tm_start(3), 0);
  EXPECT_EQ(tm_track(5, 0x1000, 64), 0);
  EXPECT_EQ(tm_track(6, 0x1000, 32), 0);  // same address, other domain
  EXPECT_EQ(traced_memory(), Sizes(96, 96));
  // Tracking again replaces the trace.
  EXPECT_EQ(tm_track(5, 0x1000, 16), 0);
  EXPECT_EQ(traced_memory(), Sizes(48, 96));
  EXPECT_EQ(tm_untrack(5, 0x1000), 0);
  EXPECT_EQ(tm_untrack(5, 0x1000), 0);  // not tracked: nothing happens
  EXPECT_EQ(traced_memory(), Sizes(32, 96));
  // Domain 0's get_object_traceback does not see other domains.
  EXPECT_FALSE(tracemalloc::get_object_traceback(reinterpret_cast<void *>(0x1000)));
  errno = 0;
  EXPECT_EQ(tm_track(5, 0, 1), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_TRUE(tracemalloc::untrack(6, reinterpret_cast<const void *>(0x1000)));
  EXPECT_EQ(traced_memory().first, 0u);
  tm_stop();
  EXPECT_FALSE(tracemalloc::track(1, uintptr_t{0x2000}, 1));
  EXPECT_FALSE(tracemalloc::untrack(1, uintptr_t{0x2000}));
}

TEST_F(RuntimeDomains, DomainsReachSnapshotsAndDomainFilter) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(10, &kSiteA);
  ASSERT_TRUE(tracemalloc::track(7, uintptr_t{0x7000}, 700));
  ASSERT_TRUE(tracemalloc::track(7, uintptr_t{0x7100}, 70));
  ASSERT_TRUE(tracemalloc::track(8, uintptr_t{0x8000}, 8));
  const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  EXPECT_EQ(snapshot.trace_count(), 4u);
  const tracemalloc::Snapshot only7 = snapshot.filter_traces({tracemalloc::DomainFilter{true, 7}});
  ASSERT_EQ(only7.trace_count(), 2u);
  size_t total = 0;
  for (const auto &trace : only7.traces()) {
    EXPECT_EQ(trace.domain, 7u);
    total += trace.size;
  }
  EXPECT_EQ(total, 770u);
  const tracemalloc::Snapshot not7 = snapshot.filter_traces({tracemalloc::DomainFilter{false, 7}});
  EXPECT_EQ(not7.trace_count(), 2u);
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeDomains, TrackedBlockStartsAtTheCallSite) {
  ASSERT_EQ(tm_start(5), 0);
  // Not called from instrumented code: one "<unknown>" frame.
  ASSERT_EQ(tm_track(3, 0x3000, 1), 0);
  // Instrumented main called f at a.c:10; f called tm_track at b.c:20.
  __tm_shadow_stack.ring[0] = &kSiteA;
  __tm_shadow_stack.ring[1] = &kSiteB;
  __tm_shadow_stack.depth = 2;
  ASSERT_EQ(tm_track(3, 0x3100, 1), 0);
  __tm_shadow_stack.depth = 0;
  const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  ASSERT_EQ(snapshot.trace_count(), 2u);
  std::vector<std::vector<std::pair<std::string, uint32_t>>> tracebacks;
  for (const auto &trace : snapshot.traces()) {
    std::vector<std::pair<std::string, uint32_t>> frames;
    for (const tracemalloc::Frame &f : *trace.traceback) frames.emplace_back(f.filename, f.lineno);
    tracebacks.push_back(frames);
  }
  std::sort(tracebacks.begin(), tracebacks.end());
  EXPECT_EQ(tracebacks[0], (Frames{{"<unknown>", 0}}));
  EXPECT_EQ(tracebacks[1], (Frames{{"a.c", 10}, {"b.c", 20}}));
}

}  // namespace
