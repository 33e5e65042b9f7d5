// A snapshot's other views (peak, allocated, temporary) and its timeline:
// each view is a Snapshot on which statistics, filters and compare_to work,
// sharing the snapshot's tracebacks; a view the snapshot lacks is an error.
#include <tracemalloc/snapshot.hpp>

#include "model/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace tracemalloc;

namespace {

// Live: 1 block of 16 at a.c:1.  Peak: 10 blocks of 1 MiB at big.c:7 and the
// a.c:1 block.  Allocated: 1000 of 8 at loop.c:3.  Temporary: absent.
Snapshot make_snapshot() {
  SnapshotBuilder b;
  const auto a = b.add_frame("a.c", 1);
  const auto big = b.add_frame("big.c", 7);
  const auto loop = b.add_frame("loop.c", 3);
  const auto ta = b.add_traceback(&a, 1, 1);
  const auto tbig = b.add_traceback(&big, 1, 1);
  const auto tloop = b.add_traceback(&loop, 1, 1);
  b.add_trace(0, 16, ta);
  b.add_view_traces(View::Peak, 0, 1 << 20, tbig, 10);
  b.add_view_traces(View::Peak, 0, 16, ta, 1);
  b.add_view_traces(View::Allocated, 0, 8, tloop, 1000);
  b.set_traced_memory(16, 10 * (1 << 20) + 16);
  b.set_timeline({{0.0, 0, 0, 100}, {0.5, 16, 10 * (1 << 20) + 16, 200}});
  b.set_traceback_limit(1);
  return b.build();
}

std::vector<std::string> lines(const std::vector<Statistic> &stats) {
  std::vector<std::string> out;
  for (const Statistic &s : stats) out.push_back(s.str());
  return out;
}

TEST(ModelViews, EachViewIsASnapshotOfItsOwnTraces) {
  const Snapshot s = make_snapshot();
  EXPECT_TRUE(s.has_view(View::Live));
  EXPECT_TRUE(s.has_view(View::Peak));
  EXPECT_TRUE(s.has_view(View::Allocated));
  EXPECT_FALSE(s.has_view(View::Temporary));
  EXPECT_EQ(lines(s.statistics(KeyType::Lineno)),
            std::vector<std::string>({"a.c:1: size=16 B, count=1, average=16 B"}));
  const Snapshot peak = s.view(View::Peak);
  EXPECT_EQ(lines(peak.statistics(KeyType::Lineno)),
            std::vector<std::string>({"big.c:7: size=10.0 MiB, count=10, average=1024 KiB",
                                      "a.c:1: size=16 B, count=1, average=16 B"}));
  uint64_t total = 0;
  for (const Trace &t : peak.traces()) total += t.size;
  EXPECT_EQ(total, s.traced_peak());
  EXPECT_EQ(lines(s.view(View::Allocated).statistics(KeyType::Filename)),
            std::vector<std::string>({"loop.c:0: size=8000 B, count=1000, average=8 B"}));
  // A view has no views of its own; the live view is the snapshot's traces.
  EXPECT_FALSE(peak.has_view(View::Peak));
  EXPECT_EQ(s.view(View::Live).trace_count(), 1u);
}

TEST(ModelViews, AMissingViewIsAnErrorNamingIt) {
  const Snapshot s = make_snapshot();
  try {
    s.view(View::Temporary);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("no temporary view"), std::string::npos) << e.what();
  }
}

TEST(ModelViews, FiltersApplyToEveryViewAndCompareToWorksOnViews) {
  const Snapshot s = make_snapshot();
  Filter only_big;
  only_big.filename_pattern = "big.c";
  const Snapshot filtered = s.filter_traces({only_big});
  EXPECT_EQ(filtered.trace_count(), 0u);
  EXPECT_EQ(filtered.view(View::Peak).trace_count(), 10u);
  EXPECT_EQ(filtered.view(View::Allocated).trace_count(), 0u);
  EXPECT_EQ(filtered.timeline().size(), 2u);
  const std::vector<StatisticDiff> diff = s.view(View::Peak).compare_to(s, KeyType::Lineno);
  ASSERT_FALSE(diff.empty());
  EXPECT_EQ(diff[0].str(), "big.c:7: size=10.0 MiB (+10.0 MiB), count=10 (+10), average=1024 KiB");
}

TEST(ModelViews, TheTimelineTravelsWithCopies) {
  const Snapshot s = make_snapshot();
  const Snapshot copy = s;
  ASSERT_EQ(copy.timeline().size(), 2u);
  EXPECT_EQ(copy.timeline()[1].high, 10u * (1 << 20) + 16);
  EXPECT_EQ(copy.timeline()[1].rss, 200u);
  EXPECT_TRUE(copy.has_view(View::Peak));
}

}  // namespace

// Both formats carry every view (and an absent one stays absent) and the
// timeline, bit for bit.
TEST(ModelViews, DumpsKeepViewsAndTimeline) {
  char dir_template[] = "/tmp/tm-model-views-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const Snapshot s = make_snapshot();
  s.dump(dir + "/s.tmd");
  s.dump_json(dir + "/s.json");
  for (const std::string path : {dir + "/s.tmd", dir + "/s.json"}) {
    SCOPED_TRACE(path);
    const Snapshot back = Snapshot::load(path);
    EXPECT_TRUE(back.has_view(View::Peak));
    EXPECT_TRUE(back.has_view(View::Allocated));
    EXPECT_FALSE(back.has_view(View::Temporary));
    for (View v : {View::Live, View::Peak, View::Allocated})
      EXPECT_EQ(lines(back.view(v).statistics(KeyType::Traceback)),
                lines(s.view(v).statistics(KeyType::Traceback)));
    ASSERT_EQ(back.timeline().size(), 2u);
    EXPECT_EQ(back.timeline()[1].time_s, 0.5);
    EXPECT_EQ(back.timeline()[1].high, 10u * (1 << 20) + 16);
    EXPECT_EQ(back.timeline()[0].rss, 100u);
    std::remove(path.c_str());
  }
  rmdir(dir.c_str());
}
