// report.cpp - the runtime's one writer of warnings (report.h).
#include "runtime/support/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace tm_rt {

void warn(const char *format, ...) {
  const int saved_errno = errno;
  static const char kPrefix[] = "tracemalloc: ";
  char line[4608];
  memcpy(line, kPrefix, sizeof kPrefix - 1);
  const size_t room = sizeof line - (sizeof kPrefix - 1) - 1;  // keeps one byte for '\n'
  va_list args;
  va_start(args, format);
  const int n = vsnprintf(line + sizeof kPrefix - 1, room, format, args);
  va_end(args);
  size_t length = sizeof kPrefix - 1;
  if (n > 0) length += static_cast<size_t>(n) < room ? static_cast<size_t>(n) : room - 1;
  line[length++] = '\n';
  // One write: lines of concurrent warnings never interleave.
  ssize_t ignored = write(STDERR_FILENO, line, length);
  (void)ignored;
  errno = saved_errno;
}

}  // namespace tm_rt
