// env.cpp - the runtime initialiser: reads flags.inc's variables once, before
// main, registers the fork handlers and the at-exit dump.
//
// Entries called before it ran (allocations in earlier constructors) are
// simply not traced: tracing is off until it starts it.
#include "runtime/env.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "runtime/guard.h"
#include "runtime/state.h"
#include "runtime/traceback_table.h"

// Referenced from entries.cpp so that linking any entry from the static
// archive also links this initialiser.
extern "C" const char __tm_env_anchor = 0;

namespace tm_rt {
namespace {

struct FlagInfo {
  const char *name;
  const char *type;
  const char *default_value;
  const char *help;
};

#define TM_STRINGIFY(x) #x
constexpr FlagInfo kFlags[] = {
#define TM_FLAG(name, type, default_value, help) {#name, #type, TM_STRINGIFY(default_value), help},
#include "runtime/flags.inc"
#undef TM_FLAG
};

// Written once by the initialiser, before threads exist; read at exit.
char g_dump_path[4096];

void warn(const char *line) {
  // stdio may not be set up for an early constructor in every libc: write(2).
  ssize_t ignored = write(STDERR_FILENO, line, strlen(line));
  (void)ignored;
}

}  // namespace

bool parse_nframe_setting(const char *text, int *nframe, const char **problem) {
  *nframe = 0;
  if (!text || !*text) return true;
  long value = 0;
  for (const char *p = text; *p; ++p) {
    if (*p < '0' || *p > '9') {
      *problem = "not a decimal integer";
      return false;
    }
    value = value * 10 + (*p - '0');
    if (value > kMaxTracebackFrames) {
      *problem = "too large";
      return false;
    }
  }
  if (value < 1) {
    *problem = "less than 1";
    return false;
  }
  *nframe = static_cast<int>(value);
  return true;
}

std::string expand_dump_path(const char *pattern) {
  std::string path;
  for (const char *p = pattern; *p; ++p) {
    if (p[0] == '%' && p[1] == 'p') {
      path += std::to_string(static_cast<long>(getpid()));
      ++p;
    } else if (p[0] == '%' && p[1] == '%') {
      path += '%';
      ++p;
    } else {
      path += *p;
    }
  }
  return path;
}

void apply_environment(const char *(*lookup)(const char *name)) {
  char line[512];
  const char *frames_text = lookup(kFlags[0].name);
  int nframe = 0;
  const char *problem = "";
  if (!parse_nframe_setting(frames_text, &nframe, &problem)) {
    // The value goes last so that it stands out even when long or odd.
    snprintf(line, sizeof line,
             "tracemalloc: tracing not started: invalid number of frames (%s; expected "
             "[1; %d]) in TRACEMALLOC=%.64s\n",
             problem, kMaxTracebackFrames, frames_text);
    warn(line);
  } else if (nframe > 0 && start_tracing(nframe) != 0 && !state().abi_mismatch.load()) {
    warn("tracemalloc: TRACEMALLOC is set but tracing could not start\n");
  }

  const char *dump_text = lookup(kFlags[1].name);
  g_dump_path[0] = '\0';
  if (dump_text && *dump_text) {
    if (strlen(dump_text) >= sizeof g_dump_path) {
      warn("tracemalloc: ignoring TRACEMALLOC_DUMP: path too long\n");
    } else {
      strcpy(g_dump_path, dump_text);
    }
  }
}

const char *dump_path_setting() { return g_dump_path; }

namespace {

const char *secure_lookup(const char *name) { return secure_getenv(name); }

// Priority 101: before the program's own constructors, so their allocations
// are traced when TRACEMALLOC is set, and atexit() registered first runs last.
__attribute__((constructor(101))) void initialise_runtime() {
  ReentrancyGuard guard;
  pthread_atfork(fork_prepare, fork_unlock, fork_unlock);
  apply_environment(secure_lookup);
  if (g_dump_path[0]) atexit(dump_at_exit);
}

}  // namespace
}  // namespace tm_rt
