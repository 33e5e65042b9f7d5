/*
 * tracemalloc.h - public C API of libtracemalloc.
 *
 * The functions of CPython's tracemalloc module, for C programs compiled with
 * the TraceMalloc pass.  Same meanings as in CPython (see
 * docs/usage.md); where Python raises an exception, these return an error
 * code and leave the state unchanged.
 */
#ifndef TRACEMALLOC_TRACEMALLOC_H
#define TRACEMALLOC_TRACEMALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Start tracing; tracebacks keep at most nframe frames.
 *  Returns 0, or -1 (errno = EINVAL) if nframe < 1 or too large
 *  (see tm_max_nframe()), or -1 (errno = EPERM) when tracing was disabled
 *  because a module was instrumented for another ABI version.  Calling it
 *  while tracing changes nothing, not even the limit (as CPython 3.11). */
int tm_start(int nframe);

/** Stop tracing and clear all traces (as tracemalloc.stop()). */
void tm_stop(void);

/** 1 if tracing, 0 otherwise. */
int tm_is_tracing(void);

/** Clear traces of memory blocks; tracing goes on. Resets current and peak. */
void tm_clear_traces(void);

/** Current and peak size in bytes of traced blocks. Either pointer may be NULL. */
void tm_get_traced_memory(size_t *current, size_t *peak);

/** Set the peak to the current size; does nothing when not tracing. */
void tm_reset_peak(void);

/** Bytes used by the tracer itself to store traces. */
size_t tm_get_tracemalloc_memory(void);

/** The traceback limit set by the last tm_start() that started tracing;
 *  1 before any.  Also when not tracing, as CPython 3.11 does (its docs say
 *  it raises; it does not). */
int tm_get_traceback_limit(void);

/** Largest nframe tm_start() accepts. */
int tm_max_nframe(void);

/** One frame of a traceback. Strings live as long as the program. */
typedef struct tm_frame {
  const char *filename;
  const char *function; /* may be NULL; for display only */
  uint32_t lineno;
} tm_frame;

/** Traceback of the block at ptr: writes up to capacity frames, OLDEST
 *  first (as Traceback: the first `capacity` of its frames), into frames and
 *  the full depth into *total_nframe (may be NULL).  tm_frame.function is the
 *  site record's (linkage) name.  Returns the number of frames written, or -1
 *  when not tracing or ptr is not a traced block. */
int tm_get_object_traceback(const void *ptr, tm_frame *frames, int capacity,
                            int *total_nframe);

/** Track a block of a custom allocator (pool, arena, GPU memory...) in
 *  `domain`, like CPython's PyTraceMalloc_Track: the trace (domain, ptr) ->
 *  (size, traceback of the caller) replaces any trace with the same key.
 *  Domain 0 is the domain of the C/C++ allocation functions.  The traceback
 *  starts at the call site of tm_track (from the shadow stack; "<unknown>":0
 *  when the caller is not instrumented).  Returns 0, -2 when not tracing, or
 *  -1 when the trace cannot be stored (errno = ENOMEM; tracing goes on) or
 *  ptr is 0 (errno = EINVAL). */
int tm_track(unsigned int domain, uintptr_t ptr, size_t size);

/** Untrack a block tracked in `domain` (PyTraceMalloc_Untrack): does nothing
 *  when it is not tracked.  Returns 0, or -2 when not tracing. */
int tm_untrack(unsigned int domain, uintptr_t ptr);

/** Opaque snapshot (a tracemalloc::Snapshot). */
typedef struct tm_snapshot tm_snapshot;

/** Take a snapshot of the traces; NULL (errno = EINVAL) when not tracing. */
tm_snapshot *tm_take_snapshot(void);

/** Write a snapshot to path atomically. Returns 0, or -1 with errno set. */
int tm_snapshot_dump(const tm_snapshot *snapshot, const char *path);

/** Free a snapshot returned by tm_take_snapshot(). */
void tm_snapshot_free(tm_snapshot *snapshot);

/** Take a snapshot and dump it: tm_take_snapshot + tm_snapshot_dump.
 *  '%p' in path becomes the pid, '%n' the next number of the process's dump
 *  sequence (shared with TRACEMALLOC_DUMP_SIGNAL/_INTERVAL dumps), '%%' a
 *  '%'.  Returns 0, or -1 with errno set. */
int tm_dump(const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TRACEMALLOC_TRACEMALLOC_H */
