// The per-traceback totals of the profile exports (pprof, collapsed): every
// (domain, traceback) summed once, however many domains share a traceback.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "tools/tm-report/exports/stacks.hpp"
#include "model/snapshot_builder.hpp"

namespace {

using tracemalloc::Snapshot;
using tracemalloc::TraceGroup;
using tracemalloc::SnapshotBuilder;

// Two tracebacks; the first in 20 domains (more than a traceback's chain
// holds), each domain with blocks of three sizes, interleaved by size.
Snapshot many_domains() {
  SnapshotBuilder b;
  const SnapshotBuilder::FrameId a = b.add_frame("a.c", 1, "f");
  const SnapshotBuilder::FrameId c = b.add_frame("c.c", 2, "g");
  const SnapshotBuilder::TracebackId tb_a = b.add_traceback(&a, 1, 1);
  const SnapshotBuilder::TracebackId tb_c = b.add_traceback(&c, 1, 1);
  for (uint64_t size = 1; size <= 3; ++size)
    for (uint64_t domain = 0; domain < 20; ++domain) b.add_traces(domain, size, tb_a, domain + 1);
  b.add_traces(7, 100, tb_c, 2);
  b.set_traceback_limit(1);
  return b.build();
}

TEST(ExportStacks, EveryDomainOfATracebackSummedOnce) {
  const Snapshot s = many_domains();
  const std::vector<tmreport::Stack> stacks = tmreport::collect_stacks(s, nullptr, true);
  ASSERT_EQ(stacks.size(), 21u);
  std::set<std::pair<std::string, uint64_t>> seen;
  for (const tmreport::Stack &st : stacks) {
    const std::string file = (*st.traceback)[0].filename;
    EXPECT_TRUE(seen.emplace(file, st.domain).second) << file << " domain " << st.domain;
    if (file == "c.c") {
      EXPECT_EQ(st.domain, 7u);
      EXPECT_EQ(st.inuse_count, 2u);
      EXPECT_EQ(st.inuse_bytes, 200u);
    } else {
      // Sizes 1, 2 and 3, each domain + 1 times.
      EXPECT_EQ(st.inuse_count, 3 * (st.domain + 1));
      EXPECT_EQ(st.inuse_bytes, 6 * (st.domain + 1));
    }
  }
}

TEST(ExportStacks, DomainsSummedWhenNotByDomain) {
  const Snapshot s = many_domains();
  const std::vector<tmreport::Stack> stacks = tmreport::collect_stacks(s, nullptr, false);
  ASSERT_EQ(stacks.size(), 2u);
  // Largest first: a.c holds 6 * (1 + ... + 20) = 1260 bytes.
  EXPECT_EQ((*stacks[0].traceback)[0].filename, "a.c");
  EXPECT_EQ(stacks[0].inuse_bytes, 1260u);
  EXPECT_EQ(stacks[0].inuse_count, 630u);
  EXPECT_EQ(stacks[1].inuse_bytes, 200u);
}

TEST(ExportStacks, VisitedGroupsAreTheListedOnesWithDenseTracebackIndexes) {
  const Snapshot s = many_domains();
  const std::vector<TraceGroup> listed = s.trace_groups();
  std::vector<TraceGroup> visited;
  s.for_each_trace_group([&](const TraceGroup &g) { visited.push_back(g); });
  ASSERT_EQ(visited.size(), listed.size());
  std::map<uint32_t, const tracemalloc::Traceback *> by_index;
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(visited[i].domain, listed[i].domain);
    EXPECT_EQ(visited[i].size, listed[i].size);
    EXPECT_EQ(visited[i].count, listed[i].count);
    EXPECT_EQ(visited[i].traceback, listed[i].traceback);
    EXPECT_EQ(visited[i].traceback_index, listed[i].traceback_index);
    EXPECT_LT(visited[i].traceback_index, s.traceback_count());
    auto [it, added] = by_index.emplace(visited[i].traceback_index, visited[i].traceback);
    EXPECT_EQ(it->second, visited[i].traceback) << "one index, two tracebacks";
  }
  EXPECT_EQ(by_index.size(), 2u);
}

}  // namespace
