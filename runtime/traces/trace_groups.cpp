// trace_groups.cpp - per-(domain, traceback, size) counters, sharded by key hash.
//
// Each shard owns its groups (in fixed-size chunks that never move, so an
// index stays valid while the shard grows) and a chained hash index over
// them.  Everything in a shard is protected by its lock.
#include "runtime/traces/trace_groups.h"

#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {
namespace {

constexpr uint32_t kChunkGroups = 64;  // 4 KiB chunks: the internal allocator's largest class
constexpr uint32_t kMaxChunks = 8192;  // per shard: 512 Ki groups, 32 Mi in all
constexpr uint32_t kInitialBuckets = 64;

struct alignas(64) GroupShard {
  SpinLock lock;
  uint32_t used = 1;            // local indices handed out; 0 is reserved
  uint32_t nbuckets = 0;        // power of 2, or 0 before the first group
  uint32_t *buckets = nullptr;  // local index of each chain's head, 0 = empty

  TraceGroup *&chunk(uint32_t local);
  TraceGroup &at(uint32_t local) { return chunk(local)[local % kChunkGroups]; }
};
static_assert(sizeof(GroupShard) == 64, "a shard's lock and index: one line");

GroupShard g_shards[kGroupShards];
// Each shard's chunks, apart from the shards: a power-of-two stride, so that
// finding a group from its index is shifts and two loads.
TraceGroup *g_group_chunks[kGroupShards][kMaxChunks];

inline TraceGroup *&GroupShard::chunk(uint32_t local) {
  return g_group_chunks[this - g_shards][local / kChunkGroups];
}

// One 64x64->128-bit multiply, both halves folded: every bit of the key
// reaches the low bits (the thread's shard) and the bucket bits.
uint64_t group_hash(uint32_t domain, const TracebackRecord *traceback, uint64_t size) {
  const uint64_t key =
      reinterpret_cast<uintptr_t>(traceback) ^ (size << 24) ^ (static_cast<uint64_t>(domain) << 56);
  const unsigned __int128 product =
      static_cast<unsigned __int128>(key ^ (size >> 40)) * 0x9E3779B97F4A7C15ull;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// Doubles the bucket array (or makes the first one).  Requires the lock.
bool grow_buckets(GroupShard &shard) {
  const uint32_t n = shard.nbuckets ? shard.nbuckets * 2 : kInitialBuckets;
  auto *buckets = static_cast<uint32_t *>(internal_alloc(sizeof(uint32_t) * n));
  if (!buckets) return false;
  for (uint32_t local = 1; local < shard.used; ++local) {
    TraceGroup &g = shard.at(local);
    const uint32_t b =
        static_cast<uint32_t>(group_hash(g.domain, g.traceback, g.size) >> 6) & (n - 1);
    g.next = buckets[b];
    buckets[b] = local;
  }
  if (shard.buckets) internal_free(shard.buckets, sizeof(uint32_t) * shard.nbuckets);
  shard.buckets = buckets;
  shard.nbuckets = n;
  return true;
}

// A new group at the end of the shard; 0 when out of memory.  Requires the lock.
__attribute__((noinline)) uint32_t create_group(GroupShard &shard, uint32_t domain,
                                                const TracebackRecord *traceback, uint64_t size) {
  if (shard.used >= shard.nbuckets && !grow_buckets(shard)) return 0;
  const uint32_t local = shard.used;
  if (local / kChunkGroups >= kMaxChunks) return 0;
  TraceGroup *&chunk = shard.chunk(local);
  if (!chunk) {
    chunk = static_cast<TraceGroup *>(internal_alloc(sizeof(TraceGroup) * kChunkGroups));
    if (!chunk) return 0;
  }
  TraceGroup &g = shard.at(local);
  // Counted as changed in the current peak epoch: at that peak it had no traces.
  g = TraceGroup{
      traceback, size, 0, 0, 0, 0, g_runtime_state.peak_epoch.load(std::memory_order_relaxed),
      domain,    0};
  const uint32_t b =
      static_cast<uint32_t>(group_hash(domain, traceback, size) >> 6) & (shard.nbuckets - 1);
  g.next = shard.buckets[b];
  shard.buckets[b] = local;
  ++shard.used;
  return local;
}

// Each thread counts in its own eighth of the shards, chosen by a
// per-thread salt: threads allocating the same (traceback, size) then keep
// separate copies of the group, and no two threads share a shard's lock or
// group cache lines, which would otherwise move from core to core on nearly
// every allocation.  Snapshots merge equal (traceback, size) groups, and a
// block freed by another thread still finds its group through its header.
// Thread-local, so unshared; one byte of initial-exec TLS.
constexpr uint32_t kSaltShards = kGroupShards / 8;
__thread uint8_t t_group_salt __attribute__((tls_model("initial-exec"))) = 0;
std::atomic<uint8_t> g_next_salt{0};

inline uint32_t first_shard_of_thread() {
  uint8_t salt = t_group_salt;
  if (__builtin_expect(salt == 0, 0)) {
    salt = static_cast<uint8_t>(g_next_salt.fetch_add(1, std::memory_order_relaxed) % 8 + 1);
    t_group_salt = salt;
  }
  return (salt - 1u) * kSaltShards;
}

// The group of (domain, traceback, size), created if needed, with its shard
// locked; nullptr with nothing locked when out of memory.  *index gets its index.
__attribute__((always_inline)) inline TraceGroup *lock_group(uint32_t domain,
                                                             const TracebackRecord *traceback,
                                                             uint64_t size, uint32_t *index) {
  const uint64_t h = group_hash(domain, traceback, size);
  const uint32_t s = first_shard_of_thread() + static_cast<uint32_t>(h % kSaltShards);
  GroupShard &shard = g_shards[s];
  shard.lock.lock();
  if (shard.nbuckets) {
    for (uint32_t local = shard.buckets[static_cast<uint32_t>(h >> 6) & (shard.nbuckets - 1)];
         local;) {
      TraceGroup &g = shard.at(local);
      if (g.traceback == traceback && g.size == size && g.domain == domain) {
        *index = local * kGroupShards + s;
        return &g;
      }
      local = g.next;
    }
  }
  const uint32_t local = create_group(shard, domain, traceback, size);
  if (!local) {
    shard.lock.unlock();
    return nullptr;
  }
  *index = local * kGroupShards + s;
  return &shard.at(local);
}

// The group of an index, or nullptr if it does not exist since the last
// clear.  Requires the index's shard locked.
inline TraceGroup *find_group(uint32_t index) {
  GroupShard &shard = g_shards[group_shard_of(index)];
  const uint32_t local = index / kGroupShards;
  if (local == 0 || local >= shard.used) return nullptr;
  return &shard.at(local);
}

// This thread's last counted allocation, for the temporary view: freed
// before the thread allocates again, it was temporary.  Keyed by address,
// group and session, so a stale entry never matches.  Thread-local, so
// unshared; small, as initial-exec TLS must be.
struct LastAllocation {
  uintptr_t address;
  uint32_t group;
  uint32_t session;  // low half: the session changes by one at a time
};
__thread LastAllocation t_last_allocation __attribute__((tls_model("initial-exec")));

// Before any change of a group: its first change in a peak epoch saves the
// live count it had at that peak.  Requires the group's shard lock.
inline void note_change(TraceGroup &g) {
  const uint64_t epoch = g_runtime_state.peak_epoch.load(std::memory_order_relaxed);
  if (__builtin_expect(g.peak_epoch != epoch, 0)) {
    g.live_at_peak = g.live;
    g.peak_epoch = epoch;
  }
}

// One more trace in `g`; the caller raises traced memory after it (the peak
// epoch a new peak starts must come after the change that made it).
inline void count_in(TraceGroup &g, uint32_t index, uintptr_t address, uint64_t session,
                     Counted how) {
  note_change(g);
  ++g.live;
  if (how == Counted::Allocation) {
    ++g.allocated;
    t_last_allocation = LastAllocation{address, index, static_cast<uint32_t>(session)};
  }
}

inline void uncount_in(TraceGroup &g, uint32_t index, uintptr_t address, uint64_t session,
                       Uncounted how) {
  note_change(g);
  --g.live;
  if (how == Uncounted::Freed) {
    LastAllocation &last = t_last_allocation;
    if (last.address == address && last.group == index &&
        last.session == static_cast<uint32_t>(session)) {
      ++g.temporary;
      last.address = 0;
    }
  }
}

inline bool session_is(uint64_t session) {
  const RuntimeState &st = g_runtime_state;
  return st.tracing.load(std::memory_order_relaxed) &&
         st.session.load(std::memory_order_relaxed) == session;
}

inline void unlock_unless_forking(GroupShard &shard) {
  if (!t_holds_trace_locks) shard.lock.unlock();
}

// Takes the trace out of the header; the group it was counted in, with its
// shard locked, or nullptr (nothing locked) if the header carries none of
// this session, and is then left as it is (the bytes may not even be a
// header: a stale trace's tag no longer matches).  The caller unlocks the
// shard of *index.  *session gets the session, read under the lock.
// (The forking thread, which holds every lock from fork_prepare() to
// fork_unlock(), takes none: an atfork handler may free a traced block.)
__attribute__((always_inline)) inline TraceGroup *detach_locked(void *block, uint32_t *index,
                                                                uint64_t *session, Uncounted how) {
  BlockHeader *header = header_of(block);
  *index = header->group;
  if (!*index) return nullptr;
  RuntimeState &st = g_runtime_state;
  GroupShard &shard = g_shards[group_shard_of(*index)];
  if (!t_holds_trace_locks) shard.lock.lock();
  *session = st.session.load(std::memory_order_relaxed);
  if (header->tag == header_tag(reinterpret_cast<uintptr_t>(block), *index, *session) &&
      st.tracing.load(std::memory_order_relaxed)) {
    TraceGroup *group = find_group(*index);
    if (group && group->live) {
      uncount_in(*group, *index, reinterpret_cast<uintptr_t>(block), *session, how);
      remove_traced(traced_bytes(group->size));
      header->group = 0;
      header->tag = kHeaderMark;
      return group;
    }
  }
  unlock_unless_forking(shard);
  return nullptr;
}

// Reads the 16 bytes in front of `address` without risking a fault: false
// if they are not readable.
bool read_header_safely(uintptr_t address, BlockHeader *out) {
  iovec local{out, sizeof *out};
  iovec remote{header_of(reinterpret_cast<void *>(address)), sizeof *out};
  const int saved_errno = errno;
  const ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  if (n == static_cast<ssize_t>(sizeof *out)) return true;
  if (n < 0 && errno == EFAULT) {
    errno = saved_errno;
    return false;
  }
  // The call is refused (a sandbox) or missing: a pipe tells the same (the
  // kernel reports EFAULT instead of faulting).
  int fds[2];
  bool readable = false;
  if (pipe(fds) == 0) {
    readable = write(fds[1], remote.iov_base, sizeof *out) == static_cast<ssize_t>(sizeof *out) &&
               read(fds[0], out, sizeof *out) == static_cast<ssize_t>(sizeof *out);
    close(fds[0]);
    close(fds[1]);
  }
  errno = saved_errno;
  return readable;
}

}  // namespace

bool take_header_trace(void *block, TracedBlock *removed, uint64_t *session) {
  uint32_t index;
  const TraceGroup *group = detach_locked(block, &index, session, Uncounted::Moved);
  if (!group) return false;
  *removed =
      TracedBlock{reinterpret_cast<uintptr_t>(block), group->size, group->traceback, 0, index};
  unlock_unless_forking(g_shards[group_shard_of(index)]);
  return true;
}

bool forget_header_trace(void *block, Uncounted how) {
  uint32_t index;
  uint64_t session;
  if (!detach_locked(block, &index, &session, how)) return false;
  unlock_unless_forking(g_shards[group_shard_of(index)]);
  return true;
}

void forget_header_trace_of_any(uintptr_t address, Uncounted how) {
  BlockHeader header;
  if (address % alignof(BlockHeader) || !read_header_safely(address, &header) || !header.group) {
    return;
  }
  // Readable; detach_locked writes only when the tag proves it is a header.
  forget_header_trace(reinterpret_cast<void *>(address), how);
}

bool store_in_header(void *block, uint64_t size, const TracebackRecord *traceback, uint64_t session,
                     Counted how) {
  BlockHeader *header = header_of(block);
  // Recorded twice (an entry's block that the interposer recorded too): the
  // new trace replaces the old, as in the table.
  if (header->group) forget_header_trace(block, Uncounted::Moved);
  uint32_t index;
  TraceGroup *group = lock_group(0, traceback, size, &index);
  if (!group) return false;
  if (session_is(session)) {
    count_in(*group, index, reinterpret_cast<uintptr_t>(block), session, how);
    add_traced(traced_bytes(size), 0);
    header->group = index;
    header->tag = header_tag(reinterpret_cast<uintptr_t>(block), index, session);
  }
  g_shards[group_shard_of(index)].lock.unlock();
  return true;
}

const TracebackRecord *lock_header_traceback(const void *block, uint32_t *locked_index) {
  BlockHeader header;
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  if (address % alignof(BlockHeader) || !read_header_safely(address, &header)) return nullptr;
  if (!header.group) return nullptr;
  GroupShard &shard = g_shards[group_shard_of(header.group)];
  shard.lock.lock();
  const RuntimeState &st = g_runtime_state;
  const TraceGroup *group = find_group(header.group);
  if (group && group->live && st.tracing.load(std::memory_order_relaxed) &&
      header.tag == header_tag(reinterpret_cast<uintptr_t>(block), header.group,
                               st.session.load(std::memory_order_relaxed))) {
    *locked_index = header.group;
    return group->traceback;
  }
  shard.lock.unlock();
  return nullptr;
}

void unlock_group_shard(uint32_t index) { g_shards[group_shard_of(index)].lock.unlock(); }

TraceGroup *lock_trace_group(uint32_t domain, const TracebackRecord *traceback, uint64_t size,
                             uint32_t *index) {
  return lock_group(domain, traceback, size, index);
}

void count_table_trace(TraceGroup &group, uint32_t index, uintptr_t address, uint64_t session,
                       Counted how) {
  count_in(group, index, address, session, how);
  add_traced(traced_bytes(group.size), 0);
}

void uncount_table_trace(uint32_t index, uintptr_t address, uint64_t session, Uncounted how) {
  GroupShard &shard = g_shards[group_shard_of(index)];
  // The forking thread holds every lock already (see detach_locked).
  if (!t_holds_trace_locks) shard.lock.lock();
  if (TraceGroup *group = find_group(index); group && group->live) {
    uncount_in(*group, index, address, session, how);
  }
  unlock_unless_forking(shard);
}

void for_each_group(void (*visit)(const TraceGroup &, void *), void *context) {
  for (GroupShard &shard : g_shards) {
    for (uint32_t local = 1; local < shard.used; ++local) visit(shard.at(local), context);
  }
}

size_t group_count() {
  size_t total = 0;
  for (GroupShard &shard : g_shards) total += shard.used - 1;
  return total;
}

uint64_t domain0_live_traces() {
  uint64_t total = 0;
  for (GroupShard &shard : g_shards) {
    for (uint32_t local = 1; local < shard.used; ++local) {
      const TraceGroup &g = shard.at(local);
      if (g.domain == 0) total += g.live;
    }
  }
  return total;
}

void clear_trace_groups() {
  for (uint32_t s = 0; s < kGroupShards; ++s) {
    GroupShard &shard = g_shards[s];
    for (TraceGroup *&chunk : g_group_chunks[s]) {
      if (!chunk) break;  // chunks are taken in order
      internal_free(chunk, sizeof(TraceGroup) * kChunkGroups);
      chunk = nullptr;
    }
    if (shard.buckets) internal_free(shard.buckets, sizeof(uint32_t) * shard.nbuckets);
    shard.buckets = nullptr;
    shard.nbuckets = 0;
    shard.used = 1;
  }
}

void lock_group_shards() {
  for (GroupShard &shard : g_shards) shard.lock.lock();
}

void unlock_group_shards() {
  for (uint32_t i = kGroupShards; i-- > 0;) g_shards[i].lock.unlock();
}

}  // namespace tm_rt
