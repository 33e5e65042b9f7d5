// snapshot.hpp - the model: CPython's Snapshot, Statistic, StatisticDiff,
// Filter, DomainFilter, Trace, Traceback and Frame for C++.
//
// One library (model/, target tracemalloc_model) used by the runtime's
// in-process C++ API (tracemalloc::take_snapshot()) and by tm-report.  Semantics follow
// CPython's Lib/tracemalloc.py exactly; see docs/usage.md.
#ifndef TRACEMALLOC_SNAPSHOT_HPP
#define TRACEMALLOC_SNAPSHOT_HPP

#if __cplusplus < 201703L
#error \
    "<tracemalloc/snapshot.hpp> needs C++17 (-std=c++17); from older C++ use <tracemalloc/tracemalloc.h>"
#else  // C++17

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tracemalloc {

// Every error of the model (bad file, bad argument) is an Error whose what()
// is one line naming the file/field/flag and the problem.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Frame {
  std::string filename;
  uint32_t lineno = 0;
  // Display only: never part of equality, hashing, grouping or ordering.
  std::string function;
  std::string directory;  // where to look for `filename` when reading source
  // The function's linkage (mangled) name, when it differs from `function`
  // or is known; empty otherwise.
  std::string linkage_name;
  // True when this frame's code was inlined into the frame before it (the
  // next older one): both are one machine location, as pprof's Location
  // with several Lines.
  bool inlined = false;

  // Equality/order on (filename, lineno) only, like CPython's Frame.
  friend bool operator==(const Frame &a, const Frame &b) {
    return a.lineno == b.lineno && a.filename == b.filename;
  }
  friend bool operator!=(const Frame &a, const Frame &b) { return !(a == b); }
  friend bool operator<(const Frame &a, const Frame &b) {
    return a.filename != b.filename ? a.filename < b.filename : a.lineno < b.lineno;
  }

  // CPython's str(Frame): "filename:lineno".
  std::string str() const;
};

// Sequence of frames sorted from the oldest to the most recent.
class Traceback {
 public:
  Traceback() = default;
  Traceback(std::vector<Frame> oldest_first, std::optional<uint64_t> total_nframe);

  const std::vector<Frame> &frames() const { return frames_; }
  size_t size() const { return frames_.size(); }
  const Frame &operator[](size_t i) const { return frames_[i]; }
  std::vector<Frame>::const_iterator begin() const { return frames_.begin(); }
  std::vector<Frame>::const_iterator end() const { return frames_.end(); }
  std::optional<uint64_t> total_nframe() const { return total_nframe_; }

  // Traceback.format(limit, most_recent_first): "  File \"f\", line N" then the
  // stripped source line (read like linecache) indented by 4 when readable.
  std::vector<std::string> format(std::optional<int> limit = std::nullopt,
                                  bool most_recent_first = false) const;
  // CPython's str(Traceback): str() of the OLDEST frame (frames()[0]).
  std::string str() const;

  // As CPython: equality on frames only; order compares frames oldest first.
  friend bool operator==(const Traceback &a, const Traceback &b) { return a.frames_ == b.frames_; }
  friend bool operator!=(const Traceback &a, const Traceback &b) { return !(a == b); }
  friend bool operator<(const Traceback &a, const Traceback &b) { return a.frames_ < b.frames_; }

 private:
  std::vector<Frame> frames_;
  std::optional<uint64_t> total_nframe_;
};

enum class KeyType { Filename, Lineno, Traceback };
// Parses "filename" | "lineno" | "traceback"; throws Error otherwise.
KeyType parse_key_type(std::string_view s);

struct Statistic {
  Traceback traceback;
  uint64_t size = 0;
  uint64_t count = 0;
  std::string str() const;  // exactly CPython's str(Statistic)
};

struct StatisticDiff {
  Traceback traceback;
  uint64_t size = 0;
  int64_t size_diff = 0;
  uint64_t count = 0;
  int64_t count_diff = 0;
  std::string str() const;  // exactly CPython's str(StatisticDiff)
};

struct Filter {
  bool inclusive = true;
  std::string filename_pattern;
  std::optional<uint32_t> lineno;
  bool all_frames = false;
  std::optional<uint64_t> domain;
};

struct DomainFilter {
  bool inclusive = true;
  uint64_t domain = 0;
};

using AnyFilter = std::variant<Filter, DomainFilter>;

// CPython's _format_size(size, sign).
std::string format_size(int64_t size, bool sign);
// The same for sizes above INT64_MAX and for averages (CPython passes floats
// through the same function).
std::string format_size_unsigned(uint64_t size, bool sign);
std::string format_size_float(double size, bool sign);
// Python's fnmatch.fnmatch on POSIX (no normcase beyond identity).
bool fnmatch(std::string_view name, std::string_view pattern);
// The unbiased weight of a trace of `size` bytes sampled at `sample_bytes`
// (Snapshot::sample_bytes()): 1 / (1 - exp(-size / sample_bytes)); 1 when
// exact (sample_bytes 0) or for size 0.
double sample_weight(uint64_t size, uint64_t sample_bytes) noexcept;
// What `count` traces of `size` bytes count for in statistics: exactly
// `count` and `count * size` when exact, else their estimates (count times
// the weight), each rounded to the nearest integer.  Error past 2^64-1.
struct TraceTotals {
  uint64_t count = 0;
  uint64_t size = 0;
};
TraceTotals estimated_totals(uint64_t size, uint64_t count, uint64_t sample_bytes);

struct Trace {
  uint64_t domain = 0;
  uint64_t size = 0;
  const Traceback *traceback = nullptr;  // owned by the Snapshot
};

// `count` indistinguishable traces (same domain, size and traceback): how a
// snapshot stores its traces.  Iterating groups avoids expanding 10M traces.
struct TraceGroup {
  uint64_t domain = 0;
  uint64_t size = 0;
  uint64_t count = 0;
  const Traceback *traceback = nullptr;  // owned by the Snapshot
  // traceback's index among the snapshot's tracebacks, below
  // traceback_count(): a dense key for per-traceback tables.
  uint32_t traceback_index = 0;
};

// What a snapshot's traces count.  Live: the blocks live when it was taken
// (CPython's snapshot).  Peak: the blocks that were live when traced memory
// last reached its peak (since start, clear_traces() or reset_peak()).
// Allocated: every allocation since tracing started, freed ones included
// (size = bytes allocated, count = allocations).  Temporary: the
// allocations freed by their thread before its next allocation.
enum class View { Live, Peak, Allocated, Temporary };
// "live", "peak", "allocated", "temporary".
const char *view_name(View view);

// One sample of memory over time: seconds since tracing started, traced
// bytes then, the highest traced bytes since the previous sample, and the
// resident set size (0 when unknown).
struct TimelineSample {
  double time_s = 0;
  uint64_t current = 0;
  uint64_t high = 0;
  uint64_t rss = 0;
};

class SnapshotData;  // implementation detail of the model library

class Snapshot {
 public:
  Snapshot();
  ~Snapshot();
  Snapshot(Snapshot &&) noexcept;
  Snapshot &operator=(Snapshot &&) noexcept;
  Snapshot(const Snapshot &);
  Snapshot &operator=(const Snapshot &);

  // Traces in undefined order; each trace's traceback points into *this.
  // Error when there are more than a vector can hold (a file may count
  // 2^62 identical traces): trace_groups() lists them all.  Both build
  // every traceback of the snapshot (once): see statistics() with a limit.
  std::vector<Trace> traces() const;
  // The same traces, grouped; counts are >= 1.
  std::vector<TraceGroup> trace_groups() const;
  // Each group passed to `visit`, without a list of them all (10M groups
  // would be 400 MB).
  void for_each_trace_group(const std::function<void(const TraceGroup &)> &visit) const;
  // Error when the count exceeds SIZE_MAX.
  size_t trace_count() const;
  uint32_t traceback_limit() const;
  // How many distinct tracebacks the snapshot (and its views) can name.
  size_t traceback_count() const;
  // get_traced_memory() at the time the snapshot was taken (0, 0 if unknown),
  // read with its traces: under threads too, traced_current() is their total
  // (in exact mode) and the peak view's total agrees with traced_peak().
  uint64_t traced_current() const;
  uint64_t traced_peak() const;
  // When the snapshot was taken, in nanoseconds since the Unix epoch, and
  // how long tracing had been running then (0 when unknown: files of format
  // version 1, snapshots built by hand).
  uint64_t time_ns() const;
  uint64_t duration_ns() const;
  // The sampled mode's rate when the snapshot was taken (tm_start_sampled(),
  // TRACEMALLOC_SAMPLE): each byte was traced with probability
  // 1/sample_bytes(); 0 when every block was (exact).  A sampled snapshot's
  // traces() and trace_groups() are the sampled blocks as they are, while
  // statistics() and compare_to() give estimates: each trace of size s
  // counts for 1 / (1 - exp(-s / sample_bytes())) traces of that size
  // (sample_weight()), rounded to the nearest integer per (traceback, size).
  // The traced memory it records is the runtime's estimate likewise.
  uint64_t sample_bytes() const;

  std::vector<Statistic> statistics(KeyType key_type, bool cumulative = false) const;
  std::vector<StatisticDiff> compare_to(const Snapshot &old_snapshot, KeyType key_type,
                                        bool cumulative = false) const;
  // The same lists with the tracebacks of the first `limit` entries only (0:
  // all); the others keep their sizes and counts, with an empty traceback.
  // What a report listing `limit` entries needs: deep tracebacks in long
  // file names can take far more memory than the snapshot once built.
  std::vector<Statistic> statistics(KeyType key_type, bool cumulative, size_t limit) const;
  std::vector<StatisticDiff> compare_to(const Snapshot &old_snapshot, KeyType key_type,
                                        bool cumulative, size_t limit) const;
  // The filters apply to every view the snapshot carries.
  Snapshot filter_traces(const std::vector<AnyFilter> &filters) const;
  // Beyond CPython (pprof's -hide/-show): every traceback, in every view,
  // reduced to the frames `keep` accepts (asked once per distinct frame); a
  // traceback left with none keeps its most recent frame.  A kept frame
  // whose inlining host was dropped becomes a location of its own.
  Snapshot keep_frames(const std::function<bool(const Frame &)> &keep) const;
  // The total size of the traces (the sum of statistics()' sizes); Error
  // beyond 2^64-1.
  uint64_t total_size() const;

  // The other views taken with this snapshot (the runtime's snapshots and
  // dumps carry all of them; files of format version 1 none).
  // view(View::Live) is the snapshot itself without its other views; a view
  // the snapshot lacks throws Error.  Every view keeps the timeline.
  bool has_view(View view) const;
  Snapshot view(View view) const;
  // Memory over time up to the snapshot; empty when none was recorded.
  const std::vector<TimelineSample> &timeline() const;

  // Binary dump (docs/file-formats.md), written atomically (temp + rename).
  void dump(const std::string &path) const;
  // JSON snapshot (docs/file-formats.md), written atomically as well.
  void dump_json(const std::string &path) const;
  // Reads a binary dump or a JSON snapshot, detected by content.
  static Snapshot load(const std::string &path);
  static Snapshot load_binary(const std::string &path);
  static Snapshot load_json(const std::string &path);

 private:
  friend class SnapshotBuilder;  // model-internal (model/snapshot_builder.hpp): fills data_
  friend class SnapshotMerger;
  std::unique_ptr<SnapshotData> data_;
};

// Several snapshots as one, as pprof merges profiles: their traces summed
// (the same domain, size and traceback become one group of traces whose
// counts add up), in each view.  A view is kept when every snapshot has it
// (the merged peak view is the sum of the peaks, each snapshot's own).
// get_traced_memory() figures are summed; the traceback limit is the
// largest; time_ns() the latest and duration_ns() the longest.  Timelines do
// not add up: a merge of several snapshots has none (of one, its own).
class SnapshotMerger {
 public:
  SnapshotMerger();
  ~SnapshotMerger();
  SnapshotMerger(const SnapshotMerger &) = delete;
  SnapshotMerger &operator=(const SnapshotMerger &) = delete;
  // `snapshot` may be released afterwards: its tracebacks are copied.
  void add(const Snapshot &snapshot);
  // The merge of the snapshots added so far (an empty snapshot when none);
  // the merger is empty again afterwards.
  Snapshot build();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tracemalloc

#endif  // C++17

#endif  // TRACEMALLOC_SNAPSHOT_HPP
