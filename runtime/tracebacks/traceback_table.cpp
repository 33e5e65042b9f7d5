// traceback_table.cpp - sharded chained hash set of TracebackRecord.
//
// Sharded by hash so that threads allocating from different sites do not
// serialise on one lock.
#include "runtime/tracebacks/traceback_table.h"

#include <atomic>
#include <cstring>

#include "runtime/support/internal_alloc.h"
#include "runtime/support/spinlock.h"

namespace tm_rt {
namespace {

constexpr size_t kTracebackShards = 16;
constexpr size_t kInitialBuckets = 64;
// Guard against a corrupt parent chain (a cycle) looping forever.
constexpr uint32_t kMaxWalk = 1u << 20;

struct alignas(64) TracebackShard {
  SpinLock lock;
  TracebackRecord **buckets = nullptr;  // protected by lock
  size_t bucket_count = 0;              // protected by lock
  size_t record_count = 0;              // protected by lock
};

TracebackShard g_shards[kTracebackShards];
std::atomic<uint32_t> g_next_id{0};  // atomic: ids are handed out by many shards

size_t record_bytes(uint32_t nframe) {
  return offsetof(TracebackRecord, frames) + sizeof(const tm_site *) * nframe;
}

uint64_t hash_frames(const tm_site *const *frames, uint32_t nframe, uint32_t total_nframe) {
  uint64_t h = 0xcbf29ce484222325ull ^ total_nframe;
  for (uint32_t i = 0; i < nframe; ++i) {
    h ^= reinterpret_cast<uintptr_t>(frames[i]);
    h *= 0x100000001b3ull;
    h ^= h >> 29;
  }
  return h * 0x9e3779b97f4a7c15ull;
}

bool same(const TracebackRecord *r, uint64_t hash, const tm_site *const *frames, uint32_t nframe,
          uint32_t total_nframe) {
  return r->hash == hash && r->nframe == nframe && r->total_nframe == total_nframe &&
         std::memcmp(r->frames, frames, sizeof(const tm_site *) * nframe) == 0;
}

// Caller holds shard.lock.  On failure the old buckets stay in use: the
// table only gets slower.
void grow(TracebackShard &shard) {
  const size_t new_count = shard.bucket_count ? shard.bucket_count * 2 : kInitialBuckets;
  auto *new_buckets =
      static_cast<TracebackRecord **>(internal_alloc(sizeof(TracebackRecord *) * new_count));
  if (!new_buckets) return;
  for (size_t i = 0; i < shard.bucket_count; ++i) {
    TracebackRecord *r = shard.buckets[i];
    while (r) {
      TracebackRecord *next = r->next;
      const size_t b = (r->hash >> 8) & (new_count - 1);
      r->next = new_buckets[b];
      new_buckets[b] = r;
      r = next;
    }
  }
  internal_free(shard.buckets, sizeof(TracebackRecord *) * shard.bucket_count);
  shard.buckets = new_buckets;
  shard.bucket_count = new_count;
}

}  // namespace

uint32_t collect_frames(const tm_site *site, const tm_site *const *callers, size_t ncallers,
                        uint32_t lost_frames, uint32_t limit, const tm_site **frames,
                        uint32_t *total_nframe) {
  uint32_t written = 0;
  uint32_t total = 0;
  auto push_chain = [&](const tm_site *s) {
    if (!s) {
      if (written < limit) frames[written++] = nullptr;
      ++total;
      return;
    }
    for (; s && total < kMaxWalk; s = tm_site_parent(s)) {
      if (written < limit) frames[written++] = s;
      ++total;
    }
  };
  push_chain(site);
  for (size_t i = 0; i < ncallers; ++i) push_chain(callers[i]);
  *total_nframe = total + lost_frames;
  return written;
}

const TracebackRecord *intern_traceback(const tm_site *const *frames, uint32_t nframe,
                                        uint32_t total_nframe) {
  const uint64_t hash = hash_frames(frames, nframe, total_nframe);
  TracebackShard &shard = g_shards[hash % kTracebackShards];
  SpinLockHolder hold(shard.lock);
  if (shard.bucket_count) {
    for (TracebackRecord *r = shard.buckets[(hash >> 8) & (shard.bucket_count - 1)]; r;
         r = r->next) {
      if (same(r, hash, frames, nframe, total_nframe)) return r;
    }
  }
  if (shard.record_count >= shard.bucket_count) grow(shard);
  if (!shard.bucket_count) return nullptr;
  auto *r = static_cast<TracebackRecord *>(internal_alloc(record_bytes(nframe)));
  if (!r) return nullptr;
  r->hash = hash;
  r->id = g_next_id.fetch_add(1, std::memory_order_relaxed);
  r->nframe = nframe;
  r->total_nframe = total_nframe;
  std::memcpy(r->frames, frames, sizeof(const tm_site *) * nframe);
  const size_t b = (hash >> 8) & (shard.bucket_count - 1);
  r->next = shard.buckets[b];
  shard.buckets[b] = r;
  ++shard.record_count;
  return r;
}

void clear_tracebacks() {
  for (TracebackShard &shard : g_shards) {
    SpinLockHolder hold(shard.lock);
    for (size_t i = 0; i < shard.bucket_count; ++i) {
      TracebackRecord *r = shard.buckets[i];
      while (r) {
        TracebackRecord *next = r->next;
        internal_free(r, record_bytes(r->nframe));
        r = next;
      }
    }
    internal_free(shard.buckets, sizeof(TracebackRecord *) * shard.bucket_count);
    shard.buckets = nullptr;
    shard.bucket_count = 0;
    shard.record_count = 0;
  }
  g_next_id.store(0, std::memory_order_relaxed);
}

size_t traceback_count() {
  size_t n = 0;
  for (TracebackShard &shard : g_shards) {
    SpinLockHolder hold(shard.lock);
    n += shard.record_count;
  }
  return n;
}

void lock_traceback_shards() {
  for (TracebackShard &shard : g_shards) shard.lock.lock();
}

void unlock_traceback_shards() {
  for (size_t i = kTracebackShards; i-- > 0;) g_shards[i].lock.unlock();
}

}  // namespace tm_rt
