// Trace table and traceback table internals.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <set>

#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/trace_table.h"
#include "runtime_test_support.h"

namespace {

using tm_rt::TracedBlock;
using tm_rt::TraceShard;

TEST(RuntimeTraceTable, InsertFindRemove) {
  TraceShard shard;
  shard.lock.lock();
  uint64_t replaced = 99;
  ASSERT_TRUE(shard.insert(TracedBlock{0x1000, 24, nullptr, 0, 0}, &replaced));
  EXPECT_EQ(replaced, 0u);
  ASSERT_NE(shard.find(0, 0x1000), nullptr);
  EXPECT_EQ(shard.find(0, 0x1000)->size, 24u);
  EXPECT_EQ(shard.find(0, 0x2000), nullptr);
  // Same address in another domain is another trace.
  EXPECT_EQ(shard.find(1, 0x1000), nullptr);
  ASSERT_TRUE(shard.insert(TracedBlock{0x1000, 8, nullptr, 1, 0}, &replaced));
  EXPECT_EQ(shard.size(), 2u);
  // Overwrite reports the old size.
  ASSERT_TRUE(shard.insert(TracedBlock{0x1000, 40, nullptr, 0, 0}, &replaced));
  EXPECT_EQ(replaced, 24u);
  EXPECT_EQ(shard.size(), 2u);
  TracedBlock removed{};
  ASSERT_TRUE(shard.remove(0, 0x1000, &removed));
  EXPECT_EQ(removed.size, 40u);
  EXPECT_FALSE(shard.remove(0, 0x1000, &removed));
  EXPECT_NE(shard.find(1, 0x1000), nullptr);
  shard.clear();
  EXPECT_EQ(shard.size(), 0u);
  EXPECT_EQ(shard.find(1, 0x1000), nullptr);
  shard.lock.unlock();
}

// Random inserts and removes against std::map: backward-shift deletion must
// keep every remaining trace reachable through growth and wrap-around.
TEST(RuntimeTraceTable, MatchesReferenceMapUnderChurn) {
  TraceShard shard;
  shard.lock.lock();
  std::map<uintptr_t, uint64_t> reference;
  std::mt19937_64 random(12345);
  for (int step = 0; step < 200000; ++step) {
    // Few distinct addresses so that removes hit and clusters form.
    const uintptr_t address = 16 * (1 + random() % 3000);
    if (random() % 3 == 0) {
      TracedBlock removed{};
      const bool found = shard.remove(0, address, &removed);
      ASSERT_EQ(found, reference.count(address) == 1) << "step " << step;
      if (found) {
        EXPECT_EQ(removed.size, reference[address]);
        reference.erase(address);
      }
    } else {
      uint64_t replaced = 0;
      const uint64_t size = random() % 1000;
      ASSERT_TRUE(shard.insert(TracedBlock{address, size, nullptr, 0, 0}, &replaced));
      EXPECT_EQ(replaced, reference.count(address) ? reference[address] : 0u);
      reference[address] = size;
    }
  }
  ASSERT_EQ(shard.size(), reference.size());
  for (const auto &[address, size] : reference) {
    const TracedBlock *t = shard.find(0, address);
    ASSERT_NE(t, nullptr) << address;
    EXPECT_EQ(t->size, size);
  }
  size_t visited = 0;
  shard.for_each([&](const TracedBlock &t) {
    ++visited;
    EXPECT_EQ(reference.at(t.address), t.size);
  });
  EXPECT_EQ(visited, reference.size());
  shard.clear();
  shard.lock.unlock();
}

TEST(RuntimeTraceTable, AddressesSpreadOverAllShards) {
  std::set<const TraceShard *> used;
  for (uintptr_t address = 0x10000; address < 0x10000 + 16 * 100000; address += 16) {
    used.insert(&tm_rt::trace_shard_for(0, address));
  }
  EXPECT_EQ(used.size(), tm_rt::kTraceShards);
}

TEST(RuntimeTracebackTable, CollectFramesExpandsInlineParents) {
  const tm_site *frames[8];
  uint32_t total = 0;
  uint32_t n = tm_rt::collect_frames(&tm_test::kInlinedLeaf, nullptr, 0, 0, 8, frames, &total);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(total, 3u);
  EXPECT_EQ(frames[0], &tm_test::kInlinedLeaf);
  EXPECT_EQ(frames[1], &tm_test::kInlinedMiddle);
  EXPECT_EQ(frames[2], &tm_test::kOuterCaller);

  n = tm_rt::collect_frames(&tm_test::kInlinedLeaf, nullptr, 0, 0, 1, frames, &total);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(total, 3u);
  EXPECT_EQ(frames[0], &tm_test::kInlinedLeaf);

  // Callers (the future shadow stack) come after the site's inline chain.
  const tm_site *callers[] = {&tm_test::kSiteB, &tm_test::kInlinedMiddle};
  n = tm_rt::collect_frames(&tm_test::kSiteA, callers, 2, 0, 8, frames, &total);
  ASSERT_EQ(n, 4u);
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(frames[0], &tm_test::kSiteA);
  EXPECT_EQ(frames[1], &tm_test::kSiteB);
  EXPECT_EQ(frames[2], &tm_test::kInlinedMiddle);
  EXPECT_EQ(frames[3], &tm_test::kOuterCaller);

  n = tm_rt::collect_frames(nullptr, nullptr, 0, 0, 8, frames, &total);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(total, 1u);
  EXPECT_EQ(frames[0], nullptr);

  // Frames lost from the shadow stack ring only add to the depth.
  n = tm_rt::collect_frames(&tm_test::kSiteA, callers, 2, 10, 2, frames, &total);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(total, 14u);
}

TEST(RuntimeTracebackTable, InternsEqualTracebacksOnce) {
  tm_rt::clear_tracebacks();
  const tm_site *ab[] = {&tm_test::kSiteA, &tm_test::kSiteB};
  const tm_site *ab_copy[] = {&tm_test::kSiteA, &tm_test::kSiteB};
  const tm_site *ba[] = {&tm_test::kSiteB, &tm_test::kSiteA};
  const tm_rt::TracebackRecord *first = tm_rt::intern_traceback(ab, 2, 2);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(tm_rt::intern_traceback(ab_copy, 2, 2), first);
  EXPECT_NE(tm_rt::intern_traceback(ba, 2, 2), first);
  // Same frames, different depth before the cut: different traceback.
  EXPECT_NE(tm_rt::intern_traceback(ab, 2, 5), first);
  EXPECT_NE(tm_rt::intern_traceback(ab, 1, 2), first);
  EXPECT_EQ(tm_rt::traceback_count(), 4u);
  // Many distinct tracebacks survive growth of the buckets.
  static tm_site sites[5000];
  const tm_rt::TracebackRecord *records[5000];
  for (int i = 0; i < 5000; ++i) {
    const tm_site *one[] = {&sites[i]};
    records[i] = tm_rt::intern_traceback(one, 1, 1);
    ASSERT_NE(records[i], nullptr);
  }
  for (int i = 0; i < 5000; ++i) {
    const tm_site *one[] = {&sites[i]};
    ASSERT_EQ(tm_rt::intern_traceback(one, 1, 1), records[i]);
  }
  EXPECT_EQ(tm_rt::traceback_count(), 5004u);
  tm_rt::clear_tracebacks();
  EXPECT_EQ(tm_rt::traceback_count(), 0u);
}

}  // namespace
