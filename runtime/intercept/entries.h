// entries.h - the __tm_* entries the pass calls, declared from abi.h's
// TM_ALLOCATION_FUNCTIONS: the original function's exact signature plus the
// site record.  Used by entries.cpp and by tests that call the entries.
#ifndef TRACEMALLOC_RUNTIME_ENTRIES_H
#define TRACEMALLOC_RUNTIME_ENTRIES_H

#include <cstddef>
#include <cstdint>
#include <new>

#include "runtime/support/local.h"

#pragma GCC visibility push(default)
#include "tracemalloc/abi.h"  // __tm_register_module is exported too
#pragma GCC visibility pop

namespace tm_rt {
// This thread's calls of the plain and nothrow operator new entries that
// went to the real operator new: all of them unless it is libstdc++'s
// (entries.cpp, malloc_new), else only failed allocations.  For the unit
// tests; per thread, so counting shares no cache line.
extern __thread uint64_t t_new_entry_fallbacks TM_RUNTIME_LOCAL_TLS;
}  // namespace tm_rt

// Each entry is declared once, in abi.h's list; the definitions in
// entries.cpp must match it (C linkage: a different signature does not
// compile).
#define TM_EXCEPTIONS_nothrow noexcept
#define TM_EXCEPTIONS_throws
#define TM_WITH_SITE(...) (__VA_ARGS__, const tm_site *)
#define TM_DECLARE_ENTRY(symbol, result, parameters, exceptions) \
  result __tm_##symbol TM_WITH_SITE parameters TM_EXCEPTIONS_##exceptions;

#pragma GCC visibility push(default)
extern "C" {
TM_ALLOCATION_FUNCTIONS(TM_DECLARE_ENTRY)
}  // extern "C"
#pragma GCC visibility pop

#endif  // TRACEMALLOC_RUNTIME_ENTRIES_H
