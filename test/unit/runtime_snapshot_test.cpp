// Snapshots of the runtime tables through the snapshot model, and dumps.
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "runtime/config/flags.h"
#include "runtime/snapshots/dump.h"
#include "runtime_test_support.h"
#include "tracemalloc/tracemalloc.hpp"

namespace {

using tm_test::kInlinedLeaf;
using tm_test::kSiteA;
using tm_test::kSiteB;

class RuntimeSnapshot : public tm_test::RuntimeTest {
 protected:
  std::string temp_path(const std::string &name) {
    return ::testing::TempDir() + "tm-runtime-" + std::to_string(getpid()) + "-" + name;
  }
};

TEST_F(RuntimeSnapshot, StatisticsByLineno) {
  tracemalloc::start(5);
  void *a1 = __tm_malloc(100, &kSiteA);
  void *a2 = __tm_malloc(100, &kSiteA);
  void *a3 = __tm_malloc(50, &kSiteA);
  void *b1 = __tm_malloc(1000, &kSiteB);
  void *leaf = __tm_malloc(7, &kInlinedLeaf);
  void *freed = __tm_malloc(5000, &kSiteB);
  __tm_free(freed, &kSiteB);

  const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  EXPECT_EQ(snapshot.traceback_limit(), 5u);
  EXPECT_EQ(snapshot.trace_count(), 5u);
  EXPECT_EQ(snapshot.traced_current(), 1257u);
  EXPECT_EQ(snapshot.traced_peak(), 6257u);

  const auto stats = snapshot.statistics(tracemalloc::KeyType::Lineno);
  ASSERT_EQ(stats.size(), 3u);
  // Sorted by size, biggest first, as CPython.
  EXPECT_EQ(stats[0].traceback[0].filename, "b.c");
  EXPECT_EQ(stats[0].traceback[0].lineno, 20u);
  EXPECT_EQ(stats[0].size, 1000u);
  EXPECT_EQ(stats[0].count, 1u);
  EXPECT_EQ(stats[1].traceback[0].filename, "a.c");
  EXPECT_EQ(stats[1].traceback[0].lineno, 10u);
  EXPECT_EQ(stats[1].size, 250u);
  EXPECT_EQ(stats[1].count, 3u);
  // Grouped by lineno: the most recent frame of the inlined allocation.
  EXPECT_EQ(stats[2].traceback[0].filename, "util.h");
  EXPECT_EQ(stats[2].traceback[0].lineno, 7u);
  EXPECT_EQ(stats[2].size, 7u);

  const auto by_traceback = snapshot.statistics(tracemalloc::KeyType::Traceback);
  ASSERT_EQ(by_traceback.size(), 3u);
  const tracemalloc::Traceback &inlined = by_traceback[2].traceback;
  ASSERT_EQ(inlined.size(), 3u);
  EXPECT_EQ(inlined[0].filename, "main.cpp");  // oldest first
  EXPECT_EQ(inlined[2].function, "leaf()");
  // Statistics build new Tracebacks without total_nframe (as CPython); the
  // traces carry it.
  bool found_inlined_trace = false;
  for (const tracemalloc::Trace &trace : snapshot.traces()) {
    if (trace.size != 7) continue;
    found_inlined_trace = true;
    EXPECT_EQ(trace.traceback->size(), 3u);
    EXPECT_EQ(trace.traceback->total_nframe(), 3u);
  }
  EXPECT_TRUE(found_inlined_trace);

  for (void *block : {a1, a2, a3, b1, leaf}) __tm_free(block, &kSiteA);
}

TEST_F(RuntimeSnapshot, CSnapshotDumpAndUnwritablePath) {
  // Before tracing: the test's own strings would be traced (interpose.cpp).
  const std::string good = temp_path("%p.tmd");
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(64, &kSiteA);
  ASSERT_EQ(tm_dump(good.c_str()), 0) << strerror(errno);
  const std::string written = tm_rt::expand_dump_path(good.c_str());
  struct stat info;
  ASSERT_EQ(stat(written.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const tracemalloc::Snapshot loaded = tracemalloc::Snapshot::load(written);
  EXPECT_EQ(loaded.trace_count(), 1u);
  EXPECT_EQ(loaded.traced_current(), 64u);
  std::remove(written.c_str());

  errno = 0;
  EXPECT_EQ(tm_dump("/nonexistent-dir/sub/out.tmd"), -1);
  EXPECT_NE(errno, 0);

  tm_snapshot *snapshot = tm_take_snapshot();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(tm_snapshot_dump(snapshot, "/nonexistent-dir/out.tmd"), -1);
  tm_snapshot_free(snapshot);
  __tm_free(block, &kSiteA);
}

std::map<std::string, std::string> g_environment;
const char *lookup(const char *name) {
  auto found = g_environment.find(name);
  return found == g_environment.end() ? nullptr : found->second.c_str();
}

TEST_F(RuntimeSnapshot, DumpAtExitWritesTheSnapshotOrWarns) {
  const std::string pattern = temp_path("exit-%p.tmd");
  g_environment = {{"TRACEMALLOC", "2"}, {"TRACEMALLOC_DUMP", pattern}};
  // Before tracing: the capture's allocations would be traced (interpose.cpp).
  tm_test::capture_warnings();
  tm_rt::apply_environment(lookup);
  void *block = __tm_malloc(33, &kSiteB);
  tm_rt::dump_at_exit();
  EXPECT_EQ(tm_test::captured_warnings(), "");
  const std::string path = tm_rt::expand_dump_path(pattern.c_str());
  const tracemalloc::Snapshot loaded = tracemalloc::Snapshot::load(path);
  EXPECT_EQ(loaded.traceback_limit(), 2u);
  ASSERT_EQ(loaded.trace_count(), 1u);
  EXPECT_EQ(loaded.traces()[0].size, 33u);
  std::remove(path.c_str());

  g_environment = {{"TRACEMALLOC", "2"}, {"TRACEMALLOC_DUMP", "/nonexistent-dir/x.tmd"}};
  tm_rt::apply_environment(lookup);
  tm_test::capture_warnings();
  tm_rt::dump_at_exit();
  const std::string warning = tm_test::captured_warnings();
  EXPECT_EQ(warning.find("tracemalloc: cannot write TRACEMALLOC_DUMP=/nonexistent-dir/x.tmd: "), 0u)
      << warning;
  EXPECT_EQ(warning.find('\n'), warning.size() - 1) << warning;
  __tm_free(block, &kSiteB);
  g_environment.clear();
  tm_rt::apply_environment(lookup);
}

}  // namespace
