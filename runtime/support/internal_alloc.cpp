// internal_alloc.cpp - size-class free lists over mmap'ed chunks for small
// requests, a private mapping for each large one.
#include "runtime/support/internal_alloc.h"

#include <errno.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstring>

#include "runtime/support/spinlock.h"

namespace tm_rt {
namespace {

constexpr size_t kMinClassShift = 4;   // 16 bytes
constexpr size_t kMaxClassShift = 12;  // 4 KiB; larger requests get their own mapping
constexpr size_t kNumClasses = kMaxClassShift - kMinClassShift + 1;
constexpr size_t kChunkBytes = 64 * 1024;

struct FreeBlock {
  FreeBlock *next;
};

struct SmallPool {
  SpinLock lock;
  FreeBlock *free_lists[kNumClasses] = {};  // protected by lock
  char *chunk_cursor = nullptr;             // protected by lock
  char *chunk_end = nullptr;                // protected by lock
};

SmallPool g_pool;
std::atomic<size_t> g_mapped_bytes{0};        // atomic: read without the lock
std::atomic<unsigned> g_fail_next{0};         // atomic: test hook
std::atomic<long long> g_successes_left{-1};  // atomic: test hook; -1: no limit

size_t page_round(size_t bytes) {
  const size_t page = 4096;
  return (bytes + page - 1) & ~(page - 1);
}

// Preserves errno: the tables grow inside the program's malloc calls, which
// must not change it (callers then need not save it on every allocation).
void *map_pages(size_t bytes) {
  const int saved_errno = errno;
  void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  errno = saved_errno;
  if (p == MAP_FAILED) return nullptr;
  g_mapped_bytes.fetch_add(bytes, std::memory_order_relaxed);
  return p;
}

size_t class_index(size_t bytes) {
  size_t shift = kMinClassShift;
  while ((size_t{1} << shift) < bytes) ++shift;
  return shift - kMinClassShift;
}

bool should_fail() {
  unsigned pending = g_fail_next.load(std::memory_order_relaxed);
  while (pending != 0) {
    if (g_fail_next.compare_exchange_weak(pending, pending - 1, std::memory_order_relaxed))
      return true;
  }
  long long left = g_successes_left.load(std::memory_order_relaxed);
  while (left >= 0) {
    if (left == 0) return true;
    if (g_successes_left.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) break;
  }
  return false;
}

}  // namespace

void *internal_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (should_fail()) return nullptr;
  if (bytes > (size_t{1} << kMaxClassShift)) {
    if (bytes > SIZE_MAX - 4096) return nullptr;
    return map_pages(page_round(bytes));  // anonymous pages are zero-filled
  }
  const size_t index = class_index(bytes);
  const size_t block = size_t{1} << (index + kMinClassShift);
  SpinLockHolder hold(g_pool.lock);
  if (FreeBlock *reused = g_pool.free_lists[index]) {
    g_pool.free_lists[index] = reused->next;
    std::memset(reused, 0, block);
    return reused;
  }
  if (static_cast<size_t>(g_pool.chunk_end - g_pool.chunk_cursor) < block) {
    // The tail of the old chunk is abandoned: at most 4 KiB per 64 KiB chunk.
    char *chunk = static_cast<char *>(map_pages(kChunkBytes));
    if (!chunk) return nullptr;
    g_pool.chunk_cursor = chunk;
    g_pool.chunk_end = chunk + kChunkBytes;
  }
  void *result = g_pool.chunk_cursor;
  g_pool.chunk_cursor += block;
  return result;
}

void internal_free(void *p, size_t bytes) {
  if (!p) return;
  if (bytes == 0) bytes = 1;
  if (bytes > (size_t{1} << kMaxClassShift)) {
    const size_t mapped = page_round(bytes);
    const int saved_errno = errno;  // as map_pages
    munmap(p, mapped);
    errno = saved_errno;
    g_mapped_bytes.fetch_sub(mapped, std::memory_order_relaxed);
    return;
  }
  const size_t index = class_index(bytes);
  SpinLockHolder hold(g_pool.lock);
  FreeBlock *block = static_cast<FreeBlock *>(p);
  block->next = g_pool.free_lists[index];
  g_pool.free_lists[index] = block;
}

size_t internal_memory_usage() { return g_mapped_bytes.load(std::memory_order_relaxed); }

void internal_alloc_fail_next(unsigned count) {
  g_fail_next.store(count, std::memory_order_relaxed);
}

void internal_alloc_fail_after(long long successes) {
  g_successes_left.store(successes < 0 ? -1 : successes, std::memory_order_relaxed);
}

void internal_alloc_lock() { g_pool.lock.lock(); }
void internal_alloc_unlock() { g_pool.lock.unlock(); }

}  // namespace tm_rt
