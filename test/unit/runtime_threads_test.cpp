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

// The same race through the foreign paths (the interposers: malloc, realloc
// moving blocks, free) and the entries' realloc, which take a trace out and
// put it back or record the moved block, while sessions end under them.
TEST_F(RuntimeThreads, ReallocAndForeignFreesRaceWithClear) {
  using namespace tm_test::libc_calls;
  ASSERT_EQ(tm_start(2), 0);
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      while (!done.load()) {
        void *blocks[32];
        for (void *&b : blocks) b = t ? call_malloc(24) : __tm_malloc(24, &kSiteA);
        for (size_t i = 0; i < 32; ++i) {
          blocks[i] =
              (i % 2) ? call_realloc(blocks[i], 100 + i) : __tm_realloc(blocks[i], 200, &kSiteB);
        }
        for (size_t i = 0; i < 32; ++i) {
          if (i % 3) {
            call_free(blocks[i]);
          } else {
            __tm_free(blocks[i], &kSiteA);
          }
        }
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    tm_clear_traces();
    if (i % 10 == 0) {
      tm_stop();
      ASSERT_EQ(tm_start(1 + i % 3), 0);
    }
  }
  done.store(true);
  for (auto &thread : threads) thread.join();
  // A free that subtracted a block of an ended session would wrap the
  // counter; what is left is only thread bookkeeping.
  size_t left = 0;
  tm_get_traced_memory(&left, nullptr);
  EXPECT_LT(left, size_t{1} << 20);
  // The threads' own blocks are all freed; what else was allocated since the
  // last clear (thread bookkeeping) is untouched by them: clear once more
  // and check that frees of blocks from ended sessions took nothing.
  tm_clear_traces();
  void *last = __tm_malloc(8, &kSiteA);
  size_t current = 0;
  tm_get_traced_memory(&current, nullptr);
  EXPECT_EQ(current, 8u);
  __tm_free(last, &kSiteA);
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
