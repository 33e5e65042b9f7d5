// snapshot.h - building tracemalloc::Snapshot objects from the runtime tables.
#ifndef TRACEMALLOC_RUNTIME_SNAPSHOT_H
#define TRACEMALLOC_RUNTIME_SNAPSHOT_H

#include <string>

#pragma GCC visibility push(default)
#include "tracemalloc/abi.h"
#include "tracemalloc/snapshot.hpp"
#pragma GCC visibility pop

namespace tm_rt {

// CPython's message for take_snapshot() while not tracing.
extern const char kNotTracingMessage[];

// The frame of a site record: "<unknown>":0 for NULL, the function name
// demangled when it is a C++ linkage name.
tracemalloc::Frame frame_of_site(const tm_site *site);

// tracemalloc.take_snapshot(); throws tracemalloc::Error when not tracing.
tracemalloc::Snapshot take_runtime_snapshot();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SNAPSHOT_H
