// header_alloc.h - the process's malloc while the runtime owns it: header
// blocks (block_header.h) from glibc's allocator while tracing, glibc's own
// blocks otherwise.
//
// Inline, because both the interposers and the C entries' direct path
// (entries.cpp) sit on every malloc and free of the process: the whole path
// from the program's call to glibc is one function.  They trace nothing,
// except that freeing a block drops the trace its header carries.  Only for
// builds with interposers (not under TM_SANITIZE).
#ifndef TRACEMALLOC_RUNTIME_HEADER_ALLOC_H
#define TRACEMALLOC_RUNTIME_HEADER_ALLOC_H

#include <errno.h>

#include <cstddef>
#include <cstdint>

#include "runtime/support/guard.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"

// glibc's exported allocator (glibc >= 2.0): safe before any constructor,
// no dlsym needed.  C functions that never throw: noexcept, so that the
// noexcept entries can still tail-call them.
extern "C" {
void *__libc_malloc(size_t size) noexcept;
void __libc_free(void *block) noexcept;
void *__libc_calloc(size_t nmemb, size_t size) noexcept;
void *__libc_realloc(void *block, size_t size) noexcept;
void *__libc_memalign(size_t alignment, size_t size) noexcept;
void *__libc_valloc(size_t size) noexcept;
void *__libc_pvalloc(size_t size) noexcept;
}

namespace tm_rt {

inline void *header_block(void *raw, unsigned shift, size_t size) {
  if (!raw) return nullptr;
  char *block = static_cast<char *>(raw) + (size_t{1} << shift);
  *header_of(block) = BlockHeader{size | (static_cast<uint64_t>(shift) << 56), 0, kHeaderMark};
  return block;
}

inline void *raw_of(void *block) {
  return static_cast<char *>(block) - (size_t{1} << header_shift(header_of(block)));
}

inline bool too_large(size_t size, size_t extra) {
  if (size <= kMaxHeaderSize - extra) return false;
  errno = ENOMEM;
  return true;
}

inline void *header_malloc(size_t size) {
  if (too_large(size, sizeof(BlockHeader))) return nullptr;
  return header_block(__libc_malloc(size + sizeof(BlockHeader)), kPlainShift, size);
}

inline void *header_calloc(size_t nmemb, size_t size) {
  size_t bytes = 0;
  if (__builtin_mul_overflow(nmemb, size, &bytes) || too_large(bytes, sizeof(BlockHeader))) {
    errno = ENOMEM;
    return nullptr;
  }
  return header_block(__libc_calloc(1, bytes + sizeof(BlockHeader)), kPlainShift, bytes);
}

// Whether the block about to be allocated gets a header: while tracing, in
// sampled mode only when the allocation in progress was sampled (its
// outermost hook decided, session.h).
inline bool header_wanted() { return __builtin_expect(tracing_enabled(), 0) && sampled_now(); }

// Sampled mode: an allocation that holds no sample, outside any other
// entry, is glibc's at the cost of the countdown (the entries' and the
// interposers' first test while tracing).
inline bool unsampled_direct(size_t size) {
  if (!sampled_direct() || size >= t_sample_countdown || t_inside_runtime) return false;
  t_sample_countdown -= size;
  return true;
}

// What the process's malloc and calloc return: a header block for a trace;
// glibc's block as it is otherwise.
inline void *own_malloc(size_t size) {
  return header_wanted() ? header_malloc(size) : __libc_malloc(size);
}

inline void *own_calloc(size_t nmemb, size_t size) {
  return header_wanted() ? header_calloc(nmemb, size) : __libc_calloc(nmemb, size);
}

// Whether a block about to be moved may have a trace to take: one in its
// header, or (rarely) a domain-0 one in the table.
inline bool may_have_trace(void *block) {
  return __builtin_expect(tracing_enabled(), 0) &&
         ((has_header(block) && header_of(block)->group) ||
          g_runtime_state.table_domain0_traces.load(std::memory_order_relaxed));
}

inline void free_own_block(void *block) { __libc_free(has_header(block) ? raw_of(block) : block); }

__attribute__((noinline)) inline void forget_and_free_own_block(void *block) {
  if (tracing_enabled()) forget_own_block(block);
  free_own_block(block);
}

// Drops the trace the block may have (whoever frees), then the block.  A
// block can carry a trace in its header only if the header names a group,
// and have one in the table only while the table holds domain-0 traces
// (none while not tracing: stop() empties it), so every other free, traced
// or not, sampled or not, is the header test glibc's free() reads next
// anyway, one load of a read-mostly counter and a tail call.  The rest,
// out of line, checks that tracing is on.
inline void own_free(void *block) {
  if (!block) return;
  const bool header = has_header(block);
  if (__builtin_expect(
          (!header || header_of(block)->group == 0) &&
              g_runtime_state.table_domain0_traces.load(std::memory_order_relaxed) == 0,
          1)) {
    return __libc_free(header ? raw_of(block) : block);
  }
  forget_and_free_own_block(block);
}

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_HEADER_ALLOC_H
