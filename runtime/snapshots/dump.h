// dump.h - snapshot files: dump paths ('%p', '%n'), the dump sequence, the
// at-exit dump and the on-demand dumps of the dump thread.
#ifndef TRACEMALLOC_RUNTIME_SNAPSHOTS_DUMP_H
#define TRACEMALLOC_RUNTIME_SNAPSHOTS_DUMP_H

#include <cstdint>
#include <string>

namespace tm_rt {

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

// Writes the at-exit dump to TRACEMALLOC_DUMP.
void dump_at_exit();
// Writes the next numbered on-demand dump; called by the dump thread with
// the reentrancy guard set.
void write_numbered_dump();

// The runtime's background thread (background_thread.cpp): dumps on demand.
// start_dump_thread() is the initialiser's, when a signal or an interval is
// set.  stop_dump_thread() makes it write no further dump and waits for one
// in progress (called at exit).
void start_dump_thread(int signal_number, uint32_t interval_ms);
void stop_dump_thread();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SNAPSHOTS_DUMP_H
