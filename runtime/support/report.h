// report.h - the runtime's one writer of warnings: a "tracemalloc: ..." line
// on stderr, written with write(2) so that it is safe inside malloc.
#ifndef TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H
#define TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H

namespace tm_rt {

// Formats one line (printf-style, without the prefix or the newline) into a
// fixed buffer, cut at 4.5 KiB (a dump path of PATH_MAX fits), and writes "tracemalloc: LINE\n" to
// fd 2. Preserves errno.  Never allocates: it runs in allocation paths and in constructors that run
// before stdio is set up.
void warn(const char *format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SUPPORT_REPORT_H
