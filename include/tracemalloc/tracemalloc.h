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

/** Start tracing in sampled mode: each allocated byte is traced with
 *  probability 1/sample_bytes (a block holding a sample is traced, with its
 *  traceback; the others are not), and every statistic, view and dump is an
 *  estimate scaled from the samples.  sample_bytes 0 (or 1) traces every
 *  block (exact, as tm_start()).  tm_start() uses TRACEMALLOC_SAMPLE's rate
 *  (exact when unset); this one its own.  Returns as tm_start(), and -1
 *  (errno = EINVAL) if sample_bytes > 2^40. */
int tm_start_sampled(int nframe, size_t sample_bytes);

/** The sampled mode's rate of the tracing session (set when it started):
 *  the mean bytes between samples, 0 when every block is traced. */
size_t tm_get_sample_bytes(void);

/** Stop tracing and clear all traces (as tracemalloc.stop()). */
void tm_stop(void);

/** 1 if tracing, 0 otherwise. */
int tm_is_tracing(void);

/** Clear traces of memory blocks; tracing goes on. Resets current and peak. */
void tm_clear_traces(void);

/** Current and peak size in bytes of traced blocks. Either pointer may be NULL.
 *  In sampled mode, estimates: each sampled block counts for its weighted
 *  size, size / (1 - exp(-size / sample_bytes)), rounded to the nearest.
 *  Threads: current is exact (each thread's batch of bytes not yet folded
 *  into the shared figure is counted).  The peak is exact in a program with
 *  one allocating thread; with several it is never above the exact peak
 *  and may lag it by at most 64 KiB for each other thread that allocates or
 *  frees (each thread checks for a new peak from its own batch), and it is
 *  never below current. */
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
int tm_get_object_traceback(const void *ptr, tm_frame *frames, int capacity, int *total_nframe);

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

/** What a snapshot's traces count (tracemalloc::View).  TM_VIEW_LIVE: the
 *  blocks live when it was taken (tm_take_snapshot).  TM_VIEW_PEAK: those
 *  live when traced memory last reached its peak (since tm_start,
 *  tm_clear_traces or tm_reset_peak).  TM_VIEW_ALLOCATED: every allocation
 *  since tracing started, freed ones included (size = bytes allocated,
 *  count = allocations).  TM_VIEW_TEMPORARY: the allocations freed by their
 *  thread before its next allocation. */
typedef enum tm_view {
  TM_VIEW_LIVE = 0,
  TM_VIEW_PEAK = 1,
  TM_VIEW_ALLOCATED = 2,
  TM_VIEW_TEMPORARY = 3
} tm_view;

/** A snapshot of one view; NULL with errno = EINVAL when not tracing or view
 *  is not a tm_view. */
tm_snapshot *tm_take_snapshot_view(tm_view view);

/** One view of a snapshot as a snapshot of its own.  Returns NULL with
 *  errno = ENOENT when s does not carry that view (a dump of format version
 *  1), EINVAL when s is NULL or view is not a tm_view.  Free with
 *  tm_snapshot_free(). */
tm_snapshot *tm_snapshot_view(const tm_snapshot *s, tm_view view);

/** One sample of memory over time (TRACEMALLOC_TIMELINE): seconds since
 *  tracing started, traced bytes then, the highest traced bytes since the
 *  previous sample, and the resident set size (0 when unknown). */
typedef struct tm_timeline_sample {
  double time_s;
  uint64_t current;
  uint64_t high;
  uint64_t rss;
} tm_timeline_sample;

/** The timeline a snapshot carries: *samples (valid as long as s; may be
 *  NULL when there are none) and their number as the result; (size_t)-1
 *  with errno = EINVAL when s or samples is NULL. */
size_t tm_snapshot_timeline(const tm_snapshot *s, const tm_timeline_sample **samples);

/** The runtime's timeline so far: copies up to capacity samples (oldest
 *  first) into out (which may be NULL when capacity is 0) and returns the
 *  number of samples there are, so a first call with capacity 0 sizes the
 *  array; 0 when not tracing or the timeline is off. */
size_t tm_timeline(tm_timeline_sample *out, size_t capacity);

/** Write a snapshot to path atomically. Returns 0, or -1 with errno set. */
int tm_snapshot_dump(const tm_snapshot *snapshot, const char *path);

/** Free a snapshot returned by tm_take_snapshot(), tm_snapshot_load() or
 *  tm_snapshot_filter_traces(); NULL does nothing. */
void tm_snapshot_free(tm_snapshot *snapshot);

/** Read a snapshot written by tm_snapshot_dump()/tm_dump() (or a JSON
 *  snapshot), as Snapshot.load(filename).  Returns NULL with errno set:
 *  EINVAL when path is NULL or the file is not a snapshot (empty, truncated,
 *  corrupt, unknown format version), the error of open() when the file
 *  cannot be opened (ENOENT when missing, EACCES...), EISDIR for a
 *  directory, ENOMEM when out of memory.  Free with tm_snapshot_free(). */
tm_snapshot *tm_snapshot_load(const char *path);

/** Number of traces, as len(snapshot.traces); (size_t)-1 with errno = EINVAL
 *  when s is NULL or the count (of a loaded file) does not fit in size_t. */
size_t tm_snapshot_trace_count(const tm_snapshot *s);

/** Snapshot.traceback_limit: the limit tracing had when the snapshot was
 *  taken; -1 with errno = EINVAL when s is NULL. */
int tm_snapshot_traceback_limit(const tm_snapshot *s);

/** One filter of tm_snapshot_filter_traces(): CPython's Filter, or its
 *  DomainFilter when filename_pattern is NULL (then only inclusive and
 *  domain count, and domain must be >= 0). */
typedef struct tm_filter {
  int inclusive;                /* 1: keep matching traces; 0: drop them */
  const char *filename_pattern; /* fnmatch pattern as Filter; NULL makes it a DomainFilter */
  int lineno;                   /* -1: any line (Filter's lineno=None) */
  int all_frames;               /* 1: test every frame, not only the most recent */
  int64_t domain;               /* -1: any domain (Filter's domain=None) */
} tm_filter;

/** Snapshot.filter_traces(filters): a new snapshot with the traces the n
 *  filters select (as CPython: a trace is kept when it matches at least one
 *  inclusive filter, if there is any, and no exclusive one).  n = 0 copies
 *  the traces; filters may then be NULL.  Returns NULL with errno = EINVAL
 *  when s is NULL, filters is NULL with n > 0, or a filter is invalid (lineno
 *  or domain below -1, a DomainFilter with domain -1), and errno = ENOMEM
 *  when out of memory.  Free with tm_snapshot_free(). */
tm_snapshot *tm_snapshot_filter_traces(const tm_snapshot *s, const tm_filter *filters, size_t n);

/** Opaque list of statistics (Statistic or StatisticDiff), sorted as CPython
 *  sorts them. */
typedef struct tm_statistics tm_statistics;

/** Snapshot.statistics(key_type, cumulative): key_type is "filename",
 *  "lineno" or "traceback"; sorted by size, then count, both descending,
 *  then by traceback.  Returns NULL with errno = EINVAL when s or key_type is
 *  NULL, key_type is none of those, or cumulative is set with "traceback";
 *  errno = ENOMEM when out of memory.  Free with tm_statistics_free(). */
tm_statistics *tm_snapshot_statistics(const tm_snapshot *s, const char *key_type, int cumulative);

/** new_snapshot.compare_to(old_snapshot, key_type, cumulative): a
 *  StatisticDiff per key of either snapshot, sorted by the absolute size
 *  difference, then size, absolute count difference, count (all descending),
 *  then traceback.  Errors as tm_snapshot_statistics(), also when either
 *  snapshot is NULL.  Free with tm_statistics_free(). */
tm_statistics *tm_snapshot_compare_to(const tm_snapshot *new_snapshot,
                                      const tm_snapshot *old_snapshot, const char *key_type,
                                      int cumulative);

/** Number of statistics; (size_t)-1 with errno = EINVAL when st is NULL. */
size_t tm_statistics_count(const tm_statistics *st);

/** One statistic: CPython's Statistic (size_diff and count_diff 0) or
 *  StatisticDiff.  frames is the traceback OLDEST first, as
 *  tm_get_object_traceback() writes frames and as Traceback orders them: for
 *  key types "lineno" and "filename" its one frame (lineno 0 with
 *  "filename").  nframe is the number of frames in `frames`.  total_nframe
 *  is, for key type "traceback", the total depth of the traces' tracebacks
 *  (Traceback.total_nframe; the largest when the traces grouped differ below
 *  the traceback limit), and nframe when the snapshot does not know it (a
 *  dump without depths) and for "lineno" and "filename" (one-frame keys).
 *  tm_frame.function is the demangled function name, NULL when unknown.
 *  Everything it points to lives as long as the tm_statistics it came
 *  from. */
typedef struct tm_statistic {
  size_t size, count;            /* Statistic / StatisticDiff */
  int64_t size_diff, count_diff; /* 0 from tm_snapshot_statistics */
  const tm_frame *frames;        /* the traceback, oldest first */
  int nframe, total_nframe;
} tm_statistic;

/** The statistic at index i (0 is the first in CPython's order); NULL with
 *  errno = EINVAL when st is NULL or i >= tm_statistics_count(st).  Valid
 *  until tm_statistics_free(st). */
const tm_statistic *tm_statistics_at(const tm_statistics *st, size_t i);

/** Writes str(stat) as CPython formats it: str(Statistic) for a statistic of
 *  tm_snapshot_statistics() ("file.c:12: size=1000 B, count=2, average=500
 *  B"), str(StatisticDiff) for one of tm_snapshot_compare_to() ("file.c:12:
 *  size=1000 B (+500 B), count=2 (+1), average=500 B").  Like snprintf:
 *  writes at most capacity bytes including the terminating NUL (buf may be
 *  NULL when capacity is 0) and returns the length of the whole text, not
 *  counting the NUL.  stat must be a pointer returned by tm_statistics_at(),
 *  not a copy.  Returns -1 with errno = EINVAL when stat is NULL, or buf is
 *  NULL with capacity > 0 (EOVERFLOW, as snprintf, past INT_MAX bytes). */
int tm_statistic_format(const tm_statistic *stat, char *buf, size_t capacity);

/** Free statistics and everything tm_statistics_at() returned from them;
 *  NULL does nothing. */
void tm_statistics_free(tm_statistics *st);

/** Take a snapshot and dump it: tm_take_snapshot + tm_snapshot_dump.
 *  '%p' in path becomes the pid, '%n' the next number of the process's dump
 *  sequence (shared with TRACEMALLOC_DUMP_SIGNAL/_INTERVAL dumps), '%%' a
 *  '%'.  Returns 0, or -1 with errno set. */
int tm_dump(const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TRACEMALLOC_TRACEMALLOC_H */
