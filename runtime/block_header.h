// block_header.h - the 16 bytes in front of every block of the runtime's
// own malloc.
//
// When the runtime's interposers are the process's malloc family
// (interpose.cpp), every block they hand out carries this header, traced or
// not, so free() can always find the real block.  A traced block's header
// names its trace group (trace_groups.h); freeing it then costs one counter
// update on a cache-resident group instead of a lookup in an address-keyed
// table (docs/design-runtime.md, docs/performance.md).
//
// The tag ties the group to the block's address and the tracing session, so
// a header from before stop()/clear_traces(), or one copied by realloc to
// another address, reads as untraced.
#ifndef TRACEMALLOC_RUNTIME_BLOCK_HEADER_H
#define TRACEMALLOC_RUNTIME_BLOCK_HEADER_H

#include <cstddef>
#include <cstdint>

namespace tm_rt {

struct BlockHeader {
  // Low 56 bits: the requested size.  High 8 bits: log2 of the distance
  // from the real block's start to the user block (4 for malloc; the
  // alignment for memalign & co.).
  uint64_t size_and_shift;
  uint32_t group;  // trace group index; 0: not traced
  uint32_t tag;    // header_tag(address, group, session) when traced
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

inline uint32_t header_tag(uintptr_t address, uint32_t group, uint64_t session) {
  uint64_t h = (address ^ (session << 40) ^ group) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  return static_cast<uint32_t>((h * 0xBF58476D1CE4E5B9ull) >> 32) | 1;  // never 0
}

// True when the runtime's interposers are the process's malloc, free,
// calloc, realloc and aligned allocators, so every block freed carries a
// header.  Decided once (the answer cannot change while the process runs);
// false in sanitizer builds and when the program brings its own malloc.
bool decide_block_headers();
extern int g_block_headers;  // -1 until decided; then 0 or 1 for good
inline bool block_headers_enabled() {
  const int known = __atomic_load_n(&g_block_headers, __ATOMIC_RELAXED);
  return __builtin_expect(known >= 0, 1) ? known != 0 : decide_block_headers();
}


}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_BLOCK_HEADER_H
