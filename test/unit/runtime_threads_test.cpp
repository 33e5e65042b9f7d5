// Concurrency: exact accounting across threads, fork safety.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "runtime_test_support.h"

namespace {

using tm_test::kSiteA;
using tm_test::kSiteB;

class RuntimeThreads : public tm_test::RuntimeTest {};

// Each thread allocates blocks into its own slots and frees the blocks its
// neighbour allocated: frees race with allocations on every shard.
TEST_F(RuntimeThreads, FourThreadsFreeEachOthersBlocks) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 200;
  constexpr int kBlocks = 500;
  std::vector<std::atomic<void *>> slots(kThreads * kBlocks);
  for (auto &slot : slots) slot.store(nullptr);
  std::atomic<size_t> allocated_bytes{0};
  // Threads are created before tracing starts: creating one allocates (its
  // TLS vector stays in glibc's stack cache after join), and every malloc of
  // the process is traced (interpose.cpp).
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      const int neighbour = (t + 1) % kThreads;
      for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < kBlocks; ++i) {
          const size_t size = 1 + (round * 7 + i) % 300;
          void *block = __tm_malloc(size, (i & 1) ? &kSiteA : &kSiteB);
          allocated_bytes.fetch_add(size);
          void *previous = slots[t * kBlocks + i].exchange(block);
          if (previous) __tm_free(previous, &kSiteA);
          void *theirs = slots[neighbour * kBlocks + i].exchange(nullptr);
          if (theirs) __tm_free(theirs, &kSiteB);
        }
      }
    });
  }
  ASSERT_EQ(tm_start(1), 0);
  go.store(true);
  for (auto &thread : threads) thread.join();
  size_t current = 0, peak = 0;
  tm_get_traced_memory(&current, &peak);
  size_t live = 0;
  for (auto &slot : slots) {
    if (slot.load()) ++live;
  }
  EXPECT_LE(current, allocated_bytes.load());
  EXPECT_GE(peak, current);
  for (auto &slot : slots) {
    void *block = slot.exchange(nullptr);
    if (block) __tm_free(block, &kSiteA);
  }
  tm_get_traced_memory(&current, &peak);
  EXPECT_EQ(current, 0u) << live << " blocks were live";
  EXPECT_GT(peak, 0u);
}

TEST_F(RuntimeThreads, ClearAndStopRaceWithAllocations) {
  ASSERT_EQ(tm_start(4), 0);
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      while (!done.load()) {
        void *blocks[64];
        for (void *&b : blocks) b = __tm_malloc(16, &kSiteA);
        for (void *b : blocks) __tm_free(b, &kSiteA);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    tm_clear_traces();
    if (i % 10 == 0) {
      tm_stop();
      ASSERT_EQ(tm_start(1 + i % 5), 0);
    }
  }
  done.store(true);
  for (auto &thread : threads) thread.join();
  // Every block is freed: whatever raced with clear/stop, nothing is left.
  size_t current = 1;
  tm_get_traced_memory(&current, nullptr);
  EXPECT_EQ(current, 0u);
}

TEST_F(RuntimeThreads, ForkedChildKeepsTracing) {
  ASSERT_EQ(tm_start(1), 0);
  std::atomic<bool> done{false};
  // Another thread holds shard locks at random moments while we fork.
  std::thread churn([&] {
    while (!done.load()) __tm_free(__tm_malloc(32, &kSiteA), &kSiteA);
  });
  void *parent_block = __tm_malloc(100, &kSiteB);
  for (int i = 0; i < 20; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      void *block = __tm_malloc(10, &kSiteA);
      size_t current = 0;
      tm_get_traced_memory(&current, nullptr);
      __tm_free(block, &kSiteA);
      // The parent's trace was inherited with the tables.
      _exit(current >= 110 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  done.store(true);
  churn.join();
  __tm_free(parent_block, &kSiteB);
}

}  // namespace
