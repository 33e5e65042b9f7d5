// entries.h - prototypes of the __tm_* entries the pass calls (one per name
// in TM_ALLOCATION_FUNCTIONS): the original function's exact signature plus
// the site record.  Used by entries.cpp and by tests that call the entries
// directly.
#ifndef TRACEMALLOC_RUNTIME_ENTRIES_H
#define TRACEMALLOC_RUNTIME_ENTRIES_H

#include <cstddef>
#include <cstdint>
#include <new>

#pragma GCC visibility push(default)
#include "tracemalloc/abi.h"  // __tm_register_module is exported too
#pragma GCC visibility pop

// The allocation hint of tcmalloc's operator new overloads, declared the way
// tcmalloc does so that `operator new(size_t, __hot_cold_t)` mangles to
// _Znwm12__hot_cold_t.  libstdc++ has no such overloads: the entries for them
// call the plain ones.
enum class __hot_cold_t : uint8_t;

namespace tm_rt {
// This thread's calls of the plain and nothrow operator new entries that
// went to the real operator new: all of them unless it is libstdc++'s
// (entries.cpp, malloc_new), else only failed allocations.  For the unit
// tests; per thread, so counting shares no cache line.
extern __thread uint64_t t_new_entry_fallbacks __attribute__((tls_model("initial-exec")));
}  // namespace tm_rt

#pragma GCC visibility push(default)
extern "C" {

void *__tm_malloc(size_t size, const tm_site *site);
void *__tm_calloc(size_t nmemb, size_t size, const tm_site *site);
void *__tm_realloc(void *block, size_t size, const tm_site *site);
void *__tm_reallocarray(void *block, size_t nmemb, size_t size, const tm_site *site);
void __tm_free(void *block, const tm_site *site);
void *__tm_aligned_alloc(size_t alignment, size_t size, const tm_site *site);
int __tm_posix_memalign(void **result, size_t alignment, size_t size, const tm_site *site);
void *__tm_memalign(size_t alignment, size_t size, const tm_site *site);
void *__tm_valloc(size_t size, const tm_site *site);
void *__tm_pvalloc(size_t size, const tm_site *site);
char *__tm_strdup(const char *text, const tm_site *site);
char *__tm_strndup(const char *text, size_t max_length, const tm_site *site);

// Throwing operator new entries: not noexcept, std::bad_alloc propagates.
void *__tm__Znwm(size_t size, const tm_site *site);
void *__tm__Znam(size_t size, const tm_site *site);
void *__tm__ZnwmRKSt9nothrow_t(size_t size, const std::nothrow_t &, const tm_site *site);
void *__tm__ZnamRKSt9nothrow_t(size_t size, const std::nothrow_t &, const tm_site *site);
void *__tm__ZnwmSt11align_val_t(size_t size, std::align_val_t alignment, const tm_site *site);
void *__tm__ZnamSt11align_val_t(size_t size, std::align_val_t alignment, const tm_site *site);
void *__tm__ZnwmSt11align_val_tRKSt9nothrow_t(size_t size, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *site);
void *__tm__ZnamSt11align_val_tRKSt9nothrow_t(size_t size, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *site);

void *__tm__Znwm12__hot_cold_t(size_t size, __hot_cold_t hint, const tm_site *site);
void *__tm__Znam12__hot_cold_t(size_t size, __hot_cold_t hint, const tm_site *site);
void *__tm__ZnwmRKSt9nothrow_t12__hot_cold_t(size_t size, const std::nothrow_t &, __hot_cold_t hint,
                                             const tm_site *site);
void *__tm__ZnamRKSt9nothrow_t12__hot_cold_t(size_t size, const std::nothrow_t &, __hot_cold_t hint,
                                             const tm_site *site);
void *__tm__ZnwmSt11align_val_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                              __hot_cold_t hint, const tm_site *site);
void *__tm__ZnamSt11align_val_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                              __hot_cold_t hint, const tm_site *site);
void *__tm__ZnwmSt11align_val_tRKSt9nothrow_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                                            const std::nothrow_t &,
                                                            __hot_cold_t hint, const tm_site *site);
void *__tm__ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t(size_t size, std::align_val_t alignment,
                                                            const std::nothrow_t &,
                                                            __hot_cold_t hint, const tm_site *site);

void __tm__ZdlPv(void *block, const tm_site *site) noexcept;
void __tm__ZdaPv(void *block, const tm_site *site) noexcept;
void __tm__ZdlPvm(void *block, size_t size, const tm_site *site) noexcept;
void __tm__ZdaPvm(void *block, size_t size, const tm_site *site) noexcept;
void __tm__ZdlPvRKSt9nothrow_t(void *block, const std::nothrow_t &, const tm_site *site) noexcept;
void __tm__ZdaPvRKSt9nothrow_t(void *block, const std::nothrow_t &, const tm_site *site) noexcept;
void __tm__ZdlPvSt11align_val_t(void *block, std::align_val_t alignment,
                                const tm_site *site) noexcept;
void __tm__ZdaPvSt11align_val_t(void *block, std::align_val_t alignment,
                                const tm_site *site) noexcept;
void __tm__ZdlPvmSt11align_val_t(void *block, size_t size, std::align_val_t alignment,
                                 const tm_site *site) noexcept;
void __tm__ZdaPvmSt11align_val_t(void *block, size_t size, std::align_val_t alignment,
                                 const tm_site *site) noexcept;
void __tm__ZdlPvSt11align_val_tRKSt9nothrow_t(void *block, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *site) noexcept;
void __tm__ZdaPvSt11align_val_tRKSt9nothrow_t(void *block, std::align_val_t alignment,
                                              const std::nothrow_t &, const tm_site *site) noexcept;

}  // extern "C"
#pragma GCC visibility pop

#endif  // TRACEMALLOC_RUNTIME_ENTRIES_H
