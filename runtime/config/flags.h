// flags.h - the runtime's environment variables (flags.inc): their parsers,
// the settings read from them, and the TRACEMALLOC_HELP table.
#ifndef TRACEMALLOC_RUNTIME_CONFIG_FLAGS_H
#define TRACEMALLOC_RUNTIME_CONFIG_FLAGS_H

#include <cstddef>
#include <cstdint>

namespace tm_rt {

// One parser per kind of flags.inc.  Each returns true and sets *value for a
// valid text, or for an unset/empty one the kind's unset value; otherwise
// false, the unset value, and *problem names what is wrong.
//
// nframe: a decimal integer in [1; kMaxTracebackFrames]; unset: 0.
bool parse_nframe_setting(const char *text, int *nframe, const char **problem);
// signal: a signal name with or without "SIG" (any case) or a number in
// [1; SIGRTMAX]; unset: 0.
bool parse_signal_setting(const char *text, int *signal_number, const char **problem);
// interval: positive decimal seconds, at most 3 fractional digits, at most
// 10^6, in milliseconds; unset: 0.
bool parse_interval_setting(const char *text, uint32_t *milliseconds, const char **problem);
// timeline: "0" (or 0.0...) for off, or an interval as above; unset: 10 ms.
bool parse_timeline_setting(const char *text, uint32_t *milliseconds, const char **problem);
// path: shorter than kMaxSettingPath bytes; unset: "".
constexpr size_t kMaxSettingPath = 4096;
bool parse_path_setting(const char *text, const char **path, const char **problem);
// bool: anything but "0" is true; unset: false.  Never fails.
bool parse_bool_setting(const char *text, bool *enabled, const char **problem);
// count: a decimal integer in [0; 2^32 - 1]; unset: -1.
bool parse_count_setting(const char *text, int64_t *count, const char **problem);
// sample: a decimal number of bytes in [1; 2^40]; unset: 0 (exact).
bool parse_sample_setting(const char *text, uint64_t *bytes, const char **problem);

// Every variable of flags.inc, parsed (strings point into the environment).
struct Settings {
#define TM_FLAG_VALUE_nframe int
#define TM_FLAG_VALUE_signal int
#define TM_FLAG_VALUE_interval uint32_t
#define TM_FLAG_VALUE_timeline uint32_t
#define TM_FLAG_VALUE_path const char *
#define TM_FLAG_VALUE_bool bool
#define TM_FLAG_VALUE_count int64_t
#define TM_FLAG_VALUE_sample uint64_t
#define TM_FLAG(name, kind, type, default_value, if_bad, help) TM_FLAG_VALUE_##kind name;
#define TM_TEST_FLAG TM_FLAG
#include "runtime/config/flags.inc"
#undef TM_TEST_FLAG
#undef TM_FLAG
};

// Reads every variable through `lookup` and parses it: one warning line per
// bad variable, which then counts as unset.
Settings read_settings(const char *(*lookup)(const char *name));

// What the initialiser does with the environment, exposed for tests: reads
// the settings, starts tracing if asked, and remembers the dump settings.
// Starts no thread and installs no handler.
void apply_environment(const char *(*lookup)(const char *name));

// The TRACEMALLOC_DUMP path read at start-up ("" if none).
const char *dump_path_setting();
// TRACEMALLOC_DUMP_SIGNAL / _INTERVAL as read at start-up (0 if none or if
// TRACEMALLOC_DUMP is not set).
int dump_signal_setting();
uint32_t dump_interval_setting_ms();

// Writes the user variables of flags.inc as a table (TRACEMALLOC_HELP) to the
// file descriptor; testing aids only when `with_testing_aids`.
void print_flag_table(int fd, bool with_testing_aids = false);

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_CONFIG_FLAGS_H
