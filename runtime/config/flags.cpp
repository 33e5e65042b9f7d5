// env.cpp - the runtime initialiser: reads flags.inc's variables once, before
// main, registers the fork handlers and the at-exit dump, and starts the
// on-demand dump thread.
//
// Entries called before it ran (allocations in earlier constructors) are
// simply not traced: tracing is off until it starts it.
#include "runtime/config/flags.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/traces/session.h"
#include "runtime/tracebacks/traceback_table.h"

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
#include "runtime/config/flags.inc"
#undef TM_FLAG
};

// Written by the initialiser, before threads exist; read afterwards.
char g_dump_path[4096];
int g_dump_signal = 0;
uint32_t g_dump_interval_ms = 0;

// atomic: numbered dumps come from the dump thread and from tm_dump().
std::atomic<uint64_t> g_dump_sequence{0};

void warn(const char *line) {
  // stdio may not be set up for an early constructor in every libc: write(2).
  ssize_t ignored = write(STDERR_FILENO, line, strlen(line));
  (void)ignored;
}

void warn_bad_value(const char *variable, const char *problem, const char *value,
                    const char *consequence) {
  char line[512];
  // The value goes last so that it stands out even when long or odd.
  snprintf(line, sizeof line, "tracemalloc: %s (%s) in %s=%.64s\n", consequence, problem, variable,
           value);
  warn(line);
}

bool is_set(const char *text) { return text && *text; }

bool flag_enabled(const char *text) { return is_set(text) && strcmp(text, "0") != 0; }

// Decimal digits only, no sign or blank; false on overflow past `limit`.
bool parse_decimal(const char *text, uint64_t limit, uint64_t *value) {
  *value = 0;
  if (!*text) return false;
  for (const char *p = text; *p; ++p) {
    if (*p < '0' || *p > '9') return false;
    *value = *value * 10 + static_cast<uint64_t>(*p - '0');
    if (*value > limit) return false;
  }
  return true;
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

bool parse_signal_setting(const char *text, int *signal_number, const char **problem) {
  *signal_number = 0;
  if (!is_set(text)) return true;
  uint64_t number = 0;
  if (text[0] >= '0' && text[0] <= '9') {
    if (!parse_decimal(text, static_cast<uint64_t>(SIGRTMAX), &number) || number == 0) {
      *problem = "not a signal number";
      return false;
    }
    *signal_number = static_cast<int>(number);
    return true;
  }
  const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
  for (int candidate = 1; candidate < SIGRTMIN; ++candidate) {
    const char *abbreviation = sigabbrev_np(candidate);
    if (abbreviation && strcasecmp(abbreviation, name) == 0) {
      *signal_number = candidate;
      return true;
    }
  }
  *problem = "not a signal name";
  return false;
}

bool parse_interval_setting(const char *text, uint32_t *milliseconds, const char **problem) {
  *milliseconds = 0;
  if (!is_set(text)) return true;
  constexpr uint64_t kMaxSeconds = 1000000;
  const char *dot = strchr(text, '.');
  const std::string whole(text, dot ? static_cast<size_t>(dot - text) : strlen(text));
  uint64_t seconds = 0, fraction = 0;
  const bool whole_ok = whole.empty() ? dot != nullptr : parse_decimal(whole.c_str(), kMaxSeconds, &seconds);
  bool fraction_ok = true;
  if (dot) {
    const size_t digits = strlen(dot + 1);
    fraction_ok = digits >= 1 && digits <= 3 && parse_decimal(dot + 1, 999, &fraction);
    for (size_t i = digits; fraction_ok && i < 3; ++i) fraction *= 10;
  }
  if (!whole_ok || !fraction_ok) {
    *problem = "not a decimal number of seconds with at most 3 decimals, at most 1000000";
    return false;
  }
  const uint64_t total = seconds * 1000 + fraction;
  if (total == 0) {
    *problem = "not positive";
    return false;
  }
  *milliseconds = static_cast<uint32_t>(total);
  return true;
}

std::string expand_dump_path(const char *pattern, uint64_t number) {
  std::string path;
  for (const char *p = pattern; *p; ++p) {
    if (p[0] == '%' && p[1] == 'p') {
      path += std::to_string(static_cast<long>(getpid()));
      ++p;
    } else if (p[0] == '%' && p[1] == 'n' && number != 0) {
      path += std::to_string(number);
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

bool has_number_field(const char *pattern) {
  for (const char *p = pattern; *p; ++p) {
    if (p[0] == '%' && (p[1] == 'n' || p[1] == '%')) {
      if (p[1] == 'n') return true;
      ++p;  // "%%n" is a literal "%n"
    }
  }
  return false;
}

std::string numbered_dump_path(const char *pattern, uint64_t number) {
  if (has_number_field(pattern)) return expand_dump_path(pattern, number);
  std::string path = expand_dump_path(pattern);
  const size_t name_start = path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1;
  const size_t dot = path.rfind('.');
  // A leading dot starts a hidden name, not an extension.
  const size_t insert_at = (dot != std::string::npos && dot > name_start) ? dot : path.size();
  path.insert(insert_at, "." + std::to_string(number));
  return path;
}

uint64_t next_dump_number() { return g_dump_sequence.fetch_add(1, std::memory_order_relaxed) + 1; }

void apply_environment(const char *(*lookup)(const char *name)) {
  const char *frames_text = lookup("TRACEMALLOC");
  int nframe = 0;
  const char *problem = "";
  if (!parse_nframe_setting(frames_text, &nframe, &problem)) {
    char detail[128];
    snprintf(detail, sizeof detail, "%s; expected [1; %d]", problem, kMaxTracebackFrames);
    warn_bad_value("TRACEMALLOC", detail, frames_text,
                   "tracing not started: invalid number of frames");
  } else if (nframe > 0) {
    // Before tracing starts, so that the limit covers the first tables.
    uint64_t table_allocations = 0;
    const char *limit_text = lookup("TRACEMALLOC_TEST_TABLE_ALLOCATIONS");
    if (is_set(limit_text)) {
      if (parse_decimal(limit_text, UINT32_MAX, &table_allocations)) {
        internal_alloc_fail_after(static_cast<long long>(table_allocations));
      } else {
        warn_bad_value("TRACEMALLOC_TEST_TABLE_ALLOCATIONS", "not a decimal integer", limit_text,
                       "ignored");
      }
    }
    if (start_tracing(nframe) != 0 && !state().abi_mismatch.load()) {
      warn("tracemalloc: TRACEMALLOC is set but tracing could not start\n");
    }
  }

  const char *dump_text = lookup("TRACEMALLOC_DUMP");
  g_dump_path[0] = '\0';
  if (is_set(dump_text)) {
    if (strlen(dump_text) >= sizeof g_dump_path) {
      warn("tracemalloc: ignoring TRACEMALLOC_DUMP: path too long\n");
    } else {
      strcpy(g_dump_path, dump_text);
    }
  }

  g_dump_signal = 0;
  g_dump_interval_ms = 0;
  const char *signal_text = lookup("TRACEMALLOC_DUMP_SIGNAL");
  const char *interval_text = lookup("TRACEMALLOC_DUMP_INTERVAL");
  int signal_number = 0;
  uint32_t interval_ms = 0;
  if (!parse_signal_setting(signal_text, &signal_number, &problem)) {
    warn_bad_value("TRACEMALLOC_DUMP_SIGNAL", problem, signal_text, "no dumps on a signal");
  }
  if (!parse_interval_setting(interval_text, &interval_ms, &problem)) {
    warn_bad_value("TRACEMALLOC_DUMP_INTERVAL", problem, interval_text, "no periodic dumps");
  }
  if ((signal_number || interval_ms) && !g_dump_path[0]) {
    warn("tracemalloc: TRACEMALLOC_DUMP_SIGNAL/TRACEMALLOC_DUMP_INTERVAL need TRACEMALLOC_DUMP "
         "(where to write); no dumps on demand\n");
  } else {
    g_dump_signal = signal_number;
    g_dump_interval_ms = interval_ms;
  }
}

const char *dump_path_setting() { return g_dump_path; }
int dump_signal_setting() { return g_dump_signal; }
uint32_t dump_interval_setting_ms() { return g_dump_interval_ms; }

void print_flag_table(int fd) {
  std::string text =
      "tracemalloc: environment variables (read once at start-up with secure_getenv: ignored "
      "in setuid programs)\n";
  for (const FlagInfo &flag : kFlags) {
    const bool no_default = strcmp(flag.default_value, "\"\"") == 0;
    text += "  " + std::string(flag.name) + " (" + flag.type +
            ", default: " + (no_default ? "unset" : flag.default_value) + ")\n      " + flag.help +
            "\n";
  }
  ssize_t ignored = write(fd, text.data(), text.size());
  (void)ignored;
}

namespace {

const char *secure_lookup(const char *name) { return secure_getenv(name); }

// Priority 101: before the program's own constructors, so their allocations
// are traced when TRACEMALLOC is set, and atexit() registered first runs last.
__attribute__((constructor(101))) void initialise_runtime() {
  ReentrancyGuard guard;
  pthread_atfork(fork_prepare, fork_unlock, fork_unlock);
  decide_new_blocks_from_malloc();
  if (flag_enabled(secure_lookup("TRACEMALLOC_HELP"))) print_flag_table(STDERR_FILENO);
  apply_environment(secure_lookup);
  if (g_dump_path[0]) atexit(dump_at_exit);
  if (g_dump_signal || g_dump_interval_ms) start_dump_thread(g_dump_signal, g_dump_interval_ms);
}

}  // namespace
}  // namespace tm_rt
