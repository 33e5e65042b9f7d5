// Snapshot.statistics / compare_to / filter_traces against CPython 3.11.
//
// The snapshots below are CPython's raw trace tuples (tracebacks most recent
// first); expected values come from:
//   import tracemalloc as t
//   NEW = [(0,100,(('a.c',10),('main.c',5)),2), (0,100,(('a.c',10),('main.c',5)),2),
//          (0,30,(('a.c',12),('main.c',6)),None),
//          (1,4096,(('lib/b.c',3),('a.c',20),('main.c',7)),3),
//          (0,7,(('b.c',1),('b.c',1),('main.c',8)),3), (2,50,(('main.c',9),),1)]
//   OLD = [(0,100,(('a.c',10),('main.c',5)),2), (0,64,(('gone.c',1),),1),
//          (1,1000,(('lib/b.c',3),('a.c',20),('main.c',7)),3)]
//   new, old = t.Snapshot(NEW, 3), t.Snapshot(OLD, 3)
//   [str(s) for s in new.statistics(key_type, cumulative)]
//   [str(s) for s in new.compare_to(old, key_type, cumulative)]
//   s = new.filter_traces(filters); len(s.traces), sum(tr.size for tr in s.traces)
#include <tracemalloc/snapshot.hpp>

#include "model/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tracemalloc;

namespace {

struct RawTrace {
  uint64_t domain;
  uint64_t size;
  std::vector<std::pair<std::string, uint32_t>> most_recent_first;
  std::optional<uint64_t> total_nframe;
};

Snapshot make_snapshot(const std::vector<RawTrace> &raw, uint32_t limit = 3) {
  SnapshotBuilder b;
  for (const RawTrace &t : raw) {
    std::vector<SnapshotBuilder::FrameId> ids;
    // A function name that differs per call: display only, never grouped on.
    for (const auto &f : t.most_recent_first)
      ids.push_back(b.add_frame(f.first, f.second, "fn" + std::to_string(ids.size())));
    b.add_trace(t.domain, t.size, b.add_traceback(ids.data(), ids.size(), t.total_nframe));
  }
  b.set_traceback_limit(limit);
  return b.build();
}

const std::vector<RawTrace> kNew = {
    {0, 100, {{"a.c", 10}, {"main.c", 5}}, 2},
    {0, 100, {{"a.c", 10}, {"main.c", 5}}, 2},
    {0, 30, {{"a.c", 12}, {"main.c", 6}}, std::nullopt},
    {1, 4096, {{"lib/b.c", 3}, {"a.c", 20}, {"main.c", 7}}, 3},
    {0, 7, {{"b.c", 1}, {"b.c", 1}, {"main.c", 8}}, 3},
    {2, 50, {{"main.c", 9}}, 1},
};
const std::vector<RawTrace> kOld = {
    {0, 100, {{"a.c", 10}, {"main.c", 5}}, 2},
    {0, 64, {{"gone.c", 1}}, 1},
    {1, 1000, {{"lib/b.c", 3}, {"a.c", 20}, {"main.c", 7}}, 3},
};

template <typename T>
std::vector<std::string> strs(const std::vector<T> &v) {
  std::vector<std::string> out;
  for (const T &x : v) out.push_back(x.str());
  return out;
}

using V = std::vector<std::string>;

TEST(ModelStatistics, Filename) {
  EXPECT_EQ(
      strs(make_snapshot(kNew).statistics(KeyType::Filename)),
      (V{"lib/b.c:0: size=4096 B, count=1, average=4096 B",
         "a.c:0: size=230 B, count=3, average=77 B", "main.c:0: size=50 B, count=1, average=50 B",
         "b.c:0: size=7 B, count=1, average=7 B"}));
}

TEST(ModelStatistics, Lineno) {
  EXPECT_EQ(
      strs(make_snapshot(kNew).statistics(KeyType::Lineno)),
      (V{"lib/b.c:3: size=4096 B, count=1, average=4096 B",
         "a.c:10: size=200 B, count=2, average=100 B", "main.c:9: size=50 B, count=1, average=50 B",
         "a.c:12: size=30 B, count=1, average=30 B", "b.c:1: size=7 B, count=1, average=7 B"}));
}

TEST(ModelStatistics, TracebackGroupsWholeTracebacksAndShowsTheOldestFrame) {
  std::vector<Statistic> stats = make_snapshot(kNew).statistics(KeyType::Traceback);
  EXPECT_EQ(strs(stats), (V{"main.c:7: size=4096 B, count=1, average=4096 B",
                            "main.c:5: size=200 B, count=2, average=100 B",
                            "main.c:9: size=50 B, count=1, average=50 B",
                            "main.c:6: size=30 B, count=1, average=30 B",
                            "main.c:8: size=7 B, count=1, average=7 B"}));
  ASSERT_EQ(stats[0].traceback.size(), 3u);
  EXPECT_EQ(stats[0].traceback[2], (Frame{"lib/b.c", 3, "", ""}));  // most recent last
  EXPECT_EQ(stats[0].traceback[2].function, "fn0");                 // display info kept
  EXPECT_EQ(stats[0].traceback.total_nframe(), std::nullopt);  // as CPython's Traceback(frames)
}

TEST(ModelStatistics, CumulativeCountsEveryFrameEvenRepeatedOnes) {
  // CPython does not deduplicate frames within a trace: the recursive b.c:1
  // trace counts twice.
  EXPECT_EQ(strs(make_snapshot(kNew).statistics(KeyType::Filename, true)),
            (V{"main.c:0: size=4383 B, count=6, average=730 B",
               "a.c:0: size=4326 B, count=4, average=1082 B",
               "lib/b.c:0: size=4096 B, count=1, average=4096 B",
               "b.c:0: size=14 B, count=2, average=7 B"}));
  EXPECT_EQ(
      strs(make_snapshot(kNew).statistics(KeyType::Lineno, true)),
      (V{"main.c:7: size=4096 B, count=1, average=4096 B",
         "lib/b.c:3: size=4096 B, count=1, average=4096 B",
         "a.c:20: size=4096 B, count=1, average=4096 B",
         "main.c:5: size=200 B, count=2, average=100 B",
         "a.c:10: size=200 B, count=2, average=100 B", "main.c:9: size=50 B, count=1, average=50 B",
         "main.c:6: size=30 B, count=1, average=30 B", "a.c:12: size=30 B, count=1, average=30 B",
         "b.c:1: size=14 B, count=2, average=7 B", "main.c:8: size=7 B, count=1, average=7 B"}));
}

TEST(ModelStatistics, ErrorsUseCPythonMessages) {
  Snapshot s = make_snapshot(kNew);
  try {
    s.statistics(KeyType::Traceback, true);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "cumulative mode cannot by used with key type 'traceback'");
  }
  try {
    parse_key_type("foo");
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "unknown key_type: 'foo'");
  }
  EXPECT_EQ(parse_key_type("lineno"), KeyType::Lineno);
}

TEST(ModelStatistics, GroupedTracesCountLikeRepeatedTraces) {
  SnapshotBuilder b;
  SnapshotBuilder::FrameId f = b.add_frame("a.c", 1);
  SnapshotBuilder::TracebackId tb = b.add_traceback(&f, 1, 1);
  b.add_traces(0, 16, tb, 1000000);
  b.add_trace(0, 16, tb);
  Snapshot s = b.build();
  EXPECT_EQ(s.trace_count(), 1000001u);
  EXPECT_EQ(strs(s.statistics(KeyType::Lineno)),
            (V{"a.c:1: size=15.3 MiB, count=1000001, average=16 B"}));
}

TEST(ModelStatistics, OverflowIsAnErrorNotAWrap) {
  SnapshotBuilder b;
  SnapshotBuilder::FrameId f = b.add_frame("a.c", 1);
  SnapshotBuilder::TracebackId tb = b.add_traceback(&f, 1, 1);
  b.add_traces(0, UINT64_MAX, tb, 2);
  EXPECT_THROW(b.build().statistics(KeyType::Lineno), Error);
}

TEST(ModelCompareTo, Lineno) {
  EXPECT_EQ(strs(make_snapshot(kNew).compare_to(make_snapshot(kOld), KeyType::Lineno)),
            (V{"lib/b.c:3: size=4096 B (+3096 B), count=1 (+0), average=4096 B",
               "a.c:10: size=200 B (+100 B), count=2 (+1), average=100 B",
               "gone.c:1: size=0 B (-64 B), count=0 (-1)",
               "main.c:9: size=50 B (+50 B), count=1 (+1), average=50 B",
               "a.c:12: size=30 B (+30 B), count=1 (+1), average=30 B",
               "b.c:1: size=7 B (+7 B), count=1 (+1), average=7 B"}));
}

TEST(ModelCompareTo, Traceback) {
  EXPECT_EQ(strs(make_snapshot(kNew).compare_to(make_snapshot(kOld), KeyType::Traceback)),
            (V{"main.c:7: size=4096 B (+3096 B), count=1 (+0), average=4096 B",
               "main.c:5: size=200 B (+100 B), count=2 (+1), average=100 B",
               "gone.c:1: size=0 B (-64 B), count=0 (-1)",
               "main.c:9: size=50 B (+50 B), count=1 (+1), average=50 B",
               "main.c:6: size=30 B (+30 B), count=1 (+1), average=30 B",
               "main.c:8: size=7 B (+7 B), count=1 (+1), average=7 B"}));
}

TEST(ModelCompareTo, FilenameCumulative) {
  EXPECT_EQ(strs(make_snapshot(kNew).compare_to(make_snapshot(kOld), KeyType::Filename, true)),
            (V{"main.c:0: size=4383 B (+3283 B), count=6 (+4), average=730 B",
               "a.c:0: size=4326 B (+3226 B), count=4 (+2), average=1082 B",
               "lib/b.c:0: size=4096 B (+3096 B), count=1 (+0), average=4096 B",
               "gone.c:0: size=0 B (-64 B), count=0 (-1)",
               "b.c:0: size=14 B (+14 B), count=2 (+2), average=7 B"}));
}

TEST(ModelCompareTo, SortTiesFallBackToTracebackDescending) {
  // python3: t.Snapshot([(0,8,(('b.c',1),),1),(0,8,(('a.c',1),),1),(0,8,(('a.c',2),),1)],1)
  //            .compare_to(t.Snapshot([],1), 'lineno') -> b.c:1, a.c:2, a.c:1
  Snapshot now =
      make_snapshot({{0, 8, {{"b.c", 1}}, 1}, {0, 8, {{"a.c", 1}}, 1}, {0, 8, {{"a.c", 2}}, 1}});
  std::vector<StatisticDiff> d = now.compare_to(Snapshot(), KeyType::Lineno);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].traceback.str(), "b.c:1");
  EXPECT_EQ(d[1].traceback.str(), "a.c:2");
  EXPECT_EQ(d[2].traceback.str(), "a.c:1");
}

struct FilterCase {
  const char *name;
  std::vector<AnyFilter> filters;
  size_t count;
  uint64_t total_size;
};

Filter filter(bool inclusive, const char *pattern, std::optional<uint32_t> lineno = std::nullopt,
              bool all_frames = false, std::optional<uint64_t> domain = std::nullopt) {
  Filter f;
  f.inclusive = inclusive;
  f.filename_pattern = pattern;
  f.lineno = lineno;
  f.all_frames = all_frames;
  f.domain = domain;
  return f;
}

TEST(ModelFilterTraces, MatchesCPython) {
  const std::vector<FilterCase> cases = {
      {"incl a.c", {filter(true, "a.c")}, 3, 230},
      {"excl a.c", {filter(false, "a.c")}, 3, 4153},
      {"incl a.c all_frames", {filter(true, "a.c", std::nullopt, true)}, 4, 4326},
      {"excl a.c all_frames", {filter(false, "a.c", std::nullopt, true)}, 2, 57},
      {"incl *.c lineno 10", {filter(true, "*.c", 10u)}, 2, 200},
      {"incl main.c or b.c", {filter(true, "main.c"), filter(true, "b.c")}, 2, 57},
      {"incl * excl b.c", {filter(true, "*"), filter(false, "b.c")}, 5, 4376},
      {"incl a.c domain 0", {filter(true, "a.c", std::nullopt, false, 0u)}, 3, 230},
      {"excl a.c domain 0", {filter(false, "a.c", std::nullopt, false, 0u)}, 3, 4153},
      {"excl lib/* all_frames domain 1", {filter(false, "lib/*", std::nullopt, true, 1u)}, 5, 287},
      {"domain incl 0", {DomainFilter{true, 0}}, 4, 237},
      {"domain excl 0", {DomainFilter{false, 0}}, 2, 4146},
      {"domain excl 0 excl main.c", {DomainFilter{false, 0}, filter(false, "main.c")}, 1, 4096},
      {"empty", {}, 6, 4383},
  };
  Snapshot s = make_snapshot(kNew);
  for (const FilterCase &c : cases) {
    Snapshot f = s.filter_traces(c.filters);
    uint64_t total = 0;
    for (const Trace &t : f.traces()) total += t.size;
    EXPECT_EQ(f.trace_count(), c.count) << c.name;
    EXPECT_EQ(total, c.total_size) << c.name;
    EXPECT_EQ(f.traceback_limit(), 3u) << c.name;
  }
}

TEST(ModelFilterTraces, FilteredSnapshotKeepsTracebacks) {
  Snapshot f = make_snapshot(kNew).filter_traces({filter(true, "lib/*")});
  std::vector<Trace> traces = f.traces();
  ASSERT_EQ(traces.size(), 1u);
  EXPECT_EQ(traces[0].domain, 1u);
  ASSERT_EQ(traces[0].traceback->size(), 3u);
  EXPECT_EQ(traces[0].traceback->total_nframe(), 3u);
  EXPECT_EQ((*traces[0].traceback)[0], (Frame{"main.c", 7, "", ""}));
}

TEST(ModelBuilder, RejectsBadIds) {
  SnapshotBuilder b;
  SnapshotBuilder::FrameId bad = 7;
  EXPECT_THROW(b.add_traceback(&bad, 1, std::nullopt), Error);
  EXPECT_THROW(b.add_traceback(nullptr, 0, std::nullopt), Error);
  EXPECT_THROW(b.add_trace(0, 1, 0), Error);
}

TEST(ModelBuilder, DeduplicatesByValue) {
  SnapshotBuilder b;
  SnapshotBuilder::FrameId f1 = b.add_frame("a.c", 1, "f"), f2 = b.add_frame("a.c", 1, "f");
  EXPECT_EQ(f1, f2);
  EXPECT_EQ(b.add_traceback(&f1, 1, 1), b.add_traceback(&f2, 1, 1));
  EXPECT_NE(b.add_traceback(&f1, 1, 1), b.add_traceback(&f1, 1, std::nullopt));
}

}  // namespace

// With a limit, the first `limit` entries are those of the full list,
// tracebacks included; the others keep their sizes and counts only.
TEST(ModelStatistics, LimitBuildsTheFirstTracebacksOnly) {
  Snapshot now = make_snapshot(kNew), old = make_snapshot(kOld);
  for (KeyType key : {KeyType::Filename, KeyType::Lineno, KeyType::Traceback}) {
    std::vector<Statistic> all = now.statistics(key);
    std::vector<Statistic> first = now.statistics(key, false, 2);
    ASSERT_EQ(first.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(first[i].size, all[i].size);
      EXPECT_EQ(first[i].count, all[i].count);
      if (i < 2) {
        EXPECT_EQ(first[i].str(), all[i].str());
        EXPECT_EQ(first[i].traceback.size(), all[i].traceback.size());
      } else {
        EXPECT_EQ(first[i].traceback.size(), 0u);
      }
    }
    EXPECT_EQ(strs(now.statistics(key, false, 0)), strs(all));

    std::vector<StatisticDiff> diffs = now.compare_to(old, key);
    std::vector<StatisticDiff> first_diffs = now.compare_to(old, key, false, 3);
    ASSERT_EQ(first_diffs.size(), diffs.size());
    for (size_t i = 0; i < diffs.size(); ++i) {
      EXPECT_EQ(first_diffs[i].size_diff, diffs[i].size_diff);
      EXPECT_EQ(first_diffs[i].count_diff, diffs[i].count_diff);
      if (i < 3)
        EXPECT_EQ(first_diffs[i].str(), diffs[i].str());
      else
        EXPECT_EQ(first_diffs[i].traceback.size(), 0u);
    }
  }
}
