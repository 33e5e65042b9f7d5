// Block headers (block_header.h, interpose.cpp, trace_groups.cpp): when the
// runtime owns malloc, every block allocated while tracing carries a 16-byte
// header and traced blocks are counted per (traceback, size) group instead
// of in the table; blocks allocated while not tracing are glibc's.
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "runtime/support/guard.h"
#include "runtime/traces/block_header.h"
#include "runtime_test_support.h"
#include "tracemalloc/tracemalloc.hpp"

namespace {

using tm_test::kSiteA;
using tm_test::kSiteB;
using tm_test::traced_memory;
using Sizes = std::pair<size_t, size_t>;

using namespace tm_test::libc_calls;

using RuntimeBlockHeader = tm_test::InterposerTest;

TEST_F(RuntimeBlockHeader, OnlyBlocksAllocatedWhileTracingHaveOne) {
  EXPECT_TRUE(tm_rt::block_headers_enabled());
  void *untraced = call_malloc(40);
  EXPECT_FALSE(tm_rt::has_header(untraced));
  ASSERT_EQ(tm_start(1), 0);
  void *traced = call_malloc(40);
  ASSERT_TRUE(tm_rt::has_header(traced));
  EXPECT_EQ(tm_rt::header_size(tm_rt::header_of(traced)), 40u);
  EXPECT_EQ(tm_rt::header_shift(tm_rt::header_of(traced)), tm_rt::kPlainShift);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(traced) % 16, 0u);
  EXPECT_EQ(traced_memory().first, 40u);
  // Each kind freed in the other state.
  call_free(untraced);
  tm_stop();
  call_free(traced);
}

// The entries' one-test shortcut to glibc is open exactly while not tracing.
TEST_F(RuntimeBlockHeader, GlibcShortcutOnlyWhileNotTracing) {
  call_free(call_malloc(1));  // headers are decided by now
  EXPECT_TRUE(tm_rt::glibc_direct());
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_FALSE(tm_rt::glibc_direct());
  tm_clear_traces();
  EXPECT_FALSE(tm_rt::glibc_direct());
  tm_stop();
  EXPECT_TRUE(tm_rt::glibc_direct());
}

// The entries of libstdc++'s operator new and delete allocate as malloc
// does: glibc's block while not tracing, a header block while tracing,
// without calling the real operator new unless the allocation fails.
TEST_F(RuntimeBlockHeader, OperatorNewEntriesAllocateAsMallocDoes) {
  const uint64_t fallbacks = tm_rt::t_new_entry_fallbacks;
  void *untraced = __tm__Znwm(40, &kSiteA);
  EXPECT_FALSE(tm_rt::has_header(untraced));
  ASSERT_EQ(tm_start(1), 0);
  void *traced = __tm__Znam(40, &kSiteA);
  ASSERT_TRUE(tm_rt::has_header(traced));
  EXPECT_EQ(traced_memory().first, 40u);
  __tm__ZdlPvm(untraced, 40, &kSiteA);
  EXPECT_EQ(traced_memory().first, 40u);
  __tm__ZdaPv(traced, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
  EXPECT_EQ(tm_rt::t_new_entry_fallbacks, fallbacks);
  EXPECT_EQ(__tm__ZnwmRKSt9nothrow_t(SIZE_MAX - 4096, std::nothrow, &kSiteA), nullptr);
  EXPECT_EQ(tm_rt::t_new_entry_fallbacks, fallbacks + 1);
}

// The entries' slow path, taken while not tracing (before headers were
// decided, or when the shortcut's flag lost a race): glibc's block,
// nothing recorded, no tracer memory.
TEST_F(RuntimeBlockHeader, SlowPathWhileNotTracingRecordsNothing) {
  call_free(call_malloc(1));  // headers are decided by now
  const size_t tracer_memory = tm_get_tracemalloc_memory();
  __atomic_store_n(&tm_rt::g_glibc_direct, 0, __ATOMIC_SEQ_CST);
  void *block = __tm_malloc(13, &kSiteA);
  void *zeroed = __tm_calloc(2, 8, &kSiteA);
  tm_rt::publish_glibc_direct();
  EXPECT_TRUE(tm_rt::glibc_direct());
  EXPECT_FALSE(tm_rt::has_header(block));
  EXPECT_FALSE(tm_rt::has_header(zeroed));
  EXPECT_EQ(tm_get_tracemalloc_memory(), tracer_memory);
  __tm_free(block, &kSiteA);
  __tm_free(zeroed, &kSiteA);
}

// free() tells the kinds apart by the high half of glibc's chunk size in
// front of its blocks (block_header.h): never with bit 31 set, small or
// mmapped, plain or aligned.
TEST_F(RuntimeBlockHeader, GlibcBlocksNeverLookMarked) {
  std::vector<void *> blocks;
  for (size_t size : {size_t{0}, size_t{1}, size_t{24}, size_t{1000}, size_t{200000},
                      size_t{1} << 20, size_t{64} << 20}) {
    blocks.push_back(call_malloc(size));
    blocks.push_back(call_calloc(1, size));
    blocks.push_back(call_memalign(4096, size));
  }
  // Above 4 GiB the high half is the size / 4 GiB (where the kernel lets
  // an untouched mapping that large exist).
  blocks.push_back(call_malloc((size_t{5} << 30)));
  for (void *block : blocks) {
    if (!block) continue;
    EXPECT_FALSE(tm_rt::has_header(block)) << call_usable_size(block);
    call_free(block);
  }
}

TEST_F(RuntimeBlockHeader, UsableSizeIsTheRequestAndNeverTheHeader) {
  void *glibc_block = call_malloc(13);
  EXPECT_GE(call_usable_size(glibc_block), 13u);  // glibc's answer: 24 today
  ASSERT_EQ(tm_start(1), 0);
  void *block = call_malloc(13);
  EXPECT_EQ(call_usable_size(block), 13u);
  EXPECT_GE(call_usable_size(glibc_block), 13u);
  EXPECT_EQ(call_usable_size(nullptr), 0u);
  call_free(block);
  call_free(glibc_block);
}

// realloc() of a block from before start() moves it into a header block
// (once), bytes kept, traced at its new size; a header block stays one
// after stop().
TEST_F(RuntimeBlockHeader, ReallocWhileTracingGivesAGlibcBlockAHeader) {
  auto *bytes = static_cast<unsigned char *>(call_malloc(100));
  for (int i = 0; i < 100; ++i) bytes[i] = static_cast<unsigned char>(i);
  ASSERT_EQ(tm_start(1), 0);
  auto *grown = static_cast<unsigned char *>(call_realloc(bytes, 3000));
  ASSERT_NE(grown, nullptr);
  EXPECT_TRUE(tm_rt::has_header(grown));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(grown[i], i);
  EXPECT_EQ(traced_memory().first, 3000u);
  auto *shrunk = static_cast<unsigned char *>(call_realloc(grown, 50));
  ASSERT_NE(shrunk, nullptr);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(shrunk[i], i);
  EXPECT_EQ(traced_memory().first, 50u);
  tm_stop();
  auto *after = static_cast<unsigned char *>(call_realloc(shrunk, 70));
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(tm_rt::has_header(after));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(after[i], i);
  EXPECT_EQ(call_usable_size(after), 70u);
  call_free(after);
}

void check_over_aligned_reallocs();

TEST_F(RuntimeBlockHeader, OverAlignedBlocksKeepTheirBytesThroughRealloc) {
  for (bool tracing : {false, true}) {
    if (tracing) ASSERT_EQ(tm_start(1), 0);
    SCOPED_TRACE(tracing ? "tracing" : "not tracing");
    check_over_aligned_reallocs();
  }
}

void check_over_aligned_reallocs() {
  for (size_t alignment : {32u, 64u, 4096u, 65536u}) {
    auto *block = static_cast<unsigned char *>(call_memalign(alignment, 100));
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % alignment, 0u) << alignment;
    for (int i = 0; i < 100; ++i) block[i] = static_cast<unsigned char>(i);
    auto *grown = static_cast<unsigned char *>(call_realloc(block, 5000));
    ASSERT_NE(grown, nullptr);
    for (int i = 0; i < 100; ++i) ASSERT_EQ(grown[i], i) << alignment;
    auto *shrunk = static_cast<unsigned char *>(call_realloc(grown, 10));
    ASSERT_NE(shrunk, nullptr);
    for (int i = 0; i < 10; ++i) ASSERT_EQ(shrunk[i], i) << alignment;
    call_free(shrunk);
  }
  // A non-power-of-two alignment is rounded up, as glibc does.
  void *odd = call_memalign(48, 8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(odd) % 64, 0u);
  call_free(odd);
}

TEST_F(RuntimeBlockHeader, HeadersFromAnEarlierSessionReadAsUntraced) {
  ASSERT_EQ(tm_start(1), 0);
  void *old_block = __tm_malloc(64, &kSiteA);
  tm_clear_traces();
  void *new_block = __tm_malloc(8, &kSiteB);
  // Enough groups in the new session that the old block's group index
  // names one of them again.
  void *fillers[256];
  for (size_t i = 0; i < 256; ++i) fillers[i] = __tm_malloc(100 + i, &kSiteA);
  const Sizes before = traced_memory();
  // Freeing the block of the cleared session changes nothing.
  __tm_free(old_block, &kSiteA);
  EXPECT_EQ(traced_memory(), before);
  for (void *f : fillers) __tm_free(f, &kSiteA);
  EXPECT_EQ(traced_memory().first, 8u);
  tm_frame frame;
  EXPECT_EQ(tm_get_object_traceback(new_block, &frame, 1, nullptr), 1);
  // stop() + start(): a new session again.
  void *before_stop = __tm_malloc(16, &kSiteA);
  tm_stop();
  ASSERT_EQ(tm_start(1), 0);
  EXPECT_EQ(tm_get_object_traceback(before_stop, &frame, 1, nullptr), -1);
  __tm_free(before_stop, &kSiteA);
  __tm_free(new_block, &kSiteB);
  EXPECT_EQ(traced_memory(), Sizes(0, 0));
}

TEST_F(RuntimeBlockHeader, EqualTracesAreOneGroupInSnapshots) {
  ASSERT_EQ(tm_start(1), 0);
  void *blocks[1000];
  for (void *&b : blocks) b = __tm_malloc(24, &kSiteA);
  void *other = __tm_malloc(25, &kSiteA);
  {
    // The snapshot and its statistics are the program's memory, traced too
    // (as "<unknown>":0) until they go out of scope.
    const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
    EXPECT_EQ(snapshot.trace_count(), 1001u);
    const auto stats = snapshot.statistics(tracemalloc::KeyType::Lineno);
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].size, 1000u * 24 + 25);
    EXPECT_EQ(stats[0].count, 1001u);
  }
  for (void *b : blocks) __tm_free(b, &kSiteA);
  __tm_free(other, &kSiteA);
  EXPECT_EQ(traced_memory().first, 0u);
}

// The statistic of kSiteA's line in a fresh snapshot: (size, count), or
// (0, 0).  Thread start-up allocates too (traced as "<unknown>":0), so the
// threads' blocks are checked through their own line.
std::pair<uint64_t, uint64_t> site_a_statistic() {
  const tracemalloc::Snapshot snapshot = tracemalloc::take_snapshot();
  for (const auto &stat : snapshot.statistics(tracemalloc::KeyType::Lineno)) {
    if (stat.traceback.frames().back().filename == "a.c") return {stat.size, stat.count};
  }
  return {0, 0};
}

TEST_F(RuntimeBlockHeader, ThreadsCountInTheirOwnGroupsAndStatisticsAddUp) {
  std::vector<void *> blocks[2];
  for (auto &b : blocks) b.resize(100);
  ASSERT_EQ(tm_start(1), 0);
  std::thread workers[2];
  for (int t = 0; t < 2; ++t) {
    workers[t] = std::thread([&blocks, t] {
      for (void *&b : blocks[t]) b = __tm_malloc(24, &kSiteA);
    });
  }
  for (std::thread &w : workers) w.join();
  // Two threads, so (at least) two copies of the group: one statistic.
  EXPECT_EQ(site_a_statistic(), (std::pair<uint64_t, uint64_t>{200 * 24, 200}));
  // Each thread frees the other's blocks: their groups are found from the
  // headers, whichever thread counted them.
  const size_t before = traced_memory().first;
  for (int t = 0; t < 2; ++t) {
    workers[t] = std::thread([&blocks, t] {
      for (void *b : blocks[1 - t]) __tm_free(b, &kSiteA);
    });
  }
  for (std::thread &w : workers) w.join();
  EXPECT_EQ(site_a_statistic(), (std::pair<uint64_t, uint64_t>{0, 0}));
  EXPECT_LE(traced_memory().first + 200 * 24, before + 4096);  // thread start-up may keep a block
}

TEST_F(RuntimeBlockHeader, NestedReallocDropsTheTraceItMoves) {
  ASSERT_EQ(tm_start(1), 0);
  void *block = __tm_malloc(100, &kSiteA);
  void *moved;
  {
    // As inside an entry (a replaced allocator calling realloc): the
    // interposer records nothing, but the old block's trace must not stay.
    tm_rt::ReentrancyGuard guard;
    moved = call_realloc(block, 5000);
  }
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(traced_memory().first, 0u);
  call_free(moved);
  EXPECT_EQ(traced_memory().first, 0u);
}

TEST_F(RuntimeBlockHeader, HugeAlignmentsFailLikeGlibc) {
  errno = 0;
  EXPECT_EQ(call_memalign(size_t{1} << 60, 8), nullptr);
  EXPECT_EQ(errno, ENOMEM);
  errno = 0;
  EXPECT_EQ(call_memalign((size_t{1} << 63) + 1, 8), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(RuntimeBlockHeader, ObjectTracebackOfAnyPointerNeverFaults) {
  ASSERT_EQ(tm_start(1), 0);
  // A page whose predecessor is unmapped: its header would be unreadable.
  const size_t page = static_cast<size_t>(getpagesize());
  auto *pages = static_cast<char *>(
      mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(pages, MAP_FAILED);
  ASSERT_EQ(munmap(pages, page), 0);
  tm_frame frame;
  EXPECT_EQ(tm_get_object_traceback(pages + page, &frame, 1, nullptr), -1);
  // Bytes that look like a header but carry no valid tag.
  auto *fake = reinterpret_cast<tm_rt::BlockHeader *>(pages + page);
  *fake = tm_rt::BlockHeader{8, 64, 12345};
  EXPECT_EQ(tm_get_object_traceback(fake + 1, &frame, 1, nullptr), -1);
  munmap(pages + page, page);
  // A misaligned pointer is no block.
  alignas(16) static char buffer[64];
  EXPECT_EQ(tm_get_object_traceback(buffer + 3, &frame, 1, nullptr), -1);
}

}  // namespace
