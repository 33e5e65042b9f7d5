// SnapshotMerger (several snapshots as one, as pprof merges profiles) and
// Snapshot::keep_frames (pprof's -hide/-show): model operations beyond
// CPython, checked against the statistics of the snapshots they start from.
#include <tracemalloc/snapshot.hpp>

#include "model/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tracemalloc;

namespace {

std::vector<std::string> lines(const std::vector<Statistic> &stats) {
  std::vector<std::string> out;
  for (const Statistic &s : stats) out.push_back(s.str());
  return out;
}

// a.c:1 <- main.c:9 (16 B x n), shared.c:5 (8 B x 2) in domain `domain`;
// a peak view with `peak` bytes at big.c:7 unless 0; a timeline of one sample.
Snapshot make_snapshot(uint64_t n, uint64_t domain, uint64_t peak, uint64_t time_ns) {
  SnapshotBuilder b;
  const SnapshotBuilder::FrameId a[] = {b.add_frame("a.c", 1, "alloc"),
                                        b.add_frame("main.c", 9, "main")};
  const auto shared = b.add_frame("shared.c", 5);
  const auto big = b.add_frame("big.c", 7);
  const auto ta = b.add_traceback(a, 2, 2);
  const auto tshared = b.add_traceback(&shared, 1, 1);
  const auto tbig = b.add_traceback(&big, 1, 1);
  b.add_traces(0, 16, ta, n);
  b.add_traces(domain, 8, tshared, 2);
  if (peak) b.add_view_traces(View::Peak, 0, peak, tbig, 1);
  b.set_traced_memory(16 * n + 16, 16 * n + 16 + peak);
  b.set_traceback_limit(uint32_t(n));
  b.set_time(time_ns, time_ns / 2);
  b.set_timeline({{0.5, 1, 2, 3}});
  return b.build();
}

TEST(ModelMerge, TracesAreSummedGroupByGroup) {
  const Snapshot one = make_snapshot(3, 0, 100, 10), two = make_snapshot(5, 0, 200, 20);
  SnapshotMerger merger;
  merger.add(one);
  merger.add(two);
  const Snapshot merged = merger.build();
  EXPECT_EQ(merged.total_size(), one.total_size() + two.total_size());
  EXPECT_EQ(lines(merged.statistics(KeyType::Traceback)),
            std::vector<std::string>({"main.c:9: size=128 B, count=8, average=16 B",
                                      "shared.c:5: size=32 B, count=4, average=8 B"}));
  // Equal traces of both snapshots are one group whose count adds up.
  EXPECT_EQ(merged.trace_groups().size(), 2u);
  EXPECT_EQ(merged.trace_count(), one.trace_count() + two.trace_count());
  ASSERT_TRUE(merged.has_view(View::Peak));
  EXPECT_EQ(lines(merged.view(View::Peak).statistics(KeyType::Lineno)),
            std::vector<std::string>({"big.c:7: size=300 B, count=2, average=150 B"}));
  EXPECT_FALSE(merged.has_view(View::Allocated));
  EXPECT_EQ(merged.traced_current(), one.traced_current() + two.traced_current());
  EXPECT_EQ(merged.traced_peak(), one.traced_peak() + two.traced_peak());
  EXPECT_EQ(merged.traceback_limit(), 5u);
  EXPECT_EQ(merged.time_ns(), 20u);
  EXPECT_EQ(merged.duration_ns(), 10u);
  EXPECT_TRUE(merged.timeline().empty());
  // The display fields come along.
  EXPECT_EQ(merged.statistics(KeyType::Traceback)[0].traceback[1].function, "alloc");
}

TEST(ModelMerge, DomainsStayApart) {
  SnapshotMerger merger;
  merger.add(make_snapshot(1, 0, 0, 0));
  merger.add(make_snapshot(1, 7, 0, 0));
  const Snapshot merged = merger.build();
  EXPECT_EQ(merged.trace_groups().size(), 3u);
  EXPECT_EQ(merged.filter_traces({DomainFilter{true, 7}}).total_size(), 16u);
}

TEST(ModelMerge, AViewIsKeptOnlyWhenEverySnapshotHasIt) {
  SnapshotMerger merger;
  merger.add(make_snapshot(1, 0, 100, 0));
  merger.add(make_snapshot(1, 0, 0, 0));
  merger.add(make_snapshot(1, 0, 100, 0));
  EXPECT_FALSE(merger.build().has_view(View::Peak));
}

TEST(ModelMerge, OneSnapshotIsItself) {
  const Snapshot one = make_snapshot(3, 2, 100, 10);
  SnapshotMerger merger;
  merger.add(one);
  const Snapshot merged = merger.build();
  EXPECT_EQ(lines(merged.statistics(KeyType::Traceback)),
            lines(one.statistics(KeyType::Traceback)));
  EXPECT_EQ(lines(merged.view(View::Peak).statistics(KeyType::Lineno)),
            lines(one.view(View::Peak).statistics(KeyType::Lineno)));
  ASSERT_EQ(merged.timeline().size(), 1u);
  EXPECT_EQ(merged.timeline()[0].rss, 3u);
  // The merger starts again empty.
  EXPECT_EQ(merger.build().trace_count(), 0u);
}

TEST(ModelMerge, CountsBeyond64BitsAreAnError) {
  SnapshotBuilder b;
  const auto f = b.add_frame("a.c", 1);
  b.add_traces(0, 1, b.add_traceback(&f, 1, 1), UINT64_MAX);
  const Snapshot huge = b.build();
  SnapshotMerger merger;
  merger.add(huge);
  EXPECT_THROW(merger.add(huge), Error);
}

// main.c:3 -> vec.h:10 (inlined into main.c:3) -> new.h:20 (inlined), and a
// traceback of library frames only.
Snapshot library_snapshot() {
  SnapshotBuilder b;
  const SnapshotBuilder::FrameId user[] = {b.add_frame("new.h", 20, "allocate", "", "", true),
                                           b.add_frame("vec.h", 10, "push", "", "", true),
                                           b.add_frame("main.c", 3, "main")};
  const SnapshotBuilder::FrameId library[] = {b.add_frame("new.h", 20, "allocate"),
                                              b.add_frame("vec.h", 11, "grow")};
  b.add_traces(0, 100, b.add_traceback(user, 3, 3), 2);
  b.add_traces(0, 50, b.add_traceback(library, 2, 2), 1);
  b.add_view_traces(View::Allocated, 0, 100, b.add_traceback(user, 3, 3), 9);
  return b.build();
}

bool outside_headers(const Frame &frame) {
  return frame.filename.size() < 2 || frame.filename.substr(frame.filename.size() - 2) != ".h";
}

TEST(ModelKeepFrames, DroppedFramesLeaveTheUsersLine) {
  const Snapshot s = library_snapshot();
  EXPECT_EQ(lines(s.statistics(KeyType::Lineno)),
            std::vector<std::string>({"new.h:20: size=250 B, count=3, average=83 B"}));
  const Snapshot kept = s.keep_frames(outside_headers);
  EXPECT_EQ(lines(kept.statistics(KeyType::Lineno)),
            std::vector<std::string>({"main.c:3: size=200 B, count=2, average=100 B",
                                      "new.h:20: size=50 B, count=1, average=50 B"}));
  EXPECT_EQ(kept.total_size(), s.total_size());
  // The traceback left with no frame keeps its most recent one alone.
  const std::vector<Statistic> tracebacks = kept.statistics(KeyType::Traceback);
  ASSERT_EQ(tracebacks.size(), 2u);
  EXPECT_EQ(tracebacks[1].traceback.size(), 1u);
  EXPECT_EQ(tracebacks[1].traceback[0].str(), "new.h:20");
  // The traces keep the number of frames they had.
  for (const TraceGroup &g : kept.trace_groups())
    if (g.traceback->str() == "main.c:3") EXPECT_EQ(g.traceback->total_nframe(), 3u);
  // Every view.
  EXPECT_EQ(lines(kept.view(View::Allocated).statistics(KeyType::Lineno)),
            std::vector<std::string>({"main.c:3: size=900 B, count=9, average=100 B"}));
}

TEST(ModelKeepFrames, AFrameWhoseInliningHostIsDroppedStandsAlone) {
  const Snapshot s = library_snapshot();
  // Drop main.c:3, the host of vec.h:10 (itself the host of new.h:20).
  const Snapshot kept = s.keep_frames([](const Frame &f) { return f.filename != "main.c"; });
  const Statistic top = kept.statistics(KeyType::Traceback)[0];
  ASSERT_EQ(top.traceback.size(), 2u);
  EXPECT_EQ(top.traceback[0].str(), "vec.h:10");
  EXPECT_FALSE(top.traceback[0].inlined);
  EXPECT_TRUE(top.traceback[1].inlined);
  // Drop vec.h:10 only: new.h:20 is inlined into main.c:3 now.
  const Snapshot middle = s.keep_frames([](const Frame &f) { return f.lineno != 10; });
  const Statistic inner = middle.statistics(KeyType::Traceback)[0];
  ASSERT_EQ(inner.traceback.size(), 2u);
  EXPECT_FALSE(inner.traceback[0].inlined);
  EXPECT_TRUE(inner.traceback[1].inlined);
}

TEST(ModelKeepFrames, KeepingEveryFrameChangesNothing) {
  const Snapshot s = library_snapshot();
  int asked = 0;
  const Snapshot kept = s.keep_frames([&](const Frame &) { return ++asked > 0; });
  EXPECT_EQ(asked, 5);  // once per distinct frame
  EXPECT_EQ(lines(kept.statistics(KeyType::Traceback)), lines(s.statistics(KeyType::Traceback)));
}

}  // namespace

namespace {

// One traceback of `count` blocks of `size` bytes, sampled at `rate` (0: exact).
Snapshot sampled_snapshot(uint64_t rate, uint64_t size, uint64_t count) {
  SnapshotBuilder b;
  const auto f = b.add_frame("s.c", 3);
  b.add_traces(0, size, b.add_traceback(&f, 1, 1), count);
  b.set_traceback_limit(1);
  b.set_sample_bytes(rate);
  return b.build();
}

}  // namespace

TEST(ModelMerge, SampledSnapshotsMergeOnlyAtOneRate) {
  SnapshotMerger same;
  same.add(sampled_snapshot(4096, 100, 3));
  same.add(sampled_snapshot(4096, 100, 2));
  const Snapshot merged = same.build();
  EXPECT_EQ(merged.sample_bytes(), 4096u);
  // Scaled once, as one snapshot of 5 sampled blocks would be.
  EXPECT_EQ(lines(merged.statistics(KeyType::Lineno)),
            lines(sampled_snapshot(4096, 100, 5).statistics(KeyType::Lineno)));

  SnapshotMerger mixed;
  mixed.add(sampled_snapshot(0, 100, 3));
  try {
    mixed.add(sampled_snapshot(4096, 100, 2));
    ADD_FAILURE() << "merged an exact and a sampled snapshot";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(),
                 "merge: snapshots of different sampling rates (exact and 1 in 4096 bytes) "
                 "cannot be merged");
  }
}

TEST(ModelMerge, TotalSizeOfASampledSnapshotIsItsStatisticsTotal) {
  const Snapshot s = sampled_snapshot(4096, 100, 7);
  uint64_t statistics_total = 0;
  for (const Statistic &st : s.statistics(KeyType::Lineno)) statistics_total += st.size;
  EXPECT_EQ(s.total_size(), statistics_total);
  EXPECT_GT(s.total_size(), 700u);  // 7 blocks of 100 B stand for about 41 each
}
