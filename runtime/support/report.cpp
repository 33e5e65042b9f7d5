// report.cpp - the runtime's one writer of warnings (report.h).
#include "runtime/support/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tm_rt {
namespace {

// The file stderr was at start-up (written by capture_stderr() before
// threads exist, read afterwards).  A program may close fd 2 and open a
// data file that takes its number: warnings must not go there.
bool g_stderr_known = false;
dev_t g_stderr_dev = 0;
ino_t g_stderr_ino = 0;

bool stderr_is_still_stderr() {
  if (!g_stderr_known) return true;
  struct stat st;
  return fstat(STDERR_FILENO, &st) == 0 && st.st_dev == g_stderr_dev && st.st_ino == g_stderr_ino;
}

}  // namespace

void capture_stderr() {
  struct stat st;
  if (fstat(STDERR_FILENO, &st) != 0) {
    // No stderr at start: nothing the runtime writes may land on fd 2 later.
    g_stderr_dev = 0;
    g_stderr_ino = 0;
  } else {
    g_stderr_dev = st.st_dev;
    g_stderr_ino = st.st_ino;
  }
  g_stderr_known = true;
}

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
  if (!stderr_is_still_stderr()) {
    errno = saved_errno;
    return;
  }
  // One write: lines of concurrent warnings never interleave.
  ssize_t ignored = write(STDERR_FILENO, line, length);
  (void)ignored;
  errno = saved_errno;
}

}  // namespace tm_rt
