// entries.cpp - the __tm_* entries: call the real function, then record or
// forget the trace.
//
// Every entry holds a ReentrancyGuard across the real call, so allocations
// nested inside it (a replaced, instrumented operator new calling malloc) are
// not traced a second time.  Frees drop the trace BEFORE the real free: once
// the block is back in the allocator another thread may get its address and
// record a trace that this thread must not remove.
#include "runtime/intercept/entries.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <new>

#include "runtime/intercept/operator_new.h"
#include "runtime/support/guard.h"
#include "runtime/support/report.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"
#ifdef TM_RUNTIME_INTERPOSES
#include "runtime/intercept/header_alloc.h"
#endif

namespace tm_rt {
__thread uint64_t t_new_entry_fallbacks __attribute__((tls_model("initial-exec"))) = 0;
}  // namespace tm_rt

// Keep the initialiser (config/initialise.cpp: TRACEMALLOC, TRACEMALLOC_DUMP, atfork) in
// every program that links an entry from libtracemalloc.a.
extern "C" const char __tm_env_anchor;
__attribute__((used)) static const char *const tm_pull_env_initialiser = &__tm_env_anchor;

// Every entry of abi.h's list must have a definition below: the addresses
// taken here make the link of the runtime fail on a missing one.
#define TM_ENTRY_ADDRESS(symbol, result, parameters, exceptions) \
  reinterpret_cast<const void *>(&__tm_##symbol),
__attribute__((used)) static const void *const tm_every_entry[] = {
    TM_ALLOCATION_FUNCTIONS(TM_ENTRY_ADDRESS)};
#undef TM_ENTRY_ADDRESS

namespace {

using tm_rt::ReentrancyGuard;

template <typename Allocate>
inline void *traced_allocation(size_t requested, const tm_site *site, Allocate &&allocate,
                               bool from_own_malloc = true) {
  ReentrancyGuard guard;
  // Sampled mode: decided before allocating, for the nested interposer's
  // choice of a header block and for recording.
  if (guard.outermost() && tm_rt::tracing_enabled()) tm_rt::sample_allocation(requested);
  void *block = allocate();  // may throw: the guard is released on unwind
  if (block && guard.outermost() && tm_rt::tracing_enabled()) {
    tm_rt::record_allocation(block, requested, site, from_own_malloc);
  }
  return block;
}

template <typename Release>
inline void traced_release(void *block, Release &&release, bool from_own_malloc = true) {
  ReentrancyGuard guard;
  if (block && guard.outermost() && tm_rt::tracing_enabled()) {
    tm_rt::forget_allocation(block, from_own_malloc);
  }
  release();
}

}  // namespace

namespace {

template <typename Allocate>
inline void *traced_new(size_t requested, const tm_site *site, Allocate &&allocate) {
  if (!tm_rt::tracing_enabled()) return allocate();
  return traced_allocation(requested, site, allocate, tm_rt::new_blocks_from_malloc());
}

template <typename Release>
inline void traced_delete(void *block, Release &&release) {
  if (!tm_rt::tracing_enabled()) return release();
  traced_release(block, release, tm_rt::new_blocks_from_malloc());
}

void *traced_reallocation(void *block, size_t size, const tm_site *site,
                          void *(*reallocate)(void *, size_t, size_t), size_t nmemb) noexcept {
  ReentrancyGuard guard;
  if (!guard.outermost() || !tm_rt::tracing_enabled()) return reallocate(block, nmemb, size);
  size_t requested = 0;
  const bool overflow = __builtin_mul_overflow(nmemb, size, &requested);
  tm_rt::sample_allocation(requested);
  tm_rt::TakenTrace taken;
  const bool had_trace = block && tm_rt::take_trace(block, &taken);
  void *result = reallocate(block, nmemb, size);
  if (result) {
    // Also when the old block was not traced, as CPython does.
    tm_rt::record_allocation(result, requested, site);
  } else if (block && requested == 0 && !overflow) {
    // glibc: realloc(p, 0) frees p and returns NULL; the trace stays out.
  } else if (had_trace) {
    tm_rt::restore_trace(taken);
  }
  return result;
}

#ifdef TM_RUNTIME_INTERPOSES
// The runtime owns malloc: the C entries call glibc (or allocate the header
// block) here rather than through malloc's PLT slot and the interposer,
// which would only come back.  Not tracing (read before allocating; an
// allocation racing with start() is or is not traced, as everywhere),
// glibc's malloc is all there is to do, a tail call; the rest is out of line
// (tm_*_slow), so the common path saves no registers.
//
// Tracing: nothing glibc does inside calls back into the runtime, so no
// guard is needed around the real call; one is held while recording, and an
// entry nested in another (a replaced operator new calling malloc) records
// nothing.
//
// Sampled mode: a block not sampled is glibc's, with no header
// (`plain`); nested in another entry, that entry's decision stands.
template <typename Allocate, typename Plain>
inline void *traced_header_allocation(size_t requested, const tm_site *site, Allocate &&allocate,
                                      Plain &&plain) {
  if (tm_rt::t_inside_runtime ? !tm_rt::sampled_now() : !tm_rt::sample_allocation(requested)) {
    return plain();
  }
  void *block = allocate();
  if (block && !tm_rt::t_inside_runtime) {
    ReentrancyGuard guard;
    tm_rt::record_allocation(block, requested, site);
  }
  return block;
}

// libstdc++'s operator new (new[], and their nothrow forms) is malloc (of 1
// byte for 0) retried around the new-handler, and its operator delete is
// free.  While they are the process's (new_blocks_from_malloc(), which
// implies the runtime owns malloc), these entries do the malloc part
// themselves, as the C entries do, instead of going through operator new's
// PLT slot, libstdc++ and the interposer; only a failed allocation goes to
// the real operator (new-handler, then bad_alloc or nullptr).
template <typename New>
inline void *malloc_new(size_t size, const tm_site *site, New &&operator_new) {
  if (tm_rt::new_blocks_from_malloc()) {
    const size_t bytes = size ? size : 1;
    if (tm_rt::unsampled_direct(size)) {
      void *block = __libc_malloc(bytes);
      if (__builtin_expect(block != nullptr, 1)) return block;
    }
    void *block = __builtin_expect(tm_rt::tracing_enabled(), 0)
                      ? traced_header_allocation(
                            size, site, [&] { return tm_rt::header_malloc(bytes); },
                            [&] { return __libc_malloc(bytes); })
                      : __libc_malloc(bytes);
    if (__builtin_expect(block != nullptr, 1)) return block;
  }
  ++tm_rt::t_new_entry_fallbacks;
  return traced_new(size, site, operator_new);
}

template <typename Delete>
inline void malloc_delete(void *block, Delete &&operator_delete) {
  if (tm_rt::new_blocks_from_malloc()) return tm_rt::own_free(block);
  traced_delete(block, operator_delete);
}
#else
template <typename New>
inline void *malloc_new(size_t size, const tm_site *site, New &&operator_new) {
  ++tm_rt::t_new_entry_fallbacks;
  return traced_new(size, site, operator_new);
}
template <typename Delete>
inline void malloc_delete(void *block, Delete &&operator_delete) {
  traced_delete(block, operator_delete);
}
#endif

void *call_realloc(void *block, size_t nmemb, size_t size) { return realloc(block, nmemb * size); }
void *call_reallocarray(void *block, size_t nmemb, size_t size) {
  return reallocarray(block, nmemb, size);
}

size_t product_or_max(size_t a, size_t b) {
  size_t product;
  return __builtin_mul_overflow(a, b, &product) ? SIZE_MAX : product;
}

}  // namespace

extern "C" {

void __tm_register_module(uint32_t abi_version, const char *module_name) {
  ReentrancyGuard guard;
  if (abi_version == TM_ABI_VERSION) return;
  tm_rt::state().abi_mismatch.store(true, std::memory_order_relaxed);
  tm_rt::stop_tracing();
  tm_rt::warn(
      "%s was instrumented for ABI version %u but this runtime implements version %u; "
      "rebuild it with the matching TraceMallocPass.so; tracing disabled",
      module_name ? module_name : "<unnamed module>", abi_version,
      static_cast<unsigned>(TM_ABI_VERSION));
}

namespace {
// Here also while not tracing, before blocks were first decided about
// (g_glibc_direct still 0): glibc's block then, nothing recorded.
__attribute__((noinline)) void *tm_malloc_slow(size_t size, const tm_site *site) noexcept {
#ifdef TM_RUNTIME_INTERPOSES
  if (tm_rt::block_headers_enabled()) {
    if (!tm_rt::tracing_enabled()) return __libc_malloc(size);
    return traced_header_allocation(
        size, site, [&] { return tm_rt::header_malloc(size); },
        [&] { return __libc_malloc(size); });
  }
#endif
  return traced_allocation(size, site, [&] { return malloc(size); });
}

__attribute__((noinline)) void *tm_calloc_slow(size_t nmemb, size_t size,
                                               const tm_site *site) noexcept {
  // On overflow calloc fails, so the product is only recorded when valid.
#ifdef TM_RUNTIME_INTERPOSES
  if (tm_rt::block_headers_enabled()) {
    if (!tm_rt::tracing_enabled()) return __libc_calloc(nmemb, size);
    return traced_header_allocation(
        product_or_max(nmemb, size), site, [&] { return tm_rt::header_calloc(nmemb, size); },
        [&] { return __libc_calloc(nmemb, size); });
  }
#endif
  return traced_allocation(product_or_max(nmemb, size), site, [&] { return calloc(nmemb, size); });
}

__attribute__((noinline)) void tm_free_slow(void *block) noexcept {
#ifdef TM_RUNTIME_INTERPOSES
  if (tm_rt::block_headers_enabled()) return tm_rt::own_free(block);
#endif
  traced_release(block, [&] { free(block); });
}
}  // namespace

void *__tm_malloc(size_t size, const tm_site *site) noexcept {
#ifdef TM_RUNTIME_INTERPOSES
  if (__builtin_expect(tm_rt::glibc_direct(), 1)) return __libc_malloc(size);
  if (tm_rt::unsampled_direct(size)) return __libc_malloc(size);
#endif
  return tm_malloc_slow(size, site);
}

void *__tm_calloc(size_t nmemb, size_t size, const tm_site *site) noexcept {
#ifdef TM_RUNTIME_INTERPOSES
  if (__builtin_expect(tm_rt::glibc_direct(), 1)) return __libc_calloc(nmemb, size);
  if (tm_rt::unsampled_direct(product_or_max(nmemb, size))) return __libc_calloc(nmemb, size);
#endif
  return tm_calloc_slow(nmemb, size, site);
}

void *__tm_realloc(void *block, size_t size, const tm_site *site) noexcept {
  return traced_reallocation(block, size, site, call_realloc, 1);
}

void *__tm_reallocarray(void *block, size_t nmemb, size_t size, const tm_site *site) noexcept {
  return traced_reallocation(block, size, site, call_reallocarray, nmemb);
}

void __tm_free(void *block, const tm_site *) noexcept {
#ifdef TM_RUNTIME_INTERPOSES
  // Tracing or not, exact or sampled: own_free's first test.
  if (__builtin_expect(tm_rt::block_headers_on(), 1)) return tm_rt::own_free(block);
#endif
  tm_free_slow(block);
}

void *__tm_aligned_alloc(size_t alignment, size_t size, const tm_site *site) noexcept {
  return traced_allocation(size, site, [&] { return aligned_alloc(alignment, size); });
}

int __tm_posix_memalign(void **result, size_t alignment, size_t size,
                        const tm_site *site) noexcept {
  ReentrancyGuard guard;
  if (guard.outermost() && tm_rt::tracing_enabled()) tm_rt::sample_allocation(size);
  const int error = posix_memalign(result, alignment, size);
  if (error == 0 && *result && guard.outermost() && tm_rt::tracing_enabled()) {
    tm_rt::record_allocation(*result, size, site);
  }
  return error;
}

void *__tm_memalign(size_t alignment, size_t size, const tm_site *site) noexcept {
  return traced_allocation(size, site, [&] { return memalign(alignment, size); });
}

void *__tm_valloc(size_t size, const tm_site *site) noexcept {
  return traced_allocation(size, site, [&] { return valloc(size); });
}

void *__tm_pvalloc(size_t size, const tm_site *site) noexcept {
  return traced_allocation(size, site, [&] { return pvalloc(size); });
}

char *__tm_strdup(const char *text, const tm_site *site) noexcept {
  const size_t size = strlen(text) + 1;
  return static_cast<char *>(traced_allocation(size, site, [&] { return strdup(text); }));
}

char *__tm_strndup(const char *text, size_t max_length, const tm_site *site) noexcept {
  const size_t size = strnlen(text, max_length) + 1;
  return static_cast<char *>(
      traced_allocation(size, site, [&] { return strndup(text, max_length); }));
}

// ---- operator new ----------------------------------------------------------

void *__tm__Znwm(size_t size, const tm_site *site) {
  return malloc_new(size, site, [&] { return ::operator new(size); });
}
void *__tm__Znam(size_t size, const tm_site *site) {
  return malloc_new(size, site, [&] { return ::operator new[](size); });
}
void *__tm__ZnwmRKSt9nothrow_t(size_t size, const std::nothrow_t &, const tm_site *site) noexcept {
  return malloc_new(size, site, [&] { return ::operator new(size, std::nothrow); });
}
void *__tm__ZnamRKSt9nothrow_t(size_t size, const std::nothrow_t &, const tm_site *site) noexcept {
  return malloc_new(size, site, [&] { return ::operator new[](size, std::nothrow); });
}
void *__tm__ZnwmSt11align_val_t(size_t size, std::align_val_t alignment, const tm_site *site) {
  return traced_new(size, site, [&] { return ::operator new(size, alignment); });
}
void *__tm__ZnamSt11align_val_t(size_t size, std::align_val_t alignment, const tm_site *site) {
  return traced_new(size, site, [&] { return ::operator new[](size, alignment); });
}
void *__tm__ZnwmSt11align_val_tRKSt9nothrow_t(size_t size, std::align_val_t alignment,
                                              const std::nothrow_t &,
                                              const tm_site *site) noexcept {
  return traced_new(size, site, [&] { return ::operator new(size, alignment, std::nothrow); });
}
void *__tm__ZnamSt11align_val_tRKSt9nothrow_t(size_t size, std::align_val_t alignment,
                                              const std::nothrow_t &,
                                              const tm_site *site) noexcept {
  return traced_new(size, site, [&] { return ::operator new[](size, alignment, std::nothrow); });
}

// The hint only matters to tcmalloc; drop it and use the plain overload.
void *__tm__Znwm12__hot_cold_t(size_t size, __hot_cold_t, const tm_site *site) {
  return __tm__Znwm(size, site);
}
void *__tm__Znam12__hot_cold_t(size_t size, __hot_cold_t, const tm_site *site) {
  return __tm__Znam(size, site);
}
void *__tm__ZnwmRKSt9nothrow_t12__hot_cold_t(size_t size, const std::nothrow_t &nothrow,
                                             __hot_cold_t, const tm_site *site) noexcept {
  return __tm__ZnwmRKSt9nothrow_t(size, nothrow, site);
}
void *__tm__ZnamRKSt9nothrow_t12__hot_cold_t(size_t size, const std::nothrow_t &nothrow,
                                             __hot_cold_t, const tm_site *site) noexcept {
  return __tm__ZnamRKSt9nothrow_t(size, nothrow, site);
}
void *__tm__ZnwmSt11align_val_t12__hot_cold_t(size_t size, std::align_val_t alignment, __hot_cold_t,
                                              const tm_site *site) {
  return __tm__ZnwmSt11align_val_t(size, alignment, site);
}
void *__tm__ZnamSt11align_val_t12__hot_cold_t(size_t size, std::align_val_t alignment, __hot_cold_t,
                                              const tm_site *site) {
  return __tm__ZnamSt11align_val_t(size, alignment, site);
}
void *__tm__ZnwmSt11align_val_tRKSt9nothrow_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                                            const std::nothrow_t &nothrow,
                                                            __hot_cold_t,
                                                            const tm_site *site) noexcept {
  return __tm__ZnwmSt11align_val_tRKSt9nothrow_t(size, alignment, nothrow, site);
}
void *__tm__ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                                            const std::nothrow_t &nothrow,
                                                            __hot_cold_t,
                                                            const tm_site *site) noexcept {
  return __tm__ZnamSt11align_val_tRKSt9nothrow_t(size, alignment, nothrow, site);
}

// ---- operator delete -------------------------------------------------------

void __tm__ZdlPv(void *block, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete(block); });
}
void __tm__ZdaPv(void *block, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete[](block); });
}
void __tm__ZdlPvm(void *block, size_t size, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete(block, size); });
}
void __tm__ZdaPvm(void *block, size_t size, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete[](block, size); });
}
void __tm__ZdlPvRKSt9nothrow_t(void *block, const std::nothrow_t &, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete(block, std::nothrow); });
}
void __tm__ZdaPvRKSt9nothrow_t(void *block, const std::nothrow_t &, const tm_site *) noexcept {
  malloc_delete(block, [&] { ::operator delete[](block, std::nothrow); });
}
void __tm__ZdlPvSt11align_val_t(void *block, std::align_val_t alignment, const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete(block, alignment); });
}
void __tm__ZdaPvSt11align_val_t(void *block, std::align_val_t alignment, const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete[](block, alignment); });
}
void __tm__ZdlPvmSt11align_val_t(void *block, size_t size, std::align_val_t alignment,
                                 const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete(block, size, alignment); });
}
void __tm__ZdaPvmSt11align_val_t(void *block, size_t size, std::align_val_t alignment,
                                 const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete[](block, size, alignment); });
}
void __tm__ZdlPvSt11align_val_tRKSt9nothrow_t(void *block, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete(block, alignment, std::nothrow); });
}
void __tm__ZdaPvSt11align_val_tRKSt9nothrow_t(void *block, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *) noexcept {
  traced_delete(block, [&] { ::operator delete[](block, alignment, std::nothrow); });
}

}  // extern "C"
