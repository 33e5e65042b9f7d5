// env.h - the environment variables of flags.inc, parsed once.
#ifndef TRACEMALLOC_RUNTIME_ENV_H
#define TRACEMALLOC_RUNTIME_ENV_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace tm_rt {

// Parses the value of TRACEMALLOC.  Returns true and sets *nframe for a
// decimal integer in [1; kMaxTracebackFrames]; otherwise false and *problem
// names what is wrong.  An empty value is "unset": true with *nframe = 0.
bool parse_nframe_setting(const char *text, int *nframe, const char **problem);

// TRACEMALLOC_DUMP_SIGNAL: a signal name with or without "SIG" (any case)
// or a number in [1; SIGRTMAX].  Unset/empty: true with *signal_number = 0.
bool parse_signal_setting(const char *text, int *signal_number, const char **problem);

// TRACEMALLOC_DUMP_INTERVAL: positive decimal seconds, at most 3 fractional
// digits, at most 10^6.  Unset/empty: true with *milliseconds = 0.
bool parse_interval_setting(const char *text, uint32_t *milliseconds, const char **problem);

// Expands '%p' to the pid, '%n' to `number` (left as is when number is 0)
// and '%%' to '%' in a dump path; any other '%x' is kept as is.
std::string expand_dump_path(const char *pattern, uint64_t number = 0);
// True when the pattern has a '%n' field.
bool has_number_field(const char *pattern);
// The path of the dump numbered `number`: the pattern's '%n' field, or when
// there is none ".<number>" inserted before the file name's extension
// ("out.tmd" -> "out.3.tmd"; "out" -> "out.3").
std::string numbered_dump_path(const char *pattern, uint64_t number);
// The next number of the process's dump sequence (1, 2, ...).
uint64_t next_dump_number();

// What the initialiser does with the environment, exposed for tests: reads
// flags.inc's variables through `lookup`, prints at most one warning line
// per bad variable, starts tracing if asked, and remembers the dump
// settings.  Starts no thread and installs no handler.
void apply_environment(const char *(*lookup)(const char *name));

// The TRACEMALLOC_DUMP path read at start-up ("" if none).
const char *dump_path_setting();
// TRACEMALLOC_DUMP_SIGNAL / _INTERVAL as read at start-up (0 if none or if
// TRACEMALLOC_DUMP is not set).
int dump_signal_setting();
uint32_t dump_interval_setting_ms();

// Writes flags.inc as a table (TRACEMALLOC_HELP) to the file descriptor.
void print_flag_table(int fd);

// Writes the at-exit dump (dump.cpp).
void dump_at_exit();
// Writes the next numbered on-demand dump (dump.cpp); called by the dump
// thread with the reentrancy guard set.
void write_numbered_dump();

// The on-demand dump thread (dump_thread.cpp).  Started by the initialiser
// when a signal or an interval is set; `stop_dump_thread` makes it write no
// further dump and waits for one in progress (called at exit).
void start_dump_thread(int signal_number, uint32_t interval_ms);
void stop_dump_thread();

// Whether operator new's blocks come from the runtime's malloc (entries.cpp);
// decided by the initialiser, once.
bool decide_new_blocks_from_malloc();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_ENV_H
