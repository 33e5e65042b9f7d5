// snapshot.cpp - copies the trace groups out under the shard locks, then
// hands them to SnapshotBuilder with the locks released: the live traces and
// the peak, allocated and temporary views (trace_groups.h).
#include "runtime/snapshots/snapshot.h"

#include <cxxabi.h>
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "model/snapshot_builder.hpp"
#include "runtime/timeline/timeline.h"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_groups.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {

const char kNotTracingMessage[] =
    "the tracemalloc module must be tracing memory allocations to take a snapshot";

namespace {

// One group's counts, in the order of tracemalloc::View.
struct CopiedGroup {
  const TracebackRecord *traceback;
  uint64_t size;
  uint32_t domain;
  uint64_t count[4];
};
static_assert(static_cast<int>(tracemalloc::View::Live) == 0 &&
                  static_cast<int>(tracemalloc::View::Peak) == 1 &&
                  static_cast<int>(tracemalloc::View::Allocated) == 2 &&
                  static_cast<int>(tracemalloc::View::Temporary) == 3,
              "CopiedGroup::count is indexed by View");

struct CopyContext {
  std::vector<CopiedGroup> *out;
  uint64_t peak_epoch;
};

constexpr tracemalloc::View kOtherViews[] = {tracemalloc::View::Peak, tracemalloc::View::Allocated,
                                             tracemalloc::View::Temporary};

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
  const char *file = site ? tm_site_file(site) : nullptr;
  const char *function = site ? tm_site_function(site) : nullptr;
  if (!file) {
    frame.filename = "<unknown>";
    frame.lineno = 0;
    if (site) frame.function = demangled(function);
    return frame;
  }
  frame.filename = file;
  frame.lineno = site->line;
  frame.function = demangled(function);
  // Kept only when demangling changed it (C++): pprof's system name.
  if (function && frame.function != function) frame.linkage_name = function;
  if (const char *directory = tm_site_directory(site)) frame.directory = directory;
  frame.inlined = tm_site_parent(site) != nullptr;
  return frame;
}

tracemalloc::Snapshot take_runtime_snapshot() {
  RuntimeState &st = state();
  // Held to the end: traceback records are read after the shard locks are
  // released, and only stop()/clear_traces() (which take it) free them.
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) throw tracemalloc::Error(kNotTracingMessage);

  std::vector<CopiedGroup> copied;
  size_t current = 0, peak = 0;
  // Nothing is allocated or freed while every shard is locked: freeing a
  // block of the runtime's own malloc takes a shard's lock when the table
  // holds domain-0 traces (tm_track), and the thread would wait for itself.
  // The copy is made room for first, and retried when groups were added
  // in between.
  for (;;) {
    size_t needed = 0;
    {
      AllTraceShardsLocked locked;
      needed = group_count();
    }
    copied.reserve(needed + needed / 8 + 64);
    AllTraceShardsLocked locked;
    if (group_count() > copied.capacity()) continue;
    // First: a peak raised to the current figure starts a new peak epoch.
    traced_memory_locked(&current, &peak);
    CopyContext context{&copied, st.peak_epoch.load(std::memory_order_relaxed)};
    for_each_group(
        [](const TraceGroup &g, void *c) {
          auto &context = *static_cast<CopyContext *>(c);
          if (!g.live && !g.allocated) return;  // nothing in any view
          context.out->push_back(
              CopiedGroup{g.traceback,
                          g.size,
                          g.domain,
                          {g.live, live_at_peak(g, context.peak_epoch), g.allocated, g.temporary}});
        },
        &context);
    break;
  }

  // Equal (traceback, domain, size) groups (one per thread salt) are
  // indistinguishable: one add_traces() call per key and view.
  std::sort(copied.begin(), copied.end(), [](const CopiedGroup &a, const CopiedGroup &b) {
    if (a.traceback != b.traceback) return a.traceback < b.traceback;
    if (a.domain != b.domain) return a.domain < b.domain;
    return a.size < b.size;
  });

  tracemalloc::SnapshotBuilder builder;
  builder.set_traceback_limit(static_cast<uint32_t>(st.traceback_limit.load()));
  builder.set_traced_memory(current, peak);
  builder.set_sample_bytes(st.sample_bytes.load(std::memory_order_relaxed));
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  builder.set_time(
      static_cast<uint64_t>(now.tv_sec) * 1000000000u + static_cast<uint64_t>(now.tv_nsec),
      tracing_elapsed_ns());
  for (tracemalloc::View view : kOtherViews) builder.add_view(view);
  std::unordered_map<const tm_site *, tracemalloc::SnapshotBuilder::FrameId> frame_ids;
  std::vector<tracemalloc::SnapshotBuilder::FrameId> ids;
  const TracebackRecord *last_record = nullptr;
  tracemalloc::SnapshotBuilder::TracebackId last_id = 0;
  for (size_t i = 0; i < copied.size();) {
    size_t end = i + 1;
    uint64_t count[4];
    std::copy(std::begin(copied[i].count), std::end(copied[i].count), count);
    while (end < copied.size() && copied[end].traceback == copied[i].traceback &&
           copied[end].domain == copied[i].domain && copied[end].size == copied[i].size) {
      for (int v = 0; v < 4; ++v) count[v] += copied[end].count[v];
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
                                                       frame.directory, frame.linkage_name,
                                                       frame.inlined))
                      .first;
        }
        ids.push_back(found->second);
      }
      last_id = builder.add_traceback(ids.data(), ids.size(), record->total_nframe);
      last_record = record;
    }
    if (count[0]) builder.add_traces(copied[i].domain, copied[i].size, last_id, count[0]);
    for (tracemalloc::View view : kOtherViews) {
      const uint64_t n = count[static_cast<int>(view)];
      if (n) builder.add_view_traces(view, copied[i].domain, copied[i].size, last_id, n);
    }
    i = end;
  }
  builder.set_timeline(copy_timeline(true));
  return builder.build();
}

}  // namespace tm_rt
