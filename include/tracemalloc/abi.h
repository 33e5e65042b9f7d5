/*
 * abi.h - the contract between the TraceMalloc pass and the runtime.
 *
 * Everything that crosses from instrumented code into libtracemalloc is
 * declared here: the static site record layout, the section that holds the
 * records, the runtime entry points the pass calls, and the ABI version.
 * The pass (pass/) and the runtime (runtime/) both include this header and
 * expand its lists (TM_SITE_FIELDS, TM_ALLOCATION_FUNCTIONS), so they cannot
 * drift; test/e2e/site-record-layout.c checks the records a compiled program
 * holds against struct tm_site.  Change anything here => bump
 * TM_ABI_VERSION (except a new tm_site flag that a runtime may ignore).
 *
 * This header is C (it is included by the C++ pass and the C++ runtime, and it
 * documents what the pass emits in IR).
 */
#ifndef TRACEMALLOC_ABI_H
#define TRACEMALLOC_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the layout of tm_site or the signature of an entry changes.
 * The pass passes it to __tm_register_module(); the runtime refuses to trace
 * when it differs from its own. */
#define TM_ABI_VERSION 4

/* Name of the ELF section that holds the site records. */
#define TM_SITE_SECTION "__tm_sites"

/* Prefix of every runtime entry the pass calls instead of an allocation
 * function: a call to F(args...) becomes __tm_<F>(args..., &site), where <F>
 * is the symbol name of the original function (e.g. malloc -> __tm_malloc,
 * _Znwm -> __tm__Znwm).  The entry has F's exact signature plus one trailing
 * `const struct tm_site *` parameter, and F's exact semantics (return value,
 * errno, exceptions). */
#define TM_ENTRY_PREFIX "__tm_"

/* Called from one constructor per instrumented module (emitted by the pass).
 * Lets the runtime check the ABI version before any record is read. */
#define TM_REGISTER_MODULE_NAME "__tm_register_module"

/*
 * A static site record: one per (function, source location) of an
 * allocation call, emitted at compile time as a private constant in
 * TM_SITE_SECTION, aligned to 4 (its widest field), never unnamed_addr (its
 * address is its identity).  IR type: { i32, i32, i32, i32, i16, i16, i32 },
 * 24 bytes on every target.
 *
 * The fields that refer to other data (the strings and the parent) are
 * tm_site_offset values, not pointers: the byte offset of the target from
 * the field itself, 0 for none.  The pass emits each one as the constant
 * trunc(sub(ptrtoint(target), ptrtoint(&field))) to i32; the target is
 * always in the record's own module, so the static linker resolves it (a
 * 32-bit PC-relative relocation) and a position-independent executable or
 * shared library needs no dynamic relocation (and no write at load time)
 * per record.  32 bits reach any target within +-2 GiB of the field, which
 * holds for any module whose loaded image is under 2 GiB (the x86-64 small
 * code model assumes the same of code and data).  Where it does not hold
 * the static linker refuses the link (a 32-bit PC-relative relocation out
 * of range): an offset never wraps.  Read the fields only through the
 * tm_site_* accessors below.
 *
 * Without debug info: file = the module's source file name, directory = "",
 * line = 0, column = 0, function = the LLVM function name, parent = none.
 */
typedef int32_t tm_site_offset;

/* The fields of struct tm_site, in order, declared once: the struct below
 * and the pass's IR type (pass/SiteRecords.cpp) both expand this list.
 *   file_offset       the file name as debug info names it
 *                     (DIFile::getFilename), normalised lexically
 *                     (docs/design-pass.md, "File names")
 *   directory_offset  DIFile::getDirectory, used only to find source text
 *   function_offset   linkage name if any (mangled), else the plain name
 *   line              the line (for a line-0 location the nearest known one
 *                     of its scope), 0 when unknown
 *   column            the column, saturated at 65535 (0 when unknown)
 *   flags             TM_SITE_* bits below
 *   parent_offset     the record of the inlinedAt location when this
 *                     location was inlined into a caller, none otherwise.
 *                     Walking tm_site_parent gives the inline frames, most
 *                     recent first. */
#define TM_SITE_FIELDS(X)             \
  X(tm_site_offset, file_offset)      \
  X(tm_site_offset, directory_offset) \
  X(tm_site_offset, function_offset)  \
  X(uint32_t, line)                   \
  X(uint16_t, column)                 \
  X(uint16_t, flags)                  \
  X(tm_site_offset, parent_offset)

#define TM_SITE_FIELD(type, name) type name;
struct tm_site {
  TM_SITE_FIELDS(TM_SITE_FIELD)
};
#undef TM_SITE_FIELD

/* The target of an offset field, NULL for 0.  Integer arithmetic: the
 * target lies outside the record, where pointer arithmetic on the field
 * would not be defined.  The offset is sign-extended to the pointer's
 * width first (a target may lie below the field). */
static inline const void *tm_site_target(const tm_site_offset *field) {
  return *field ? (const void *)((uintptr_t)field + (uintptr_t)(intptr_t)*field) : NULL;
}
static inline const char *tm_site_file(const struct tm_site *site) {
  return (const char *)tm_site_target(&site->file_offset);
}
static inline const char *tm_site_directory(const struct tm_site *site) {
  return (const char *)tm_site_target(&site->directory_offset);
}
static inline const char *tm_site_function(const struct tm_site *site) {
  return (const char *)tm_site_target(&site->function_offset);
}
static inline const struct tm_site *tm_site_parent(const struct tm_site *site) {
  return (const struct tm_site *)tm_site_target(&site->parent_offset);
}

/* tm_site.flags: set on the record of an allocation call when the function
 * containing the call pushed a shadow-stack frame (see below), so the
 * runtime knows that the slot at depth-1 is that function's own (stale) slot
 * and its callers start at depth-2.  Clear when the module was built without
 * the shadow stack: then the slot at depth-1 is the caller's call site. */
#define TM_SITE_OWN_SHADOW_FRAME 0x1u

/* tm_site.flags: set on the record a ring slot holds (never on an entry's)
 * while an indirect call is under way whose callee, compared by the pass's
 * code just before the call, is one of the allocation functions below
 * (malloc through a library's pluggable allocator pointer).  The runtime's
 * own malloc & co., entered with no entry in between, then take that call
 * site as the allocation's own frame instead of "<unknown>":0.  Only ever
 * added to records: a runtime that ignores it gives the traceback it gave
 * before, so the ABI version is unchanged. */
#define TM_SITE_CALLS_ALLOCATOR 0x2u

/*
 * Shadow stack: the call sites of instrumented callers, per thread, without
 * unwinding.  A ring of TM_SHADOW_STACK_CAPACITY slots in initial-exec TLS
 * (kept small: a large static TLS block makes dlopen of the runtime fail).
 *
 * Protocol emitted by the pass in every instrumented function that makes a
 * call (other than intrinsics and rewritten allocation calls), or that
 * contains a rewritten allocation call:
 *   entry:                      d = depth; depth = d + 1
 *   before each other call:     ring[d & (CAP-1)] = &site_of_that_call
 *   at each ret / resume:       depth = d
 *   after each landingpad and
 *   each returns_twice call:    depth = d + 1   (heals after throw/longjmp)
 *   before a musttail call, or a `tail` call directly followed by ret:
 *                               depth = d (the frame is going away)
 * A thread starts at depth 0.  At an allocation in a function that pushed,
 * its callers' call sites are ring[depth-2], ring[depth-3], ... down to
 * depth-CAP (older slots were overwritten: the runtime counts them in
 * total_nframe as one frame each).
 */
#define TM_SHADOW_STACK_CAPACITY 64u
#define TM_SHADOW_STACK_NAME "__tm_shadow_stack"
struct tm_shadow_stack {
  uintptr_t depth;
  const struct tm_site *ring[TM_SHADOW_STACK_CAPACITY];
};
#ifdef TM_RUNTIME_BUILD
/* Defined by the runtime; the pass references it as an external
 * initial-exec thread_local global of type { i64, [64 x ptr] }. */
extern __thread struct tm_shadow_stack __tm_shadow_stack __attribute__((tls_model("initial-exec")));
#endif

/* Entry called by each instrumented module's constructor.  In modules that
 * may be loaded without the runtime (-fPIC, docs/design-pass.md) this, the
 * entries and the shadow stack are weak references, and a null address of
 * this function means "no runtime": entries fall back to the original
 * functions and frames go to a ring of the module's own.  Linkage only: no
 * layout or signature changes with it. */
void __tm_register_module(uint32_t abi_version, const char *module_name);

/*
 * The types of operator new's and delete's extra parameters.  In C++ they are
 * the standard's own, so the runtime's entries are written with them; in C
 * the types of the same ABI (align_val_t is an enum of size_t, a reference is
 * a pointer, tcmalloc's __hot_cold_t an enum of uint8_t).
 */
#ifdef __cplusplus
} /* extern "C" */
#include <new>
enum class __hot_cold_t : uint8_t;
typedef std::align_val_t tm_align_val_t;
typedef const std::nothrow_t &tm_nothrow_t;
typedef __hot_cold_t tm_hot_cold_t;
extern "C" {
#else
typedef size_t tm_align_val_t;
typedef const void *tm_nothrow_t;
typedef uint8_t tm_hot_cold_t;
#endif

/*
 * The runtime entries, one per allocation function the pass recognises, each
 * declared here once:
 *
 *   X(symbol, return type, (parameter types), exceptions)
 *
 * The entry is TM_ENTRY_PREFIX symbol with the parameters of the original
 * function plus a trailing `const struct tm_site *`; `ret (params)` is the
 * original function's C type.  exceptions is `nothrow` (the function never
 * throws: noexcept in C++) or `throws` (operator new: std::bad_alloc).  The
 * runtime declares its entries from this list (runtime/intercept/entries.h)
 * and the pass recognises a declaration as an allocation function only when
 * its IR type is this C type's (pass/AllocationFunctions.cpp).
 */
/* clang-format off */
#define TM_ALLOCATION_FUNCTIONS(X)                                                                  \
  /* C */                                                                                           \
  X(malloc,         void *, (size_t),                       nothrow)                               \
  X(calloc,         void *, (size_t, size_t),               nothrow)                               \
  X(realloc,        void *, (void *, size_t),               nothrow)                               \
  X(reallocarray,   void *, (void *, size_t, size_t),       nothrow)                               \
  X(free,           void,   (void *),                       nothrow)                               \
  X(aligned_alloc,  void *, (size_t, size_t),               nothrow)                               \
  X(posix_memalign, int,    (void **, size_t, size_t),      nothrow)                               \
  X(memalign,       void *, (size_t, size_t),               nothrow)                               \
  X(valloc,         void *, (size_t),                       nothrow)                               \
  X(pvalloc,        void *, (size_t),                       nothrow)                               \
  X(strdup,         char *, (const char *),                 nothrow)                               \
  X(strndup,        char *, (const char *, size_t),         nothrow)                               \
  /* operator new / new[] */                                                                        \
  X(_Znwm,                               void *, (size_t),                               throws)   \
  X(_Znam,                               void *, (size_t),                               throws)   \
  X(_ZnwmRKSt9nothrow_t,                 void *, (size_t, tm_nothrow_t),                 nothrow)  \
  X(_ZnamRKSt9nothrow_t,                 void *, (size_t, tm_nothrow_t),                 nothrow)  \
  X(_ZnwmSt11align_val_t,                void *, (size_t, tm_align_val_t),               throws)   \
  X(_ZnamSt11align_val_t,                void *, (size_t, tm_align_val_t),               throws)   \
  X(_ZnwmSt11align_val_tRKSt9nothrow_t,  void *, (size_t, tm_align_val_t, tm_nothrow_t), nothrow)  \
  X(_ZnamSt11align_val_tRKSt9nothrow_t,  void *, (size_t, tm_align_val_t, tm_nothrow_t), nothrow)  \
  /* operator new with the __hot_cold_t hint (LLVM 19 may emit these) */                            \
  X(_Znwm12__hot_cold_t,                 void *, (size_t, tm_hot_cold_t),                throws)   \
  X(_Znam12__hot_cold_t,                 void *, (size_t, tm_hot_cold_t),                throws)   \
  X(_ZnwmRKSt9nothrow_t12__hot_cold_t,   void *, (size_t, tm_nothrow_t, tm_hot_cold_t),  nothrow)  \
  X(_ZnamRKSt9nothrow_t12__hot_cold_t,   void *, (size_t, tm_nothrow_t, tm_hot_cold_t),  nothrow)  \
  X(_ZnwmSt11align_val_t12__hot_cold_t,  void *, (size_t, tm_align_val_t, tm_hot_cold_t), throws)  \
  X(_ZnamSt11align_val_t12__hot_cold_t,  void *, (size_t, tm_align_val_t, tm_hot_cold_t), throws)  \
  X(_ZnwmSt11align_val_tRKSt9nothrow_t12__hot_cold_t,                                               \
                                         void *, (size_t, tm_align_val_t, tm_nothrow_t, tm_hot_cold_t), nothrow) \
  X(_ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t,                                               \
                                         void *, (size_t, tm_align_val_t, tm_nothrow_t, tm_hot_cold_t), nothrow) \
  /* operator delete / delete[] */                                                                  \
  X(_ZdlPv,                                void, (void *),                                 nothrow) \
  X(_ZdaPv,                                void, (void *),                                 nothrow) \
  X(_ZdlPvm,                               void, (void *, size_t),                         nothrow) \
  X(_ZdaPvm,                               void, (void *, size_t),                         nothrow) \
  X(_ZdlPvRKSt9nothrow_t,                  void, (void *, tm_nothrow_t),                   nothrow) \
  X(_ZdaPvRKSt9nothrow_t,                  void, (void *, tm_nothrow_t),                   nothrow) \
  X(_ZdlPvSt11align_val_t,                 void, (void *, tm_align_val_t),                 nothrow) \
  X(_ZdaPvSt11align_val_t,                 void, (void *, tm_align_val_t),                 nothrow) \
  X(_ZdlPvmSt11align_val_t,                void, (void *, size_t, tm_align_val_t),         nothrow) \
  X(_ZdaPvmSt11align_val_t,                void, (void *, size_t, tm_align_val_t),         nothrow) \
  X(_ZdlPvSt11align_val_tRKSt9nothrow_t,   void, (void *, tm_align_val_t, tm_nothrow_t),   nothrow) \
  X(_ZdaPvSt11align_val_tRKSt9nothrow_t,   void, (void *, tm_align_val_t, tm_nothrow_t),   nothrow)
/* clang-format on */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TRACEMALLOC_ABI_H */
