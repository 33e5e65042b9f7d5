// env.h - the environment variables of flags.inc, parsed once.
#ifndef TRACEMALLOC_RUNTIME_ENV_H
#define TRACEMALLOC_RUNTIME_ENV_H

#include <cstddef>
#include <string>

namespace tm_rt {

// Parses the value of TRACEMALLOC.  Returns true and sets *nframe for a
// decimal integer in [1; kMaxTracebackFrames]; otherwise false and *problem
// names what is wrong.  An empty value is "unset": true with *nframe = 0.
bool parse_nframe_setting(const char *text, int *nframe, const char **problem);

// Expands '%p' to the pid and '%%' to '%' in a dump path; any other '%x' is
// kept as is.
std::string expand_dump_path(const char *pattern);

// What the initialiser does with the environment, exposed for tests: reads
// TRACEMALLOC / TRACEMALLOC_DUMP through `lookup`, prints at most one warning
// line per bad variable, starts tracing if asked, and remembers the dump path.
void apply_environment(const char *(*lookup)(const char *name));

// The TRACEMALLOC_DUMP path read at start-up ("" if none).
const char *dump_path_setting();

// Writes the at-exit dump (dump.cpp).
void dump_at_exit();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_ENV_H
