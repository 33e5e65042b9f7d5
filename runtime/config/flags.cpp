// flags.cpp - flags.inc's variables: parsed by one parser per kind, warned
// about in one format, and listed by TRACEMALLOC_HELP, all from the table.
#include "runtime/config/flags.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <string>

#include "runtime/support/internal_alloc.h"
#include "runtime/support/report.h"
#include "runtime/timeline/timeline.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/session.h"

namespace tm_rt {
namespace {

struct FlagInfo {
  const char *name;
  const char *type;
  const char *default_value;
  const char *help;
  bool testing_aid;
};

#define TM_STRINGIFY(x) #x
constexpr FlagInfo kFlags[] = {
#define TM_FLAG(name, kind, type, default_value, if_bad, help) \
  {#name, #type, TM_STRINGIFY(default_value), help, false},
#define TM_TEST_FLAG(name, kind, type, default_value, if_bad, help) \
  {#name, #type, TM_STRINGIFY(default_value), help, true},
#include "runtime/config/flags.inc"
#undef TM_TEST_FLAG
#undef TM_FLAG
};
#undef TM_STRINGIFY

// Written by the initialiser, before threads exist; read afterwards.
char g_dump_path[kMaxSettingPath];
int g_dump_signal = 0;
uint32_t g_dump_interval_ms = 0;

bool is_set(const char *text) { return text && *text; }

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
  if (!is_set(text)) return true;
  uint64_t value = 0;
  for (const char *p = text; *p; ++p) {
    if (*p < '0' || *p > '9') {
      *problem = "not a decimal integer; expected [1; 65535]";
      return false;
    }
    value = value * 10 + static_cast<uint64_t>(*p - '0');
    if (value > static_cast<uint64_t>(kMaxTracebackFrames)) {
      *problem = "too large; expected [1; 65535]";
      return false;
    }
  }
  if (value < 1) {
    *problem = "less than 1; expected [1; 65535]";
    return false;
  }
  *nframe = static_cast<int>(value);
  return true;
}
static_assert(kMaxTracebackFrames == 65535, "the messages above name the range");

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
  } else {
    const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
    for (int candidate = 1; candidate < SIGRTMIN && !*signal_number; ++candidate) {
      const char *abbreviation = sigabbrev_np(candidate);
      if (abbreviation && strcasecmp(abbreviation, name) == 0) *signal_number = candidate;
    }
    if (!*signal_number) {
      *problem = "not a signal name";
      return false;
    }
  }
  // Only signals no one relies on to stop or fix the program: taking over
  // SEGV, FPE, BUS, ILL would loop on the fault, PIPE, TERM, INT, HUP... would
  // keep the program from dying as it should, and KILL, STOP cannot be caught.
  const int n = *signal_number;
  if (n != SIGUSR1 && n != SIGUSR2 && (n < SIGRTMIN || n > SIGRTMAX)) {
    *signal_number = 0;
    *problem = "not a signal that can be taken over (USR1, USR2 or a real-time signal)";
    return false;
  }
  return true;
}

bool parse_interval_setting(const char *text, uint32_t *milliseconds, const char **problem) {
  *milliseconds = 0;
  if (!is_set(text)) return true;
  constexpr uint64_t kMaxSeconds = 1000000;
  const char *dot = strchr(text, '.');
  const std::string whole(text, dot ? static_cast<size_t>(dot - text) : strlen(text));
  uint64_t seconds = 0, fraction = 0;
  const bool whole_ok =
      whole.empty() ? dot != nullptr : parse_decimal(whole.c_str(), kMaxSeconds, &seconds);
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

bool parse_timeline_setting(const char *text, uint32_t *milliseconds, const char **problem) {
  *milliseconds = kDefaultTimelineMs;
  if (!is_set(text)) return true;
  // Zero in any spelling the interval syntax allows ("0", "0.0", ".000").
  bool zero = strspn(text, "0.") == strlen(text) && strchr(text, '0') &&
              strchr(text, '.') == strrchr(text, '.');
  if (zero) {
    *milliseconds = 0;
    return true;
  }
  if (parse_interval_setting(text, milliseconds, problem)) return true;
  *milliseconds = kDefaultTimelineMs;
  return false;
}

bool parse_path_setting(const char *text, const char **path, const char **problem) {
  *path = "";
  if (!is_set(text)) return true;
  if (strlen(text) >= kMaxSettingPath) {
    *problem = "path too long";
    return false;
  }
  *path = text;
  return true;
}

bool parse_bool_setting(const char *text, bool *enabled, const char **) {
  *enabled = is_set(text) && strcmp(text, "0") != 0;
  return true;
}

bool parse_count_setting(const char *text, int64_t *count, const char **problem) {
  *count = -1;
  if (!is_set(text)) return true;
  uint64_t value = 0;
  if (!parse_decimal(text, UINT32_MAX, &value)) {
    *problem = "not a decimal integer";
    return false;
  }
  *count = static_cast<int64_t>(value);
  return true;
}

bool parse_sample_setting(const char *text, uint64_t *bytes, const char **problem) {
  *bytes = 0;
  if (!is_set(text)) return true;
  uint64_t value = 0;
  if (!parse_decimal(text, kMaxSampleBytes, &value) || value == 0) {
    *problem = "not a number of bytes in [1; 2^40]";
    return false;
  }
  *bytes = value;
  return true;
}

Settings read_settings(const char *(*lookup)(const char *name)) {
  Settings settings;
  const char *problem = "";
  // The value goes last in the warning so that it stands out even when long
  // or odd; it is cut at 64 bytes.
#define TM_FLAG(name, kind, type, default_value, if_bad, help)     \
  {                                                                \
    const char *text = lookup(#name);                              \
    if (!parse_##kind##_setting(text, &settings.name, &problem)) { \
      warn("%s (%s) in %s=%.64s", if_bad, problem, #name, text);   \
    }                                                              \
  }
#define TM_TEST_FLAG TM_FLAG
#include "runtime/config/flags.inc"
#undef TM_TEST_FLAG
#undef TM_FLAG
  return settings;
}

void apply_environment(const char *(*lookup)(const char *name)) {
  const Settings settings = read_settings(lookup);
  // Before tracing starts, which starts the timeline.
  set_timeline_interval_ms(settings.TRACEMALLOC_TIMELINE);
  // Every start() without a rate of its own samples at this one.
  set_default_sample_bytes(settings.TRACEMALLOC_SAMPLE);
  set_sample_seed(settings.TRACEMALLOC_SAMPLE_SEED);
  if (settings.TRACEMALLOC > 0) {
    // Before tracing starts, so that the limit covers the first tables.
    if (settings.TRACEMALLOC_TEST_TABLE_ALLOCATIONS >= 0) {
      internal_alloc_fail_after(settings.TRACEMALLOC_TEST_TABLE_ALLOCATIONS);
    }
    if (start_tracing(settings.TRACEMALLOC) != 0 && !state().abi_mismatch.load()) {
      warn("TRACEMALLOC is set but tracing could not start");
    }
  }

  strcpy(g_dump_path, settings.TRACEMALLOC_DUMP);  // parse_path_setting bounds it
  // A relative path names a file in the directory the program started in,
  // not wherever it has chdir()ed to when it dumps.
  if (g_dump_path[0] && g_dump_path[0] != '/') {
    char cwd[kMaxSettingPath];
    if (!getcwd(cwd, sizeof cwd)) {
      warn("TRACEMALLOC_DUMP: cannot resolve '%s' (%s); no snapshot files", g_dump_path,
           strerror(errno));
      g_dump_path[0] = 0;
    } else if (strlen(cwd) + 1 + strlen(g_dump_path) >= kMaxSettingPath) {
      warn("TRACEMALLOC_DUMP: path too long once resolved; no snapshot files");
      g_dump_path[0] = 0;
    } else {
      const std::string resolved = std::string(cwd) + "/" + g_dump_path;
      strcpy(g_dump_path, resolved.c_str());
    }
  }

  g_dump_signal = 0;
  g_dump_interval_ms = 0;
  const int signal_number = settings.TRACEMALLOC_DUMP_SIGNAL;
  const uint32_t interval_ms = settings.TRACEMALLOC_DUMP_INTERVAL;
  if ((signal_number || interval_ms) && !g_dump_path[0]) {
    warn(
        "TRACEMALLOC_DUMP_SIGNAL/TRACEMALLOC_DUMP_INTERVAL need TRACEMALLOC_DUMP "
        "(where to write); no dumps on demand");
  } else {
    g_dump_signal = signal_number;
    g_dump_interval_ms = interval_ms;
  }
}

const char *dump_path_setting() { return g_dump_path; }
int dump_signal_setting() { return g_dump_signal; }
uint32_t dump_interval_setting_ms() { return g_dump_interval_ms; }

void print_flag_table(int fd, bool with_testing_aids) {
  std::string text =
      "tracemalloc: environment variables (read once at start-up with secure_getenv: ignored "
      "in setuid programs)\n";
  for (const FlagInfo &flag : kFlags) {
    if (flag.testing_aid && !with_testing_aids) continue;
    const bool no_default = strcmp(flag.default_value, "\"\"") == 0;
    text += "  " + std::string(flag.name) + " (" + flag.type +
            ", default: " + (no_default ? "unset" : flag.default_value) + ")\n      " + flag.help +
            "\n";
  }
  ssize_t ignored = write(fd, text.data(), text.size());
  (void)ignored;
}

}  // namespace tm_rt
