// stacks.hpp - what the profile exports (pprof, folded stacks) write: the
// traces of a snapshot summed per (domain, traceback), with the frames that
// one machine location holds (a call and the calls inlined into it) kept
// together.
#ifndef TM_REPORT_EXPORTS_STACKS_HPP
#define TM_REPORT_EXPORTS_STACKS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

// One traceback's totals.  `inuse` from the live or the peak view,
// `alloc` from the allocated view (0 when the snapshot has none).
struct Stack {
  const tracemalloc::Traceback *traceback = nullptr;  // owned by the snapshot
  uint32_t traceback_index = 0;                       // TraceGroup::traceback_index
  uint64_t domain = 0;
  uint64_t inuse_count = 0, inuse_bytes = 0;
  uint64_t alloc_count = 0, alloc_bytes = 0;
};

// The stacks of `inuse` and, when given, of `allocated` (a view of the same
// snapshot, so their tracebacks are the same objects), in a stable order
// (largest in-use bytes first, then allocated bytes).  `by_domain` false
// sums the domains of a traceback into one stack (domain 0).  Throws
// tracemalloc::Error when a total does not fit in 64 bits.
std::vector<Stack> collect_stacks(const tracemalloc::Snapshot &inuse,
                                  const tracemalloc::Snapshot *allocated, bool by_domain);

// The frames of a traceback as machine locations, most recent first: each
// location is the frames [first, last] of traceback.frames() (oldest-first
// indexes), where every frame after `first` was inlined into the one before
// it.
struct LocationSpan {
  size_t first, last;
};
std::vector<LocationSpan> location_spans(const tracemalloc::Traceback &traceback);

// A frame as the exports name it: "function (file:line)", "<unknown>" for a
// function the snapshot does not know.
std::string frame_label(const tracemalloc::Frame &frame);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD
// (protobuf strings must be UTF-8; names come from the program's files).
std::string valid_utf8(std::string_view text);

}  // namespace tmreport

#endif  // TM_REPORT_EXPORTS_STACKS_HPP
