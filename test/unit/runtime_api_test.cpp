// The public C and C++ APIs: start/stop/limit semantics as CPython 3.11,
// tracebacks of traced objects.
#include <errno.h>

#include <string>

#include "runtime_test_support.h"
#include "tracemalloc/tracemalloc.hpp"

namespace {

using tm_test::kInlinedLeaf;
using tm_test::kSiteA;

class RuntimeApi : public tm_test::RuntimeTest {};

TEST_F(RuntimeApi, StartRangeAndLimit) {
  EXPECT_EQ(tm_max_nframe(), 65535);
  errno = 0;
  EXPECT_EQ(tm_start(0), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(tm_start(-3), -1);
  EXPECT_EQ(tm_start(65536), -1);
  EXPECT_FALSE(tm_is_tracing());
  ASSERT_EQ(tm_start(65535), 0);
  EXPECT_EQ(tm_get_traceback_limit(), 65535);
  tm_stop();
  ASSERT_EQ(tm_start(5), 0);
  EXPECT_TRUE(tm_is_tracing());
  EXPECT_EQ(tm_get_traceback_limit(), 5);
  // Starting again while tracing changes nothing, not even the limit.
  ASSERT_EQ(tm_start(3), 0);
  EXPECT_EQ(tm_get_traceback_limit(), 5);
  // A bad value is still rejected while tracing.
  EXPECT_EQ(tm_start(0), -1);
  tm_stop();
  // CPython 3.11 keeps returning the last limit after stop().
  EXPECT_EQ(tm_get_traceback_limit(), 5);
}

TEST_F(RuntimeApi, CxxErrorsUseCPythonMessages) {
  try {
    tracemalloc::start(0);
    FAIL() << "start(0) must throw";
  } catch (const tracemalloc::Error &e) {
    EXPECT_STREQ(e.what(), "the number of frames must be in range [1; 65535]");
  }
  try {
    tracemalloc::take_snapshot();
    FAIL() << "take_snapshot() must throw when not tracing";
  } catch (const tracemalloc::Error &e) {
    EXPECT_STREQ(e.what(),
                 "the tracemalloc module must be tracing memory allocations to take a snapshot");
  }
  errno = 0;
  EXPECT_EQ(tm_take_snapshot(), nullptr);
  EXPECT_EQ(errno, EINVAL);
  tracemalloc::start(2);
  EXPECT_TRUE(tracemalloc::is_tracing());
  EXPECT_EQ(tracemalloc::get_traceback_limit(), 2);
  void *block = __tm_malloc(12, &kSiteA);
  EXPECT_EQ(tracemalloc::get_traced_memory(), std::make_pair(size_t{12}, size_t{12}));
  EXPECT_GT(tracemalloc::get_tracemalloc_memory(), 0u);
  __tm_free(block, &kSiteA);
  tracemalloc::reset_peak();
  EXPECT_EQ(tracemalloc::get_traced_memory(), std::make_pair(size_t{0}, size_t{0}));
  tracemalloc::stop();
  EXPECT_FALSE(tracemalloc::is_tracing());
}

TEST_F(RuntimeApi, SameSiteSharesOneTraceback) {
  ASSERT_EQ(tm_start(1), 0);
  void *a = __tm_malloc(1, &kSiteA);
  void *b = __tm_malloc(2, &kSiteA);
  auto ta = tracemalloc::get_object_traceback(a);
  auto tb = tracemalloc::get_object_traceback(b);
  ASSERT_TRUE(ta && tb);
  EXPECT_EQ(*ta, *tb);
  __tm_free(a, &kSiteA);
  __tm_free(b, &kSiteA);
}

TEST_F(RuntimeApi, InlineFramesAndTotalNframe) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(8, &kInlinedLeaf);
  tm_frame frames[8];
  int total = 0;
  ASSERT_EQ(tm_get_object_traceback(block, frames, 8, &total), 1);
  EXPECT_EQ(total, 3);
  EXPECT_STREQ(frames[0].filename, "util.h");
  EXPECT_EQ(frames[0].lineno, 7u);
  __tm_free(block, &kInlinedLeaf);
  tm_stop();

  ASSERT_EQ(tm_start(5), 0);
  block = __tm_malloc(8, &kInlinedLeaf);
  ASSERT_EQ(tm_get_object_traceback(block, frames, 8, &total), 3);
  EXPECT_EQ(total, 3);
  // Oldest first, as a Traceback.
  EXPECT_STREQ(frames[0].filename, "main.cpp");
  EXPECT_EQ(frames[0].lineno, 30u);
  EXPECT_STREQ(frames[0].function, "main");
  EXPECT_EQ(frames[1].lineno, 3u);
  EXPECT_EQ(frames[2].lineno, 7u);
  // A small capacity gets the first (oldest) frames.
  ASSERT_EQ(tm_get_object_traceback(block, frames, 2, nullptr), 2);
  EXPECT_EQ(frames[1].lineno, 3u);

  auto traceback = tracemalloc::get_object_traceback(block);
  ASSERT_TRUE(traceback.has_value());
  ASSERT_EQ(traceback->size(), 3u);
  EXPECT_EQ(traceback->total_nframe(), 3u);
  EXPECT_EQ((*traceback)[0].filename, "main.cpp");
  EXPECT_EQ((*traceback)[2].filename, "util.h");
  EXPECT_EQ((*traceback)[2].lineno, 7u);
  EXPECT_EQ((*traceback)[2].function, "leaf()");  // demangled
  EXPECT_EQ((*traceback)[2].directory, "/src");
  EXPECT_EQ((*traceback)[0].function, "main");  // C names kept as is
  __tm_free(block, &kInlinedLeaf);
}

TEST_F(RuntimeApi, NullSiteIsUnknownFrame) {
  ASSERT_EQ(tm_start(3), 0);
  void *block = __tm_malloc(8, nullptr);
  tm_frame frame;
  int total = 0;
  ASSERT_EQ(tm_get_object_traceback(block, &frame, 1, &total), 1);
  EXPECT_STREQ(frame.filename, "<unknown>");
  EXPECT_EQ(frame.lineno, 0u);
  EXPECT_EQ(total, 1);
  auto traceback = tracemalloc::get_object_traceback(block);
  ASSERT_TRUE(traceback.has_value());
  EXPECT_EQ((*traceback)[0].filename, "<unknown>");
  __tm_free(block, nullptr);
}

TEST_F(RuntimeApi, ObjectTracebackOfUntracedIsNone) {
  int local = 0;
  EXPECT_FALSE(tracemalloc::get_object_traceback(&local).has_value());
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_FALSE(tracemalloc::get_object_traceback(&local).has_value());
  EXPECT_FALSE(tracemalloc::get_object_traceback(nullptr).has_value());
  tm_frame frame;
  EXPECT_EQ(tm_get_object_traceback(&local, &frame, 1, nullptr), -1);
}

}  // namespace
