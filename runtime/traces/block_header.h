// block_header.h - the 16 bytes in front of a block allocated while tracing.
//
// When the runtime's interposers are the process's malloc family
// (interpose.cpp), every block allocated while tracing carries this header;
// a traced block's header names its trace group (trace_groups.h), so freeing
// it costs one counter update on a cache-resident group instead of a lookup
// in an address-keyed table (docs/design-runtime.md, docs/performance.md).
// Blocks allocated while not tracing are glibc's own, untouched: not
// tracing costs a flag test per call and no memory.
//
// free() tells the two apart by the 4 bytes in front of the block (the
// tag's place).  glibc puts its chunk header in front of every block it
// returns (malloc.c: chunk2mem), whose last 8 bytes are the chunk's size:
// their high half is 0 below 4 GiB and the size / 4 GiB above, far from
// 2^31.  Every tag the runtime writes has bit 31 set (kHeaderMark).  That
// premise is checked on real blocks before headers are used at all
// (interpose.cpp: not under valgrind, not with another allocator).
//
// The rest of the tag ties the group to the block's address and the tracing
// session, so a header from before stop()/clear_traces(), or one copied by
// realloc to another address, reads as untraced.
#ifndef TRACEMALLOC_RUNTIME_BLOCK_HEADER_H
#define TRACEMALLOC_RUNTIME_BLOCK_HEADER_H

#include <cstddef>
#include <cstdint>

#include "runtime/support/local.h"

namespace tm_rt {

struct BlockHeader {
  // Low 56 bits: the requested size.  High 8 bits: log2 of the distance
  // from the real block's start to the user block (4 for malloc; the
  // alignment for memalign & co.).
  uint64_t size_and_shift;
  uint32_t group;  // trace group index; 0: not traced
  uint32_t tag;    // header_tag(address, group, session) when traced, else kHeaderMark
};
static_assert(sizeof(BlockHeader) == 16, "keeps malloc's 16-byte alignment");

constexpr unsigned kPlainShift = 4;
constexpr uint64_t kMaxHeaderSize = (uint64_t{1} << 56) - 1;

inline BlockHeader *header_of(const void *block) {
  return reinterpret_cast<BlockHeader *>(const_cast<void *>(block)) - 1;
}
inline uint64_t header_size(const BlockHeader *h) { return h->size_and_shift & kMaxHeaderSize; }
inline unsigned header_shift(const BlockHeader *h) {
  return static_cast<unsigned>(h->size_and_shift >> 56);
}

// Bit 31 of every tag: the block has a header (see the top of this file).
constexpr uint32_t kHeaderMark = uint32_t{1} << 31;
// On a 32-bit target the 4 bytes in front of a glibc block are its whole
// chunk size, which may have bit 31 set.
static_assert(sizeof(void *) == 8, "block headers assume glibc's 64-bit chunk layout");

// Only for blocks of the process's malloc family, and only while
// block_headers_enabled(): otherwise the bytes in front are not glibc's.
inline bool has_header(const void *block) { return (header_of(block)->tag & kHeaderMark) != 0; }

inline uint32_t header_tag(uintptr_t address, uint32_t group, uint64_t session) {
  // One multiply: the high half of the product depends on every input bit.
  const uint64_t h = ((address >> 4) ^ (session << 32) ^ group) * 0x9E3779B97F4A7C15ull;
  // Marked, and never the untraced tag kHeaderMark.
  return static_cast<uint32_t>(h >> 32) | kHeaderMark | 1;
}

// True when the runtime's interposers are the process's malloc, free,
// calloc, realloc and aligned allocators, so blocks allocated while tracing
// carry a header and free() can tell them from glibc's.  Decided once (the
// answer cannot change while the process runs); false in sanitizer builds
// and when the program brings its own malloc.
bool decide_block_headers();
extern int g_block_headers TM_RUNTIME_LOCAL;  // -1 until decided; then 0 or 1 for good
inline bool block_headers_enabled() {
  const int known = __atomic_load_n(&g_block_headers, __ATOMIC_RELAXED);
  return __builtin_expect(known >= 0, 1) ? known != 0 : decide_block_headers();
}

// Decided, and blocks have headers: one comparison, for the frees' first
// test (false also while undecided; block_headers_enabled() then decides).
inline bool block_headers_on() { return __atomic_load_n(&g_block_headers, __ATOMIC_RELAXED) == 1; }

// 1 while blocks have headers (decided) and tracing is off: the entries'
// one test before going straight to glibc, instead of two.  0 sends them
// to their full path, which asks both itself, so a 0 is never wrong; a 1
// is cleared when tracing starts (an allocation racing with start() is or
// is not traced, as everywhere).  See publish_glibc_direct() (block_headers.cpp).
extern uint8_t g_glibc_direct TM_RUNTIME_LOCAL;
void publish_glibc_direct();
inline bool glibc_direct() { return __atomic_load_n(&g_glibc_direct, __ATOMIC_RELAXED) != 0; }

// One warning per process, at the first start of tracing, when the runtime
// is loaded but the process's malloc and free are libc's (interpose.cpp):
// foreign frees then never reach it and their blocks' traces go stale.
void warn_if_interposers_bypassed();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_BLOCK_HEADER_H
