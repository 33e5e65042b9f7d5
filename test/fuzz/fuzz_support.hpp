// fuzz_support.hpp - what the harnesses share: a private scratch directory
// and the work done on every snapshot a reader accepted.
#ifndef TM_FUZZ_SUPPORT_HPP
#define TM_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tracemalloc/snapshot.hpp"

namespace tmfuzz {

// A directory of this process's own (removed at exit) for the files a
// harness writes.
const std::string &scratch_directory();

// Writes `bytes` to `path`, replacing it; aborts on failure (the harness, not
// the input, is broken then).
void write_file(const std::string &path, std::string_view bytes);

// Everything a user could ask of an accepted snapshot: statistics of every
// key type (cumulative too), compare_to, every view, the trace groups, the
// str() of what they produce, and a binary and a JSON round trip that must
// give the same statistics.  Errors the model documents (tracemalloc::Error)
// are fine; anything else escapes and is a finding.
void exercise(const tracemalloc::Snapshot &snapshot);

}  // namespace tmfuzz

#endif  // TM_FUZZ_SUPPORT_HPP
