// interpose.cpp - the C allocation functions of the whole process.
//
// Defining malloc & co. here makes every allocation and free in the process
// pass through the runtime, including those of code built without the pass
// (libc's getline/fopen internals, prebuilt libraries, libstdc++'s operator
// new): a block allocated on one side and freed on the other never leaves a
// stale trace.  Their blocks get the frame "<unknown>":0 followed by the
// instrumented callers on the shadow stack.
//
// Kept in its own object file, and every definition is weak, so that:
// - a program that links its own malloc with libtracemalloc.a does not pull
//   this object for malloc, and if it pulls it for another function its own
//   strong definitions still win (no duplicate symbols);
// - with libtracemalloc.so, the executable's own malloc comes first in the
//   lookup scope anyway, and these are then never called.
// The __tm_* entries (entries.cpp) hold the reentrancy guard and call the
// plain functions, which land here (or in the program's allocator): a block
// allocated through an entry is recorded once, with its site.
//
// Block headers: when these functions are the process's whole malloc family
// (block_headers_enabled()), every block they return while tracing starts 16
// bytes (or, for an over-aligned block, one alignment) into the real one,
// behind a BlockHeader.  A traced block's trace then lives in its header and
// a counter, not in an address-keyed table.  Not tracing, they return
// glibc's blocks as they are; free() tells the two kinds apart
// (block_header.h).  When the program brings its own malloc, blocks are
// never touched and traces go to the table.
//
// These run before any constructor (ld.so and libc initialisation call
// malloc): they touch only constant-initialised globals and initial-exec TLS,
// and reach glibc through its exported __libc_* aliases (glibc >= 2.0), so
// dlsym is never needed.  Not built under TM_SANITIZE: the sanitizers define
// malloc themselves.
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <valgrind/memcheck.h>  // Debian's valgrind package; header only (CMake checks)
#include <valgrind/valgrind.h>

#include "runtime/intercept/header_alloc.h"
#include "runtime/support/guard.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"

namespace {

using tm_rt::BlockHeader;
using tm_rt::header_of;
using tm_rt::header_shift;
using tm_rt::header_size;
using tm_rt::kMaxHeaderSize;
using tm_rt::kPlainShift;

// The block was allocated outside every entry (the guard is clear) while
// tracing: record it.  Cheap enough to test inline; recording is not.
inline bool foreign_and_tracing() {
  return __builtin_expect(tm_rt::tracing_enabled(), 0) && !tm_rt::t_inside_runtime;
}

__attribute__((noinline)) void record_foreign(void *block, size_t size) {
  tm_rt::ReentrancyGuard guard;
  tm_rt::record_foreign_allocation(block, size);
}

// Sampled mode: foreign code's allocation is decided here, before
// allocating (allocate() asks header_wanted()); nested in an entry, the
// entry decided.
// A block not sampled is only allocated (a glibc block: allocate() asks
// header_wanted()).
template <typename Allocate>
inline void *traced(size_t requested, Allocate &&allocate) {
  if (!foreign_and_tracing() || !tm_rt::sample_allocation(requested)) return allocate();
  void *block = allocate();
  if (block) record_foreign(block, requested);
  return block;
}

// --- header blocks

using tm_rt::block_headers_enabled;
using tm_rt::has_header;
using tm_rt::header_block;
using tm_rt::header_calloc;
using tm_rt::header_malloc;
using tm_rt::own_calloc;
using tm_rt::own_free;
using tm_rt::own_malloc;
using tm_rt::raw_of;
using tm_rt::too_large;

// glibc's malloc_usable_size, for blocks without a header: the definition
// after this one (this file defines the process's).
size_t glibc_usable_size(void *block) {
  using UsableSize = size_t (*)(void *);
  static UsableSize next = nullptr;  // dlsym's answer never changes
  UsableSize known = __atomic_load_n(&next, __ATOMIC_RELAXED);
  if (!known) {
    tm_rt::ReentrancyGuard guard;
    known = reinterpret_cast<UsableSize>(dlsym(RTLD_NEXT, "malloc_usable_size"));
    __atomic_store_n(&next, known, __ATOMIC_RELAXED);
  }
  return known ? known(block) : 0;
}

// glibc 2.36's memalign: an alignment up to malloc's own is malloc; any
// other is rounded up to a power of two; EINVAL beyond SIZE_MAX / 2 + 1.
void *header_memalign(size_t alignment, size_t size) {
  if (alignment <= (size_t{1} << kPlainShift)) return header_malloc(size);
  if (alignment > SIZE_MAX / 2 + 1) {
    errno = EINVAL;
    return nullptr;
  }
  const unsigned shift = 64 - static_cast<unsigned>(__builtin_clzll(alignment - 1));
  const size_t rounded = size_t{1} << shift;
  if (rounded > kMaxHeaderSize) {  // more than any allocation can hold
    errno = ENOMEM;
    return nullptr;
  }
  if (too_large(size, rounded)) return nullptr;
  // The header sits in the alignment's worth of bytes in front of the block.
  return header_block(__libc_memalign(rounded, size + rounded), shift, size);
}

// A new block of the process's malloc (a header block while tracing) of
// `size` bytes starting with `block`'s first bytes (`old_size` of them at
// most); nullptr when out of memory.
void *copy_to_new_block(const void *block, size_t old_size, size_t size) {
  void *copy = own_malloc(size);
  if (copy) memcpy(copy, block, old_size < size ? old_size : size);
  return copy;
}

// Callers took the trace out first; the header travels with the bytes and
// reads as untraced at its new address.
void *move_header_block(void *block, size_t size) {
  BlockHeader *header = header_of(block);
  if (header_shift(header) == kPlainShift) {
    if (too_large(size, sizeof(BlockHeader))) return nullptr;
    void *raw = __libc_realloc(raw_of(block), size + sizeof(BlockHeader));
    if (!raw) return nullptr;
    char *moved = static_cast<char *>(raw) + sizeof(BlockHeader);
    BlockHeader *h = header_of(moved);
    h->size_and_shift = size | (static_cast<uint64_t>(kPlainShift) << 56);
    h->group = 0;
    h->tag = tm_rt::kHeaderMark;
    return moved;
  }
  // An over-aligned block: glibc's realloc keeps no alignment either.
  void *moved = copy_to_new_block(block, header_size(header), size);
  if (moved) own_free(block);
  return moved;
}

// A glibc block reallocated while tracing becomes a header block, to carry
// the new trace.  Once per block: from then on it moves as one.
void *add_header(void *block, size_t size) {
  const size_t old_size = glibc_usable_size(block);
  if (old_size == 0) {
    // glibc's malloc_usable_size could not be found (it always is): move
    // the bytes 16 up inside a block grown by as much, reading only bytes
    // of that block.
    if (too_large(size, sizeof(BlockHeader))) return nullptr;
    auto *raw = static_cast<char *>(__libc_realloc(block, size + sizeof(BlockHeader)));
    if (!raw) return nullptr;
    memmove(raw + sizeof(BlockHeader), raw, size);
    return header_block(raw, kPlainShift, size);
  }
  void *moved = copy_to_new_block(block, old_size, size);
  if (moved) __libc_free(block);
  return moved;
}

void *own_realloc(void *block, size_t size) {
  if (!block) return own_malloc(size);
  if (size == 0) {  // glibc 2.36: realloc(p, 0) frees p and returns NULL
    own_free(block);
    return nullptr;
  }
  // Nested in an entry that took the block's trace already, or a replaced
  // allocator's own realloc: a trace still there leaves with the old block,
  // and comes back if the block stays.
  tm_rt::TakenTrace taken;
  const bool had_trace = tm_rt::may_have_trace(block) && tm_rt::take_trace(block, &taken);
  // Sampled mode: a header block keeps its header, sampled again or not; a
  // glibc block gets one only when sampled.
  void *moved = has_header(block)        ? move_header_block(block, size)
                : tm_rt::header_wanted() ? add_header(block, size)
                                         : __libc_realloc(block, size);
  if (!moved && had_trace) tm_rt::restore_trace(taken);
  return moved;
}

// realloc semantics of glibc 2.36: realloc(p, 0) frees p and returns NULL.
__attribute__((noinline)) void *traced_realloc(void *block, size_t size) {
  tm_rt::sample_allocation(size);
  tm_rt::ReentrancyGuard guard;
  tm_rt::TakenTrace taken;
  // Out of the table before the real call: once freed, another thread may
  // get the address back and record it.
  const bool had_trace = block && tm_rt::take_trace(block, &taken);
  void *result = block_headers_enabled() ? own_realloc(block, size) : __libc_realloc(block, size);
  if (result) {
    tm_rt::record_foreign_allocation(result, size);
  } else if (block && size == 0) {
    // Freed: the trace stays out.
  } else if (had_trace) {
    tm_rt::restore_trace(taken);
  }
  return result;
}

// Header blocks while tracing (their trace goes there), else glibc's.
inline bool allocate_with_header() { return tm_rt::header_wanted() && block_headers_enabled(); }

inline void *plain_memalign(size_t alignment, size_t size) {
  return allocate_with_header() ? header_memalign(alignment, size)
                                : __libc_memalign(alignment, size);
}

}  // namespace

#define TM_INTERPOSER extern "C" __attribute__((weak, visibility("default")))

TM_INTERPOSER void *malloc(size_t size) noexcept {
  if (__builtin_expect(!tm_rt::tracing_enabled(), 1)) return __libc_malloc(size);
  if (tm_rt::unsampled_direct(size)) return __libc_malloc(size);
  return traced(size,
                [&] { return allocate_with_header() ? header_malloc(size) : __libc_malloc(size); });
}

TM_INTERPOSER void free(void *block) noexcept {
  if (__builtin_expect(tm_rt::block_headers_on(), 1)) return own_free(block);
  if (block_headers_enabled()) return own_free(block);
  if (block && foreign_and_tracing()) tm_rt::forget_allocation(block);
  __libc_free(block);
}

TM_INTERPOSER void *calloc(size_t nmemb, size_t size) noexcept {
  // When the product overflows calloc fails and nothing is recorded.
  size_t requested = 0;
  (void)__builtin_mul_overflow(nmemb, size, &requested);
  return traced(requested, [&] {
    return block_headers_enabled() ? own_calloc(nmemb, size) : __libc_calloc(nmemb, size);
  });
}

TM_INTERPOSER void *realloc(void *block, size_t size) noexcept {
  if (!foreign_and_tracing()) {
    return block_headers_enabled() ? own_realloc(block, size) : __libc_realloc(block, size);
  }
  return traced_realloc(block, size);
}

TM_INTERPOSER void *reallocarray(void *block, size_t nmemb, size_t size) noexcept {
  size_t bytes = 0;
  if (__builtin_mul_overflow(nmemb, size, &bytes)) {
    errno = ENOMEM;  // as glibc, without touching the block
    return nullptr;
  }
  return realloc(block, bytes);
}

TM_INTERPOSER void *memalign(size_t alignment, size_t size) noexcept {
  return traced(size, [&] { return plain_memalign(alignment, size); });
}

// glibc 2.36 defines aligned_alloc as an alias of memalign (any alignment is
// rounded up to a power of two, EINVAL only when it is too large).
TM_INTERPOSER void *aligned_alloc(size_t alignment, size_t size) noexcept {
  return traced(size, [&] { return plain_memalign(alignment, size); });
}

TM_INTERPOSER int posix_memalign(void **result, size_t alignment, size_t size) noexcept {
  // glibc's checks: a power-of-two multiple of sizeof(void *).  *result is
  // left alone on failure.
  const size_t words = alignment / sizeof(void *);
  if (alignment % sizeof(void *) != 0 || words == 0 || (words & (words - 1)) != 0) return EINVAL;
  const int saved_errno = errno;
  void *block = traced(size, [&] { return plain_memalign(alignment, size); });
  errno = saved_errno;
  if (!block) return ENOMEM;
  *result = block;
  return 0;
}

TM_INTERPOSER void *valloc(size_t size) noexcept {
  return traced(size, [&] {
    return allocate_with_header() ? header_memalign(static_cast<size_t>(getpagesize()), size)
                                  : __libc_valloc(size);
  });
}

TM_INTERPOSER void *pvalloc(size_t size) noexcept {
  return traced(size, [&] {
    if (!allocate_with_header()) return __libc_pvalloc(size);
    const size_t page = static_cast<size_t>(getpagesize());
    size_t rounded = 0;
    if (__builtin_add_overflow(size, page - 1, &rounded)) {
      errno = ENOMEM;
      return static_cast<void *>(nullptr);
    }
    rounded &= ~(page - 1);
    return header_memalign(page, rounded ? rounded : page);
  });
}

// A header block's usable size is what was asked for: always at least the
// request, as the function promises, and never into the header's bytes.
// Other blocks are glibc's (or the program's, which then defines this
// function too): the next definition answers.
TM_INTERPOSER size_t malloc_usable_size(void *block) noexcept {
  if (block && block_headers_enabled() && has_header(block)) return header_size(header_of(block));
  return glibc_usable_size(block);
}

// Hidden aliases: the addresses of these very definitions, to compare with
// what the process's symbols resolved to.  Only their addresses are used, so
// the targets' malloc-like attributes need not be repeated.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmissing-attributes"
#endif
extern "C" {
void *tm_own_malloc(size_t) noexcept __attribute__((alias("malloc"), visibility("hidden")));
void tm_own_free(void *) noexcept __attribute__((alias("free"), visibility("hidden")));
void *tm_own_calloc(size_t, size_t) noexcept __attribute__((alias("calloc"), visibility("hidden")));
void *tm_own_realloc(void *, size_t) noexcept
    __attribute__((alias("realloc"), visibility("hidden")));
void *tm_own_memalign(size_t, size_t) noexcept
    __attribute__((alias("memalign"), visibility("hidden")));
void *tm_own_aligned_alloc(size_t, size_t) noexcept
    __attribute__((alias("aligned_alloc"), visibility("hidden")));
int tm_own_posix_memalign(void **, size_t, size_t) noexcept
    __attribute__((alias("posix_memalign"), visibility("hidden")));
void *tm_own_valloc(size_t) noexcept __attribute__((alias("valloc"), visibility("hidden")));
void *tm_own_pvalloc(size_t) noexcept __attribute__((alias("pvalloc"), visibility("hidden")));
size_t tm_own_malloc_usable_size(void *) noexcept
    __attribute__((alias("malloc_usable_size"), visibility("hidden")));
}

namespace {

template <typename F>
bool resolves_to(F *symbol, F *own) {
  // Through a volatile: the compiler must not fold the comparison of a weak
  // symbol with its own definition.
  F *volatile seen = symbol;
  return seen == own;
}

bool interposers_own_malloc() {
  return resolves_to(&malloc, &tm_own_malloc) && resolves_to(&free, &tm_own_free) &&
         resolves_to(&calloc, &tm_own_calloc) && resolves_to(&realloc, &tm_own_realloc) &&
         resolves_to(&memalign, &tm_own_memalign) &&
         resolves_to(&aligned_alloc, &tm_own_aligned_alloc) &&
         resolves_to(&posix_memalign, &tm_own_posix_memalign) &&
         resolves_to(&valloc, &tm_own_valloc) && resolves_to(&pvalloc, &tm_own_pvalloc) &&
         resolves_to(&malloc_usable_size, &tm_own_malloc_usable_size);
}

// free() tells a header block from glibc's by the bytes in front of it,
// where glibc keeps the block's chunk size (block_header.h).  Checked on
// real blocks before headers are used: under valgrind's memcheck, which
// replaces __libc_malloc and keeps a redzone there, or any other allocator
// behind those names, blocks get no headers and traces go to the table.
// (valgrind tools that leave glibc's allocator alone, cachegrind and
// callgrind, see the same runtime as a native run.)
//
// No system call (a sandbox may kill the process for one it did not
// expect) and no read that can fault: only the 8 bytes in front of a block
// within the block's own page, which is mapped since the block is.  Under
// valgrind the read is not reported and its value counts as defined.
bool glibc_chunk_sizes_in_front() {
  constexpr size_t kRequests[] = {24, 100, 1000, 5000};
  constexpr uintptr_t kSmallestPage = 4096;
  const int saved_errno = errno;
  bool as_glibc = true;
  size_t checked = 0;
  for (size_t request : kRequests) {
    auto *block = static_cast<char *>(__libc_malloc(request));
    if (!block) {
      as_glibc = false;
      break;
    }
    if (reinterpret_cast<uintptr_t>(block) % kSmallestPage >= sizeof(uint64_t)) {
      uint64_t size_field;
      VALGRIND_DISABLE_ERROR_REPORTING;
      memcpy(&size_field, block - sizeof size_field, sizeof size_field);
      VALGRIND_ENABLE_ERROR_REPORTING;
      (void)VALGRIND_MAKE_MEM_DEFINED(&size_field, sizeof size_field);
      // glibc's request2size: the request plus 8, rounded up to 16, 32 at
      // least; the low 3 bits of the field are flags.
      const uint64_t rounded = (request + 8 + 15) & ~uint64_t{15};
      as_glibc = as_glibc && (size_field & ~uint64_t{7}) == (rounded < 32 ? 32 : rounded);
      ++checked;
    }
    __libc_free(block);
  }
  errno = saved_errno;
  return as_glibc && checked > 0;
}

// Whether the process's malloc and free are glibc's own although these
// definitions are loaded: the runtime came in behind libc (a program built
// without the runtime that links or dlopens an instrumented library), so
// frees of foreign code bypass it.  Not in a statically linked program,
// where glibc's malloc always wins over these weak definitions (usage.md).
// Reads only memory (the auxiliary vector, the program's headers).
bool glibc_allocator_resolved() {
  return resolves_to(&malloc, &__libc_malloc) && resolves_to(&free, &__libc_free);
}

bool dynamically_linked() {
  const auto *headers = reinterpret_cast<const ElfW(Phdr) *>(getauxval(AT_PHDR));
  const unsigned long count = getauxval(AT_PHNUM);
  for (unsigned long i = 0; headers && i < count; ++i) {
    if (headers[i].p_type == PT_INTERP) return true;
  }
  return false;
}

}  // namespace

// Asked once by decide_block_headers() (traces/block_headers.cpp) through a weak reference:
// absent (sanitizer builds, or a static link that left this object out),
// blocks never carry headers.
extern "C" bool tm_interposers_use_headers() {
  return interposers_own_malloc() && glibc_chunk_sizes_in_front();
}

// Asked by the first start of tracing (block_headers.cpp), through a weak
// reference like the one above; dladdr finds the path to name in the
// warning.  Never on an allocation path.
extern "C" const char *tm_interposers_bypassed() {
  if (!glibc_allocator_resolved() || !dynamically_linked()) return nullptr;
  Dl_info info{};
  const bool found = dladdr(reinterpret_cast<const void *>(&tm_own_malloc), &info) != 0;
  return found && info.dli_fname && info.dli_fname[0] ? info.dli_fname : "libtracemalloc.so";
}
