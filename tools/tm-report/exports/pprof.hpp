// pprof.hpp - a snapshot as pprof's profile.proto, gzip-compressed: what
// `go tool pprof`, pprof's web UI, Pyroscope, Parca and speedscope read.
#ifndef TM_REPORT_EXPORTS_PPROF_HPP
#define TM_REPORT_EXPORTS_PPROF_HPP

#include <string>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

struct PprofInput {
  const tracemalloc::Snapshot *inuse = nullptr;      // the live or the peak view
  const tracemalloc::Snapshot *allocated = nullptr;  // nullptr: no alloc_* sample types
  bool default_allocated = false;                    // default sample type alloc_space
};

// The gzip-compressed Profile message.  Sample types inuse_objects/count,
// inuse_space/bytes, then (with `allocated`) alloc_objects/count and
// alloc_space/bytes; one sample per (domain, traceback), the domain as a
// numeric label when not 0.  Throws tracemalloc::Error.
std::string pprof_profile(const PprofInput &input);

}  // namespace tmreport

#endif  // TM_REPORT_EXPORTS_PPROF_HPP
