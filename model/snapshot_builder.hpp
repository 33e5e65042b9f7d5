// snapshot_builder.hpp - SnapshotBuilder, how a Snapshot is assembled: by the
// model's file readers (model/*.cpp) and by the runtime's take_snapshot()
// (runtime/snapshots/snapshot.cpp).  Not part of the public API.
//
// CONTRACT NOTE: the runtime builds snapshots only through SnapshotBuilder and
// writes them with Snapshot::dump(); keep those signatures stable.
#ifndef TRACEMALLOC_MODEL_SNAPSHOT_BUILDER_HPP
#define TRACEMALLOC_MODEL_SNAPSHOT_BUILDER_HPP

#include <tracemalloc/snapshot.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace tracemalloc {

// Ids are dense indexes returned by add_*; callers need not deduplicate
// (grouping is by value).
class SnapshotBuilder {
 public:
  using FrameId = uint32_t;
  using TracebackId = uint32_t;

  SnapshotBuilder();
  ~SnapshotBuilder();

  // function, directory and linkage_name are display only ("" = unknown);
  // `inlined`: the frame's code was inlined into the next older frame.
  FrameId add_frame(std::string_view filename, uint32_t lineno, std::string_view function = {},
                    std::string_view directory = {}, std::string_view linkage_name = {},
                    bool inlined = false);
  // Frames given MOST RECENT FIRST (the runtime's order); total_nframe may be
  // unknown.  n >= 1.
  TracebackId add_traceback(const FrameId *most_recent_first, size_t n,
                            std::optional<uint64_t> total_nframe);
  void add_trace(uint64_t domain, uint64_t size, TracebackId traceback);

  // Faster paths for callers that already number their strings or hold
  // frames oldest first (file readers, the runtime's site records).
  using StringId = uint32_t;
  StringId add_string(std::string_view s);
  // String id 0 is always the empty string.
  FrameId add_frame_by_ids(StringId filename, uint32_t lineno, StringId function,
                           StringId directory, StringId linkage_name = 0, bool inlined = false);
  TracebackId add_traceback_oldest_first(const FrameId *oldest_first, size_t n,
                                         std::optional<uint64_t> total_nframe);
  // Capacity hint: the number of add_trace/add_traces calls to come.
  void reserve_traces(size_t n);
  // Adds `count` traces equal to add_trace(domain, size, traceback).
  void add_traces(uint64_t domain, uint64_t size, TracebackId traceback, uint64_t count);
  // Traces of another view (View::Peak, Allocated, Temporary), with the same
  // tracebacks; add_view() alone marks a view present (it may be empty).
  void add_view(View view);
  void add_view_traces(View view, uint64_t domain, uint64_t size, TracebackId traceback,
                       uint64_t count);
  void set_timeline(std::vector<TimelineSample> samples);
  void set_traceback_limit(uint32_t limit);
  void set_traced_memory(uint64_t current, uint64_t peak);
  // Snapshot::time_ns() and duration_ns().
  void set_time(uint64_t time_ns, uint64_t duration_ns);
  // Snapshot::sample_bytes(): the sampled mode's rate, 0 when exact.
  void set_sample_bytes(uint64_t sample_bytes);

  Snapshot build();

  // The file readers: the snapshot under construction.
  SnapshotData &data_in_progress() { return *data_; }

 private:
  std::unique_ptr<SnapshotData> data_;
};

}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_SNAPSHOT_BUILDER_HPP
