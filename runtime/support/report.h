// report.h - the runtime's one writer of warnings: a "tracemalloc: ..." line
// on stderr, written with write(2) so that it is safe inside malloc.
#ifndef TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H
#define TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H

namespace tm_rt {

// Formats one line (printf-style, without the prefix or the newline) into a
// fixed buffer, cut at 4.5 KiB (a dump path of PATH_MAX fits), and writes "tracemalloc: LINE\n" to
// fd 2. Preserves errno.  Never allocates: it runs in allocation paths and in constructors that run
// before stdio is set up.
// Nothing is written once fd 2 is no longer the file it was when
// capture_stderr() ran (a program that closed stderr and opened a data
// file in its place).
void warn(const char *format, ...) __attribute__((format(printf, 1, 2)));

// Records which file fd 2 is; the initialiser calls it before anything else.
void capture_stderr();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H
