// Callers from the shadow stack the pass maintains (protocol in abi.h),
// simulated by writing __tm_shadow_stack as instrumented code would.
#define TM_RUNTIME_BUILD 1  // abi.h then declares __tm_shadow_stack
#include "runtime_test_support.h"
#include "tracemalloc/tracemalloc.hpp"

namespace {

using tm_test::kInlinedMiddle;
using tm_test::kSiteA;
using tm_test::kSiteB;

// An allocation in a function that pushed its own shadow frame.
const tm_site kAllocInPushingFunction = tm_test::site_at(
    &kAllocInPushingFunction, {"alloc.c", "/src", "make", 5, 1, TM_SITE_OWN_SHADOW_FRAME, nullptr});

class RuntimeShadowStack : public tm_test::RuntimeTest {
 protected:
  void TearDown() override {
    __tm_shadow_stack = tm_shadow_stack{};
    tm_test::RuntimeTest::TearDown();
  }
  // Simulates main -> f -> make.  main (level 0) called f at a.c:10; f
  // (level 1) called make at util.h:3, a call inlined into main.cpp:30; make
  // (level 2) pushed, and its last outgoing call was at b.c:20.
  void enter_three_levels() {
    __tm_shadow_stack.ring[0] = &kSiteA;
    __tm_shadow_stack.ring[1] = &kInlinedMiddle;
    __tm_shadow_stack.ring[2] = &kSiteB;  // make's own slot: stale for its callers
    __tm_shadow_stack.depth = 3;
  }
};

using tm_test::Frames;
using tm_test::frames_of;

TEST_F(RuntimeShadowStack, CallersOfAPushingFunctionSkipItsOwnSlot) {
  ASSERT_EQ(tm_start(10), 0);
  enter_three_levels();
  void *block = __tm_malloc(8, &kAllocInPushingFunction);
  // Oldest first: main's call, then f's call (util.h:3 inlined into
  // main.cpp:30), then the allocation.
  EXPECT_EQ(frames_of(block),
            (Frames{{"a.c", 10}, {"main.cpp", 30}, {"util.h", 3}, {"alloc.c", 5}}));
  auto traceback = tracemalloc::get_object_traceback(block);
  ASSERT_TRUE(traceback.has_value());
  EXPECT_EQ(traceback->total_nframe(), 4u);
  __tm_free(block, &kAllocInPushingFunction);
}

TEST_F(RuntimeShadowStack, WithoutOwnFrameTheTopSlotIsTheCaller) {
  ASSERT_EQ(tm_start(10), 0);
  enter_three_levels();
  void *block = __tm_malloc(8, &kSiteA);
  EXPECT_EQ(frames_of(block),
            (Frames{{"a.c", 10}, {"main.cpp", 30}, {"util.h", 3}, {"b.c", 20}, {"a.c", 10}}));
  __tm_free(block, &kSiteA);
}

TEST_F(RuntimeShadowStack, LimitCutsButTotalCountsEverything) {
  ASSERT_EQ(tm_start(2), 0);
  enter_three_levels();
  void *block = __tm_malloc(8, &kAllocInPushingFunction);
  EXPECT_EQ(frames_of(block), (Frames{{"util.h", 3}, {"alloc.c", 5}}));
  int total = 0;
  tm_frame frame;
  ASSERT_EQ(tm_get_object_traceback(block, &frame, 1, &total), 1);
  EXPECT_EQ(total, 4);
  __tm_free(block, &kAllocInPushingFunction);
}

TEST_F(RuntimeShadowStack, OverwrittenSlotsCountInTotalNframe) {
  ASSERT_EQ(tm_start(3), 0);
  for (const tm_site *&slot : __tm_shadow_stack.ring) slot = &kSiteB;
  __tm_shadow_stack.depth = TM_SHADOW_STACK_CAPACITY + 10;
  void *block = __tm_malloc(8, &kAllocInPushingFunction);
  int total = 0;
  tm_frame frames[3];
  ASSERT_EQ(tm_get_object_traceback(block, frames, 3, &total), 3);
  // The allocation, 63 readable callers (one slot is the function's own),
  // and 10 overwritten ones.
  EXPECT_EQ(total, 1 + 63 + 10);
  __tm_free(block, &kAllocInPushingFunction);
}

TEST_F(RuntimeShadowStack, SameSiteDifferentCallersAreDifferentTracebacks) {
  ASSERT_EQ(tm_start(5), 0);
  void *plain = __tm_malloc(8, &kAllocInPushingFunction);
  enter_three_levels();
  void *deep = __tm_malloc(8, &kAllocInPushingFunction);
  __tm_shadow_stack.depth = 0;
  void *plain_again = __tm_malloc(8, &kAllocInPushingFunction);
  EXPECT_EQ(frames_of(plain), (Frames{{"alloc.c", 5}}));
  EXPECT_EQ(frames_of(deep).size(), 4u);
  EXPECT_EQ(frames_of(plain_again), (Frames{{"alloc.c", 5}}));
  for (void *block : {plain, deep, plain_again}) __tm_free(block, &kSiteA);
}

}  // namespace
