// snapshot.cpp - copies the traces out under the shard locks, then groups
// them and hands them to SnapshotBuilder with the locks released.
#include "runtime/snapshots/snapshot.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "model/snapshot_builder.hpp"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_groups.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {

const char kNotTracingMessage[] =
    "the tracemalloc module must be tracing memory allocations to take a snapshot";

namespace {

struct CopiedTrace {
  const TracebackRecord *traceback;
  uint64_t size;
  uint32_t domain;
  uint64_t count;  // equal traces: 1 from the table, a group's count from headers
};

class AllTraceShardsLocked {
 public:
  AllTraceShardsLocked() { lock_trace_shards(); }
  ~AllTraceShardsLocked() { unlock_trace_shards(); }
  AllTraceShardsLocked(const AllTraceShardsLocked &) = delete;
  AllTraceShardsLocked &operator=(const AllTraceShardsLocked &) = delete;
};

std::string demangled(const char *name) {
  if (!name) return {};
  int status = 0;
  char *readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || !readable) return name;  // a C name, or not a linkage name
  std::string result(readable);
  std::free(readable);
  return result;
}

}  // namespace

tracemalloc::Frame frame_of_site(const tm_site *site) {
  tracemalloc::Frame frame;
  if (!site || !site->file) {
    frame.filename = "<unknown>";
    frame.lineno = 0;
    if (site) frame.function = demangled(site->function);
    return frame;
  }
  frame.filename = site->file;
  frame.lineno = site->line;
  frame.function = demangled(site->function);
  if (site->directory) frame.directory = site->directory;
  return frame;
}

tracemalloc::Snapshot take_runtime_snapshot() {
  RuntimeState &st = state();
  // Held to the end: traceback records are read after the shard locks are
  // released, and only stop()/clear_traces() (which take it) free them.
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) throw tracemalloc::Error(kNotTracingMessage);

  std::vector<CopiedTrace> copied;
  size_t current = 0, peak = 0;
  {
    AllTraceShardsLocked locked;
    size_t total = 0;
    for (size_t i = 0; i < kTraceShards; ++i) total += trace_shard_at(i).size();
    copied.reserve(total);
    for (size_t i = 0; i < kTraceShards; ++i) {
      trace_shard_at(i).for_each([&](const TracedBlock &t) {
        copied.push_back(CopiedTrace{t.traceback, t.size, t.domain, 1});
      });
    }
    for_each_live_group(
        [](const BlockGroup &g, void *out) {
          static_cast<std::vector<CopiedTrace> *>(out)->push_back(
              CopiedTrace{g.traceback, g.size, 0, g.count});
        },
        &copied);
    current = st.traced_current.load(std::memory_order_relaxed);
    peak = st.traced_peak.load(std::memory_order_relaxed);
  }

  // Equal (traceback, domain, size) traces are indistinguishable: one
  // add_traces() call per group.
  std::sort(copied.begin(), copied.end(), [](const CopiedTrace &a, const CopiedTrace &b) {
    if (a.traceback != b.traceback) return a.traceback < b.traceback;
    if (a.domain != b.domain) return a.domain < b.domain;
    return a.size < b.size;
  });

  tracemalloc::SnapshotBuilder builder;
  builder.set_traceback_limit(static_cast<uint32_t>(st.traceback_limit.load()));
  builder.set_traced_memory(current, peak);
  std::unordered_map<const tm_site *, tracemalloc::SnapshotBuilder::FrameId> frame_ids;
  std::vector<tracemalloc::SnapshotBuilder::FrameId> ids;
  const TracebackRecord *last_record = nullptr;
  tracemalloc::SnapshotBuilder::TracebackId last_id = 0;
  for (size_t i = 0; i < copied.size();) {
    size_t end = i + 1;
    uint64_t count = copied[i].count;
    while (end < copied.size() && copied[end].traceback == copied[i].traceback &&
           copied[end].domain == copied[i].domain && copied[end].size == copied[i].size) {
      count += copied[end].count;
      ++end;
    }
    const TracebackRecord *record = copied[i].traceback;
    if (record != last_record) {
      ids.clear();
      for (uint32_t f = 0; f < record->nframe; ++f) {
        const tm_site *site = record->frames[f];
        auto found = frame_ids.find(site);
        if (found == frame_ids.end()) {
          const tracemalloc::Frame frame = frame_of_site(site);
          found = frame_ids
                      .emplace(site, builder.add_frame(frame.filename, frame.lineno, frame.function,
                                                       frame.directory))
                      .first;
        }
        ids.push_back(found->second);
      }
      last_id = builder.add_traceback(ids.data(), ids.size(), record->total_nframe);
      last_record = record;
    }
    builder.add_traces(copied[i].domain, copied[i].size, last_id, count);
    i = end;
  }
  return builder.build();
}

}  // namespace tm_rt
