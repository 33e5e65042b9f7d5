// snapshot.cpp - Snapshot, SnapshotBuilder, statistics, compare_to and
// filter_traces with the semantics of CPython's Lib/tracemalloc.py.
#include "snapshot_builder.hpp"
#include "snapshot_data.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace tracemalloc {
namespace model {

void IdIndex::insert(uint32_t hash, uint32_t id) {
  if ((used_ + 1) * 2 > slots_.size()) {
    std::vector<Slot> old(std::max<size_t>(16, slots_.size() * 2));
    old.swap(slots_);
    size_t mask = slots_.size() - 1;
    for (const Slot &s : old) {
      if (s.id == kNone) continue;
      size_t i = s.hash & mask;
      while (slots_[i].id != kNone) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].id != kNone) i = (i + 1) & mask;
  slots_[i] = Slot{id, hash};
  ++used_;
}

namespace {
uint32_t fold(uint64_t h) { return uint32_t(h ^ (h >> 32)); }
}  // namespace

// String id 0 is the empty string, so a default FrameRecord field means
// "unknown" without a lookup.
Interner::Interner() : tables_(std::make_shared<Tables>()) { string({}); }

uint32_t Interner::string(std::string_view s) {
  Tables &t = *tables_;
  uint32_t hash = fold(mix64(std::hash<std::string_view>()(s)));
  uint32_t id = string_ids_.find(hash, [&](uint32_t other) { return t.strings[other] == s; });
  if (id != IdIndex::kNone) return id;
  if (t.strings.size() >= UINT32_MAX - 1) throw Error("snapshot: too many distinct strings");
  id = uint32_t(t.strings.size());
  t.strings.emplace_back(s);
  string_ids_.insert(hash, id);
  return id;
}

uint32_t Interner::frame(const FrameRecord &f) {
  Tables &t = *tables_;
  const uint32_t filename = f.filename, lineno = f.lineno;
  uint64_t key_value = uint64_t(filename) << 32 | lineno;
  uint32_t hash = fold(mix64(key_value ^ mix64(uint64_t(f.function) << 32 | f.directory) ^
                             mix64(uint64_t(f.linkage_name) << 32 | f.flags)));
  uint32_t id = frame_ids_.find(hash, [&](uint32_t other) {
    const FrameRecord &r = t.frames[other];
    return r.filename == filename && r.lineno == lineno && r.function == f.function &&
           r.directory == f.directory && r.linkage_name == f.linkage_name && r.flags == f.flags;
  });
  if (id != IdIndex::kNone) return id;
  if (t.frames.size() >= UINT32_MAX - 1) throw Error("snapshot: too many distinct frames");
  id = uint32_t(t.frames.size());
  t.frames.push_back(f);
  uint32_t key_hash = fold(mix64(key_value));
  uint32_t key = key_ids_.find(key_hash, [&](uint32_t other) {
    const FrameRecord &r = t.frames[t.key_frame[other]];
    return r.filename == filename && r.lineno == lineno;
  });
  if (key == IdIndex::kNone) {
    key = uint32_t(t.key_frame.size());
    t.key_frame.push_back(id);
    key_ids_.insert(key_hash, key);
  }
  t.frame_key.push_back(key);
  frame_ids_.insert(hash, id);
  return id;
}

uint32_t Interner::traceback(const uint32_t *oldest_first, size_t n,
                             std::optional<uint64_t> total_nframe) {
  Tables &t = *tables_;
  uint32_t hash = fold(hash_ids(oldest_first, n, total_nframe ? mix64(*total_nframe) + 1 : 0));
  uint32_t id = traceback_ids_.find(hash, [&](uint32_t other) {
    size_t len = t.tb_begin[other + 1] - t.tb_begin[other];
    return len == n && t.tb_has_total_nframe[other] == bool(total_nframe) &&
           (!total_nframe || t.tb_total_nframe[other] == *total_nframe) &&
           std::memcmp(&t.tb_frames[t.tb_begin[other]], oldest_first, n * sizeof(uint32_t)) == 0;
  });
  if (id != IdIndex::kNone) return id;
  if (t.traceback_count() >= UINT32_MAX - 1 || t.tb_frames.size() + n > UINT32_MAX)
    throw Error("snapshot: too many tracebacks or frames in tracebacks");
  id = uint32_t(t.traceback_count());
  t.tb_frames.insert(t.tb_frames.end(), oldest_first, oldest_first + n);
  t.tb_begin.push_back(uint32_t(t.tb_frames.size()));
  t.tb_total_nframe.push_back(total_nframe.value_or(0));
  t.tb_has_total_nframe.push_back(total_nframe.has_value());
  traceback_ids_.insert(hash, id);
  return id;
}

std::shared_ptr<const Tables> Interner::finish() {
  string_ids_.clear();
  frame_ids_.clear();
  key_ids_.clear();
  traceback_ids_.clear();
  return std::move(tables_);
}

Frame Tables::make_frame(uint32_t frame_id) const {
  const FrameRecord &r = frames[frame_id];
  Frame f;
  f.filename = strings[r.filename];
  f.lineno = r.lineno;
  f.function = strings[r.function];
  f.directory = strings[r.directory];
  f.linkage_name = strings[r.linkage_name];
  f.inlined = (r.flags & kFrameInlined) != 0;
  return f;
}

const std::vector<Traceback> &Tables::tracebacks() const {
  std::call_once(materialize_once_, [this] {
    materialized_.reserve(traceback_count());
    for (size_t tb = 0; tb < traceback_count(); ++tb) {
      std::vector<Frame> frames_of_tb;
      frames_of_tb.reserve(tb_begin[tb + 1] - tb_begin[tb]);
      for (uint32_t i = tb_begin[tb]; i < tb_begin[tb + 1]; ++i)
        frames_of_tb.push_back(make_frame(tb_frames[i]));
      std::optional<uint64_t> total;
      if (tb_has_total_nframe[tb]) total = tb_total_nframe[tb];
      materialized_.emplace_back(std::move(frames_of_tb), total);
    }
  });
  return materialized_;
}

}  // namespace model

using model::TraceEntry;

Traceback::Traceback(std::vector<Frame> oldest_first, std::optional<uint64_t> total_nframe)
    : frames_(std::move(oldest_first)), total_nframe_(total_nframe) {}

KeyType parse_key_type(std::string_view s) {
  if (s == "filename") return KeyType::Filename;
  if (s == "lineno") return KeyType::Lineno;
  if (s == "traceback") return KeyType::Traceback;
  // CPython's ValueError text, repr() quoting included.
  throw Error("unknown key_type: '" + std::string(s) + "'");
}

// ---------------------------------------------------------------- Snapshot

Snapshot::Snapshot() : data_(std::make_unique<SnapshotData>()) {
  data_->tables = std::make_shared<model::Tables>();
}
Snapshot::~Snapshot() = default;
Snapshot::Snapshot(Snapshot &&) noexcept = default;
Snapshot &Snapshot::operator=(Snapshot &&) noexcept = default;

namespace {
// What a snapshot derived from `from` (a copy, a view, a filtered snapshot)
// keeps of it besides its traces: the shared tables and tracemalloc's state.
void share_tables_and_state(const SnapshotData &from, SnapshotData &to) {
  to.tables = from.tables;
  to.traceback_limit = from.traceback_limit;
  to.traced_current = from.traced_current;
  to.traced_peak = from.traced_peak;
  to.time_ns = from.time_ns;
  to.duration_ns = from.duration_ns;
  to.sample_bytes = from.sample_bytes;
}
}  // namespace

Snapshot::Snapshot(const Snapshot &other) : data_(std::make_unique<SnapshotData>()) {
  share_tables_and_state(*other.data_, *data_);
  data_->traces = other.data_->traces;
  for (int i = 0; i < SnapshotData::kOtherViews; ++i) data_->views[i] = other.data_->views[i];
  data_->timeline = other.data_->timeline;
}

Snapshot &Snapshot::operator=(const Snapshot &other) {
  if (this != &other) *this = Snapshot(other);
  return *this;
}

std::vector<Trace> Snapshot::traces() const {
  const auto &tracebacks = data_->tables->tracebacks();
  std::vector<Trace> out;
  const size_t n = trace_count();
  if (n > out.max_size())
    throw Error("snapshot: " + std::to_string(n) +
                " traces are too many to list one by one (use trace_groups())");
  out.reserve(n);
  for (const TraceEntry e : data_->traces)
    for (uint64_t i = 0; i < e.count; ++i)
      out.push_back(Trace{e.domain, e.size, &tracebacks[e.traceback]});
  return out;
}

std::vector<TraceGroup> Snapshot::trace_groups() const {
  const auto &tracebacks = data_->tables->tracebacks();
  std::vector<TraceGroup> out;
  out.reserve(data_->traces.entry_count());
  for (const TraceEntry e : data_->traces)
    out.push_back(TraceGroup{e.domain, e.size, e.count, &tracebacks[e.traceback], e.traceback});
  return out;
}

void Snapshot::for_each_trace_group(const std::function<void(const TraceGroup &)> &visit) const {
  const auto &tracebacks = data_->tables->tracebacks();
  data_->traces.for_each([&](const TraceEntry &e) {
    visit(TraceGroup{e.domain, e.size, e.count, &tracebacks[e.traceback], e.traceback});
  });
}

size_t Snapshot::trace_count() const {
  size_t n = 0;
  for (const TraceEntry e : data_->traces)
    if (e.count > SIZE_MAX || __builtin_add_overflow(n, size_t(e.count), &n))
      throw Error("snapshot: more than " + std::to_string(SIZE_MAX) + " traces");
  return n;
}

uint32_t Snapshot::traceback_limit() const { return data_->traceback_limit; }
size_t Snapshot::traceback_count() const { return data_->tables->traceback_count(); }
uint64_t Snapshot::traced_current() const { return data_->traced_current; }
uint64_t Snapshot::traced_peak() const { return data_->traced_peak; }
uint64_t Snapshot::time_ns() const { return data_->time_ns; }
uint64_t Snapshot::duration_ns() const { return data_->duration_ns; }
uint64_t Snapshot::sample_bytes() const { return data_->sample_bytes; }

namespace {
// exp(-x) for x >= 0 without libm (the static runtime is linked without
// it, and the runtime's estimates use this too): x = n ln 2 + r with
// |r| <= ln 2 / 2, exp(-r) by its series (12 terms: relative error below 1e-12).
double exp_negative(double x) {
  constexpr double kLn2 = 0.69314718055994530942;
  if (x > 700) return 0;
  const int n = static_cast<int>(x / kLn2 + 0.5);
  const double r = x - n * kLn2;
  double term = 1, sum = 1;
  for (int k = 1; k <= 12; ++k) {
    term *= -r / k;
    sum += term;
  }
  for (int i = 0; i < n; ++i) sum *= 0.5;
  return sum;
}
}  // namespace

double sample_weight(uint64_t size, uint64_t sample_bytes) noexcept {
  if (sample_bytes == 0 || size == 0) return 1;
  const double ratio = static_cast<double>(size) / static_cast<double>(sample_bytes);
  if (ratio > 40) return 1;  // within a double's precision
  // For small ratios 1 - exp(-ratio) loses digits: its series is exact enough.
  const double p =
      ratio < 1e-4 ? ratio * (1 - ratio / 2 * (1 - ratio / 3)) : 1 - exp_negative(ratio);
  return 1 / p;
}

const char *view_name(View view) {
  switch (view) {
    case View::Live:
      return "live";
    case View::Peak:
      return "peak";
    case View::Allocated:
      return "allocated";
    case View::Temporary:
      return "temporary";
  }
  return "unknown";
}

bool Snapshot::has_view(View view) const {
  return view == View::Live || data_->views[SnapshotData::other_view_index(view)].has_value();
}

Snapshot Snapshot::view(View view) const {
  if (!has_view(view)) throw Error(std::string("the snapshot has no ") + view_name(view) + " view");
  Snapshot result;
  share_tables_and_state(*data_, *result.data_);
  result.data_->traces =
      view == View::Live ? data_->traces : *data_->views[SnapshotData::other_view_index(view)];
  result.data_->timeline = data_->timeline;
  return result;
}

const std::vector<TimelineSample> &Snapshot::timeline() const { return data_->timeline; }

namespace {

uint64_t checked_add(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r))
    throw Error("statistics: a total size or count exceeds 2^64-1 bytes");
  return r;
}

uint64_t checked_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    throw Error("statistics: a total size or count exceeds 2^64-1 bytes");
  return r;
}

struct Totals {
  uint64_t size = 0;
  uint64_t count = 0;
  void add(uint64_t s, uint64_t c) {
    size = checked_add(size, s);
    count = checked_add(count, c);
  }
};

}  // namespace

TraceTotals estimated_totals(uint64_t size, uint64_t count, uint64_t sample_bytes) {
  if (sample_bytes == 0) return TraceTotals{count, checked_mul(size, count)};
  const double estimate = static_cast<double>(count) * sample_weight(size, sample_bytes);
  const double bytes = estimate * static_cast<double>(size);
  if (bytes >= 1.8e19 || estimate >= 1.8e19)
    throw Error("statistics: a total size or count exceeds 2^64-1 bytes");
  return TraceTotals{static_cast<uint64_t>(estimate + 0.5), static_cast<uint64_t>(bytes + 0.5)};
}

namespace {

// Traces with the same traceback land in the same groups: summing per
// traceback first makes the per-frame work per distinct traceback.
//
// A sampled snapshot's traces stand for more: each (traceback, size) entry
// counts for its estimate, count and count * size times the weight of its
// size, each rounded to the nearest integer (so the estimates of a
// statistic, summed per entry, may differ from their exact sum by up to
// half a byte per entry).
std::vector<Totals> totals_per_traceback(const SnapshotData &data) {
  std::vector<Totals> per_traceback(data.tables->traceback_count());
  data.traces.for_each([&](const TraceEntry &e) {
    const TraceTotals t = estimated_totals(e.size, e.count, data.sample_bytes);
    per_traceback[e.traceback].add(t.size, t.count);
  });
  return per_traceback;
}

// A statistic before its traceback is built: with deep tracebacks in long
// file names the tracebacks of every group can be far larger than the
// snapshot, so groups are compared, sorted and matched on the tables' ids,
// and only the listed ones get a Traceback.  `id` is, by key type, the first
// traceback of the group (traceback), the frame the group displays (lineno)
// or the filename's string id (filename, line 0).
struct Group {
  uint32_t id = 0;
  uint64_t size = 0;
  uint64_t count = 0;
};

// The (filename, lineno) keys of a group's frames, oldest first: what
// CPython's Traceback compares, orders and hashes.
class GroupKeys {
 public:
  GroupKeys(const model::Tables &t, KeyType key_type, uint32_t id)
      : t_(&t), key_type_(key_type), id_(id) {}
  size_t size() const {
    return key_type_ == KeyType::Traceback ? t_->tb_begin[id_ + 1] - t_->tb_begin[id_] : 1;
  }
  uint32_t filename(size_t i) const {
    return key_type_ == KeyType::Filename ? id_ : t_->frames[frame(i)].filename;
  }
  uint32_t lineno(size_t i) const {
    return key_type_ == KeyType::Filename ? 0 : t_->frames[frame(i)].lineno;
  }
  std::string_view filename_text(size_t i) const { return t_->strings[filename(i)]; }
  Traceback traceback() const {
    std::vector<Frame> frames;
    if (key_type_ == KeyType::Filename) {
      frames.emplace_back();
      frames.back().filename = t_->strings[id_];
    } else {
      frames.reserve(size());
      for (size_t i = 0; i < size(); ++i) frames.push_back(t_->make_frame(frame(i)));
    }
    return Traceback(std::move(frames), std::nullopt);
  }

 private:
  uint32_t frame(size_t i) const {
    return key_type_ == KeyType::Traceback ? t_->tb_frames[t_->tb_begin[id_] + i] : id_;
  }
  const model::Tables *t_;
  KeyType key_type_;
  uint32_t id_;
};

// CPython's Traceback order (frames oldest first, each by filename then
// lineno); `same_tables` lets equal string ids stand for equal names.
bool keys_less(const GroupKeys &a, const GroupKeys &b, bool same_tables) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (!same_tables || a.filename(i) != b.filename(i)) {
      int c = a.filename_text(i).compare(b.filename_text(i));
      if (c != 0) return c < 0;
    }
    if (a.lineno(i) != b.lineno(i)) return a.lineno(i) < b.lineno(i);
  }
  return a.size() < b.size();
}

// Adds `tot` to `group`, creating it with `id` when kNone.
constexpr uint32_t kNoGroup = UINT32_MAX;
void add_to_group(std::vector<Group> &groups, uint32_t &group, uint32_t id, const Totals &tot) {
  if (group == kNoGroup) {
    group = uint32_t(groups.size());
    groups.push_back(Group{id, 0, 0});
  }
  Group &g = groups[group];
  g.size = checked_add(g.size, tot.size);
  g.count = checked_add(g.count, tot.count);
}

// Key type 'traceback': tracebacks whose frames have the same (filename,
// lineno) keys are one group, even when their display fields differ.
std::vector<Group> group_by_traceback(const model::Tables &t,
                                      const std::vector<Totals> &per_traceback) {
  std::vector<Group> groups;
  std::unordered_multimap<uint64_t, uint32_t> group_of_hash;  // hash of key ids -> group
  std::vector<uint32_t> keys;
  auto same_keys = [&](uint32_t other) {
    uint32_t len = t.tb_begin[other + 1] - t.tb_begin[other];
    if (len != keys.size()) return false;
    for (uint32_t i = 0; i < len; ++i)
      if (t.frame_key[t.tb_frames[t.tb_begin[other] + i]] != keys[i]) return false;
    return true;
  };
  for (uint32_t tb = 0; tb < t.traceback_count(); ++tb) {
    const Totals &tot = per_traceback[tb];
    if (tot.count == 0) continue;
    keys.clear();
    for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1]; ++i)
      keys.push_back(t.frame_key[t.tb_frames[i]]);
    uint64_t h = model::hash_ids(keys.data(), keys.size(), 0);
    uint32_t group = kNoGroup;
    auto range = group_of_hash.equal_range(h);
    for (auto it = range.first; it != range.second && group == kNoGroup; ++it)
      if (same_keys(groups[it->second].id)) group = it->second;
    if (group == kNoGroup) group_of_hash.emplace(h, uint32_t(groups.size()));
    add_to_group(groups, group, tb, tot);
  }
  return groups;
}

// Key types 'lineno' and 'filename': one group per key of the most recent
// frame, or with `cumulative` of every frame.  key_of(frame) is an id below
// `key_count`; id_of(frame) the group's Group::id.
template <typename KeyOf, typename IdOf>
std::vector<Group> group_by_frame(const model::Tables &t, const std::vector<Totals> &per_traceback,
                                  bool cumulative, size_t key_count, KeyOf key_of, IdOf id_of) {
  std::vector<Group> groups;
  std::vector<uint32_t> group_of(key_count, kNoGroup);
  auto add_frame = [&](uint32_t frame_id, const Totals &tot) {
    add_to_group(groups, group_of[key_of(frame_id)], id_of(frame_id), tot);
  };
  for (uint32_t tb = 0; tb < t.traceback_count(); ++tb) {
    const Totals &tot = per_traceback[tb];
    if (tot.count == 0) continue;
    if (!cumulative) {
      add_frame(t.most_recent_frame(tb), tot);
    } else {
      // CPython counts every frame, repeated frames (recursion) included.
      for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1]; ++i) add_frame(t.tb_frames[i], tot);
    }
  }
  return groups;
}

// CPython's Snapshot._group_by(): groups in no particular order.
std::vector<Group> group_by(const SnapshotData &data, KeyType key_type, bool cumulative) {
  if (cumulative && key_type == KeyType::Traceback)
    throw Error("cumulative mode cannot by used with key type 'traceback'");  // sic, CPython
  const model::Tables &t = *data.tables;
  std::vector<Totals> per_traceback = totals_per_traceback(data);
  switch (key_type) {
    case KeyType::Traceback:
      return group_by_traceback(t, per_traceback);
    case KeyType::Lineno:
      return group_by_frame(
          t, per_traceback, cumulative, t.key_frame.size(),
          [&t](uint32_t frame_id) { return t.frame_key[frame_id]; },
          [&t](uint32_t frame_id) { return t.key_frame[t.frame_key[frame_id]]; });
    case KeyType::Filename:
      break;
  }
  auto filename_of = [&t](uint32_t frame_id) { return t.frames[frame_id].filename; };
  return group_by_frame(t, per_traceback, cumulative, t.strings.size(), filename_of, filename_of);
}

uint64_t magnitude(int64_t v) { return v < 0 ? 0 - uint64_t(v) : uint64_t(v); }

int64_t checked_diff(uint64_t now, uint64_t before) {
  __int128 d = (__int128)now - (__int128)before;
  if (d > INT64_MAX || d < INT64_MIN)
    throw Error("compare_to: a size or count difference is outside the signed 64-bit range");
  return int64_t(d);
}

// How many statistics get their traceback: `limit` of them, 0 meaning all.
size_t built_count(size_t available, size_t limit) {
  return limit == 0 ? available : std::min(available, limit);
}

// compare_to() matches groups of two snapshots, whose tables number strings
// apart: every filename gets an id shared by both, so matching compares ids.
class SharedNames {
 public:
  SharedNames(const model::Tables &now, const model::Tables &before)
      : now_(number(now)), before_(number(before)) {}
  const std::vector<uint32_t> &of(bool now) const { return now ? now_ : before_; }

 private:
  std::vector<uint32_t> number(const model::Tables &t) {
    std::vector<uint32_t> ids(t.strings.size());
    for (size_t i = 0; i < t.strings.size(); ++i)
      ids[i] = ids_.emplace(t.strings[i], uint32_t(ids_.size())).first->second;
    return ids;
  }
  std::unordered_map<std::string_view, uint32_t> ids_;
  std::vector<uint32_t> now_, before_;
};

uint64_t shared_hash(const GroupKeys &keys, const std::vector<uint32_t> &names) {
  uint64_t h = model::mix64(keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    h = model::mix64(h ^ (uint64_t(names[keys.filename(i)]) << 32 | keys.lineno(i))) + i;
  return h;
}

bool shared_equal(const GroupKeys &a, const std::vector<uint32_t> &a_names, const GroupKeys &b,
                  const std::vector<uint32_t> &b_names) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a.lineno(i) != b.lineno(i) || a_names[a.filename(i)] != b_names[b.filename(i)])
      return false;
  return true;
}

}  // namespace

std::vector<Statistic> Snapshot::statistics(KeyType key_type, bool cumulative) const {
  return statistics(key_type, cumulative, 0);
}

std::vector<Statistic> Snapshot::statistics(KeyType key_type, bool cumulative, size_t limit) const {
  const model::Tables &t = *data_->tables;
  std::vector<Group> groups = group_by(*data_, key_type, cumulative);
  // CPython: sort(reverse=True, key=(size, count, traceback)).  Tracebacks are
  // unique among groups, so the order is total and stability is moot.
  std::sort(groups.begin(), groups.end(), [&](const Group &a, const Group &b) {
    if (a.size != b.size) return a.size > b.size;
    if (a.count != b.count) return a.count > b.count;
    return keys_less(GroupKeys(t, key_type, b.id), GroupKeys(t, key_type, a.id), true);
  });
  std::vector<Statistic> stats(groups.size());
  const size_t built = built_count(groups.size(), limit);
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i < built) stats[i].traceback = GroupKeys(t, key_type, groups[i].id).traceback();
    stats[i].size = groups[i].size;
    stats[i].count = groups[i].count;
  }
  return stats;
}

std::vector<StatisticDiff> Snapshot::compare_to(const Snapshot &old_snapshot, KeyType key_type,
                                                bool cumulative) const {
  return compare_to(old_snapshot, key_type, cumulative, 0);
}

std::vector<StatisticDiff> Snapshot::compare_to(const Snapshot &old_snapshot, KeyType key_type,
                                                bool cumulative, size_t limit) const {
  const model::Tables &now_t = *data_->tables, &before_t = *old_snapshot.data_->tables;
  std::vector<Group> now = group_by(*data_, key_type, cumulative);
  std::vector<Group> before = group_by(*old_snapshot.data_, key_type, cumulative);
  SharedNames names(now_t, before_t);
  std::unordered_multimap<uint64_t, size_t> before_index;  // shared_hash -> before group
  before_index.reserve(before.size());
  for (size_t i = 0; i < before.size(); ++i)
    before_index.emplace(shared_hash(GroupKeys(before_t, key_type, before[i].id), names.of(false)),
                         i);
  std::vector<bool> matched(before.size(), false);

  // A diff before its traceback: the group it shows, of one snapshot.
  struct Diff {
    bool from_now;
    uint32_t id;
    StatisticDiff stat;  // without its traceback
  };
  std::vector<Diff> diffs;
  diffs.reserve(now.size() + before.size());
  for (const Group &g : now) {
    GroupKeys keys(now_t, key_type, g.id);
    uint64_t old_size = 0, old_count = 0;
    auto range = before_index.equal_range(shared_hash(keys, names.of(true)));
    for (auto it = range.first; it != range.second; ++it) {
      const Group &old = before[it->second];
      if (!shared_equal(keys, names.of(true), GroupKeys(before_t, key_type, old.id),
                        names.of(false)))
        continue;
      matched[it->second] = true;
      old_size = old.size;
      old_count = old.count;
      break;
    }
    diffs.push_back(Diff{true, g.id,
                         StatisticDiff{Traceback(), g.size, checked_diff(g.size, old_size), g.count,
                                       checked_diff(g.count, old_count)}});
  }
  for (size_t i = 0; i < before.size(); ++i) {
    if (matched[i]) continue;
    diffs.push_back(Diff{false, before[i].id,
                         StatisticDiff{Traceback(), 0, checked_diff(0, before[i].size), 0,
                                       checked_diff(0, before[i].count)}});
  }
  auto keys_of = [&](const Diff &d) {
    return GroupKeys(d.from_now ? now_t : before_t, key_type, d.id);
  };
  // CPython: key (|size_diff|, size, |count_diff|, count, traceback), reversed.
  std::sort(diffs.begin(), diffs.end(), [&](const Diff &da, const Diff &db) {
    const StatisticDiff &a = da.stat, &b = db.stat;
    if (magnitude(a.size_diff) != magnitude(b.size_diff))
      return magnitude(a.size_diff) > magnitude(b.size_diff);
    if (a.size != b.size) return a.size > b.size;
    if (magnitude(a.count_diff) != magnitude(b.count_diff))
      return magnitude(a.count_diff) > magnitude(b.count_diff);
    if (a.count != b.count) return a.count > b.count;
    return keys_less(keys_of(db), keys_of(da), da.from_now == db.from_now);
  });
  std::vector<StatisticDiff> out;
  out.reserve(diffs.size());
  const size_t built = built_count(diffs.size(), limit);
  for (size_t i = 0; i < diffs.size(); ++i) {
    out.push_back(std::move(diffs[i].stat));
    if (i < built) out.back().traceback = keys_of(diffs[i]).traceback();
  }
  return out;
}

namespace {

// One filter applied to many traces, caching per filename and per traceback:
// with 100k tracebacks and far more traces, fnmatch runs once per filename.
class FilterEvaluator {
 public:
  FilterEvaluator(const model::Tables &t, const AnyFilter &filter)
      : t_(&t),
        filter_(&filter),
        filename_matches_(t.strings.size(), -1),
        traceback_matches_(t.traceback_count(), -1) {}

  bool inclusive() const {
    return std::visit([](const auto &x) { return x.inclusive; }, *filter_);
  }

  // CPython's BaseFilter._match(trace).
  bool matches(const TraceEntry &e) {
    if (const auto *df = std::get_if<DomainFilter>(filter_))
      return (e.domain == df->domain) != !df->inclusive;
    const Filter &f = std::get<Filter>(*filter_);
    bool res = traceback_matches(f, e.traceback);
    if (f.domain)
      return f.inclusive ? (res && e.domain == *f.domain) : (res || e.domain != *f.domain);
    return res;
  }

 private:
  bool frame_matches(const Filter &f, uint32_t frame_id) {
    const model::FrameRecord &r = t_->frames[frame_id];
    int8_t &m = filename_matches_[r.filename];
    if (m < 0) m = fnmatch(t_->strings[r.filename], f.filename_pattern) ? 1 : 0;
    if (!m) return false;
    return !f.lineno || r.lineno == *f.lineno;
  }

  // CPython's Filter._match_traceback (the inclusive flag already applied).
  bool traceback_matches(const Filter &f, uint32_t tb) {
    int8_t &m = traceback_matches_[tb];
    if (m < 0) {
      const model::Tables &t = *t_;
      bool res;
      if (f.all_frames) {
        bool any = false;
        for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1] && !any; ++i)
          any = frame_matches(f, t.tb_frames[i]);
        res = any ? f.inclusive : !f.inclusive;
      } else {
        res = frame_matches(f, t.most_recent_frame(tb)) != !f.inclusive;
      }
      m = res ? 1 : 0;
    }
    return m == 1;
  }

  const model::Tables *t_;
  const AnyFilter *filter_;
  std::vector<int8_t> filename_matches_;   // by string id: -1 unknown
  std::vector<int8_t> traceback_matches_;  // by traceback id: -1 unknown
};

}  // namespace

Snapshot Snapshot::filter_traces(const std::vector<AnyFilter> &filters) const {
  if (filters.empty()) return Snapshot(*this);
  Snapshot result;
  share_tables_and_state(*data_, *result.data_);

  std::vector<FilterEvaluator> include, exclude;
  for (const AnyFilter &f : filters) {
    FilterEvaluator evaluator(*data_->tables, f);
    (evaluator.inclusive() ? include : exclude).push_back(std::move(evaluator));
  }
  // CPython: a trace is kept when some inclusive filter matches it (if there
  // is any) and every exclusive one does (an exclusive filter's match already
  // means "not excluded").
  auto filtered = [&](const model::TraceStore &traces) {
    model::TraceStore kept;
    traces.for_each([&](const TraceEntry &e) {
      bool keep = true;
      if (!include.empty()) {
        keep = false;
        for (FilterEvaluator &evaluator : include)
          if (evaluator.matches(e)) {
            keep = true;
            break;
          }
      }
      for (size_t i = 0; keep && i < exclude.size(); ++i)
        if (!exclude[i].matches(e)) keep = false;
      if (keep) kept.push_back(e);
    });
    return kept;
  };
  result.data_->traces = filtered(data_->traces);
  for (int i = 0; i < SnapshotData::kOtherViews; ++i)
    if (data_->views[i]) result.data_->views[i] = filtered(*data_->views[i]);
  result.data_->timeline = data_->timeline;
  return result;
}

uint64_t Snapshot::total_size() const {
  // The sum of what statistics() reports (in sampled mode each entry's
  // rounded estimate).
  uint64_t total = 0;
  for (const Totals &t : totals_per_traceback(*data_)) total = checked_add(total, t.size);
  return total;
}

namespace {

// Interns the tracebacks of `from` into `in` and returns the new id of each.
// With `kept` (by frame id), only the frames it marks: a traceback left with
// none keeps its most recent frame, and a kept frame whose inlining host was
// dropped loses its inlined flag (it is a machine location of its own now).
std::vector<uint32_t> copy_tracebacks(const model::Tables &from, model::Interner &in,
                                      const std::vector<bool> *kept) {
  std::vector<uint32_t> strings(from.strings.size());
  for (size_t i = 0; i < from.strings.size(); ++i) strings[i] = in.string(from.strings[i]);
  auto frame = [&](uint32_t id, bool clear_inlined) {
    model::FrameRecord r = from.frames[id];
    for (uint32_t *field : {&r.filename, &r.function, &r.directory, &r.linkage_name})
      *field = strings[*field];
    if (clear_inlined) r.flags &= ~model::kFrameInlined;
    return in.frame(r);
  };
  std::vector<uint32_t> tracebacks(from.traceback_count());
  std::vector<uint32_t> ids;
  for (uint32_t tb = 0; tb < from.traceback_count(); ++tb) {
    ids.clear();
    bool host_dropped = false;
    for (uint32_t i = from.tb_begin[tb]; i < from.tb_begin[tb + 1]; ++i) {
      const uint32_t f = from.tb_frames[i];
      const bool inlined = (from.frames[f].flags & model::kFrameInlined) != 0;
      const bool keep = !kept || (*kept)[f];
      if (!inlined) host_dropped = !keep;
      if (!keep) continue;
      ids.push_back(frame(f, inlined && host_dropped));
      host_dropped = false;
    }
    if (ids.empty()) ids.push_back(frame(from.most_recent_frame(tb), true));
    std::optional<uint64_t> total;
    if (from.tb_has_total_nframe[tb]) total = from.tb_total_nframe[tb];
    tracebacks[tb] = in.traceback(ids.data(), ids.size(), total);
  }
  return tracebacks;
}

}  // namespace

Snapshot Snapshot::keep_frames(const std::function<bool(const Frame &)> &keep) const {
  const model::Tables &t = *data_->tables;
  std::vector<bool> kept(t.frames.size());
  for (uint32_t f = 0; f < t.frames.size(); ++f) kept[f] = keep(t.make_frame(f));
  model::Interner in;
  const std::vector<uint32_t> tracebacks = copy_tracebacks(t, in, &kept);
  auto remapped = [&](const model::TraceStore &from) {
    model::TraceStore to;
    to.reserve(from.entry_count());
    from.for_each([&](TraceEntry e) {
      e.traceback = tracebacks[e.traceback];
      to.push_back(e);
    });
    return to;
  };
  Snapshot result;
  share_tables_and_state(*data_, *result.data_);
  result.data_->tables = in.finish();
  result.data_->traces = remapped(data_->traces);
  for (int i = 0; i < SnapshotData::kOtherViews; ++i)
    if (data_->views[i]) result.data_->views[i] = remapped(*data_->views[i]);
  result.data_->timeline = data_->timeline;
  return result;
}

// ---------------------------------------------------------------- merger

class SnapshotMerger::Impl {
 public:
  // The traces of one view, one entry per (domain, size, traceback).
  struct Traces {
    struct Key {
      uint64_t domain, size;
      uint32_t traceback;
      bool operator==(const Key &o) const {
        return domain == o.domain && size == o.size && traceback == o.traceback;
      }
    };
    struct KeyHash {
      size_t operator()(const Key &k) const {
        return model::mix64(k.domain ^ model::mix64(k.size ^ model::mix64(k.traceback)));
      }
    };
    bool present = true;  // in every snapshot added so far
    std::vector<TraceEntry> entries;
    std::unordered_map<Key, size_t, KeyHash> index;

    void add(const TraceEntry &e) {
      auto [it, added] = index.emplace(Key{e.domain, e.size, e.traceback}, entries.size());
      if (added) return entries.push_back(e);
      if (__builtin_add_overflow(entries[it->second].count, e.count, &entries[it->second].count))
        throw Error("merge: a count of traces exceeds 2^64-1");
    }
  };

  model::Interner interner;
  Traces views[1 + SnapshotData::kOtherViews];  // View::Live first, then the others
  size_t added = 0;
  // The merged tracemalloc state (traced memory, limit, times, rate,
  // timeline); its tables and traces stay empty.
  SnapshotData state;
};

static std::string rate_text(uint64_t sample_bytes) {
  return sample_bytes ? "1 in " + std::to_string(sample_bytes) + " bytes" : "exact";
}

SnapshotMerger::SnapshotMerger() : impl_(std::make_unique<Impl>()) {}
SnapshotMerger::~SnapshotMerger() = default;

void SnapshotMerger::add(const Snapshot &snapshot) {
  Impl &m = *impl_;
  const SnapshotData &d = *snapshot.data_;
  // Each snapshot's traces are scaled by its own rate when read: merged
  // under one rate, traces of another would be mis-scaled.
  SnapshotData &st = m.state;
  if (m.added > 0 && d.sample_bytes != st.sample_bytes)
    throw Error("merge: snapshots of different sampling rates (" + rate_text(st.sample_bytes) +
                " and " + rate_text(d.sample_bytes) + ") cannot be merged");
  st.sample_bytes = d.sample_bytes;
  const std::vector<uint32_t> tracebacks = copy_tracebacks(*d.tables, m.interner, nullptr);
  for (int v = 0; v <= SnapshotData::kOtherViews; ++v) {
    Impl::Traces &into = m.views[v];
    const model::TraceStore *from = v == 0           ? &d.traces
                                    : d.views[v - 1] ? &*d.views[v - 1]
                                                     : nullptr;
    if (!from) {
      into = Impl::Traces{false, {}, {}};
      continue;
    }
    if (!into.present) continue;
    from->for_each([&](TraceEntry e) {
      e.traceback = tracebacks[e.traceback];
      into.add(e);
    });
  }
  // Saturating: these figures are informative, the traces are what counts.
  auto sum = [](uint64_t a, uint64_t b) {
    return __builtin_add_overflow(a, b, &a) ? UINT64_MAX : a;
  };
  st.traced_current = sum(st.traced_current, d.traced_current);
  st.traced_peak = sum(st.traced_peak, d.traced_peak);
  st.traceback_limit = std::max(st.traceback_limit, d.traceback_limit);
  st.time_ns = std::max(st.time_ns, d.time_ns);
  st.duration_ns = std::max(st.duration_ns, d.duration_ns);
  st.timeline = m.added == 0 ? d.timeline : std::vector<TimelineSample>();
  ++m.added;
}

Snapshot SnapshotMerger::build() {
  Impl &m = *impl_;
  Snapshot result;
  SnapshotData &d = *result.data_;
  share_tables_and_state(m.state, d);
  d.tables = m.interner.finish();
  d.timeline = std::move(m.state.timeline);
  for (int v = 0; v <= SnapshotData::kOtherViews; ++v) {
    if (!m.views[v].present || (v > 0 && m.added == 0)) continue;
    model::TraceStore &store = v == 0 ? d.traces : d.views[v - 1].emplace();
    store.reserve(m.views[v].entries.size());
    for (const TraceEntry &e : m.views[v].entries) store.push_back(e);
  }
  impl_ = std::make_unique<Impl>();
  return result;
}

namespace model {

bool looks_like_json(std::string_view head) {
  // A UTF-8 byte order mark may precede JSON (editors on Windows write one).
  size_t first = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  first = head.find_first_not_of(" \t\r\n", first);
  // All blank so far: JSON may follow (the JSON reader says if not).
  return first == std::string_view::npos ? !head.empty() : head[first] == '{';
}

std::optional<uint64_t> check_json_head(const std::string &path, std::string_view head,
                                        std::optional<uint64_t>) {
  if (head.empty()) throw Error(path + ": empty file, not a snapshot");
  return std::nullopt;
}

std::optional<uint64_t> check_any_head(const std::string &path, std::string_view head,
                                       std::optional<uint64_t> size) {
  if (looks_like_json(head)) return check_json_head(path, head, size);
  return check_binary_head(path, head, size);
}

}  // namespace model

Snapshot Snapshot::load(const std::string &path) {
  auto file = std::make_shared<const model::FileBytes>(path, model::check_any_head);
  std::string_view bytes = file->view();
  if (model::looks_like_json(bytes.substr(0, model::FileBytes::kHeadSize)))
    return model::load_json_from_memory(path, bytes);
  return model::load_binary_from_memory(path, bytes, std::move(file));
}

Snapshot Snapshot::load_binary(const std::string &path) {
  auto file = std::make_shared<const model::FileBytes>(path, model::check_binary_head);
  std::string_view bytes = file->view();
  return model::load_binary_from_memory(path, bytes, std::move(file));
}

Snapshot Snapshot::load_json(const std::string &path) {
  return model::load_json_from_memory(path, model::FileBytes(path, model::check_json_head).view());
}

// ---------------------------------------------------------------- builder

SnapshotBuilder::SnapshotBuilder() : data_(std::make_unique<SnapshotData>()) {
  data_->interner = std::make_unique<model::Interner>();
}
SnapshotBuilder::~SnapshotBuilder() = default;

SnapshotBuilder::FrameId SnapshotBuilder::add_frame(std::string_view filename, uint32_t lineno,
                                                    std::string_view function,
                                                    std::string_view directory,
                                                    std::string_view linkage_name, bool inlined) {
  model::Interner &in = *data_->interner;
  return in.frame(model::FrameRecord{in.string(filename), lineno, in.string(function),
                                     in.string(directory), in.string(linkage_name),
                                     inlined ? model::kFrameInlined : 0});
}

SnapshotBuilder::TracebackId SnapshotBuilder::add_traceback(const FrameId *most_recent_first,
                                                            size_t n,
                                                            std::optional<uint64_t> total_nframe) {
  std::vector<uint32_t> oldest_first(most_recent_first, most_recent_first + n);
  std::reverse(oldest_first.begin(), oldest_first.end());
  return add_traceback_oldest_first(oldest_first.data(), n, total_nframe);
}

SnapshotBuilder::TracebackId SnapshotBuilder::add_traceback_oldest_first(
    const FrameId *oldest_first, size_t n, std::optional<uint64_t> total_nframe) {
  if (n == 0) throw Error("SnapshotBuilder::add_traceback: a traceback needs at least one frame");
  model::Interner &in = *data_->interner;
  for (size_t i = 0; i < n; ++i)
    if (oldest_first[i] >= in.tables().frames.size())
      throw Error("SnapshotBuilder::add_traceback: unknown frame id " +
                  std::to_string(oldest_first[i]));
  return in.traceback(oldest_first, n, total_nframe);
}

SnapshotBuilder::StringId SnapshotBuilder::add_string(std::string_view s) {
  return data_->interner->string(s);
}

SnapshotBuilder::FrameId SnapshotBuilder::add_frame_by_ids(StringId filename, uint32_t lineno,
                                                           StringId function, StringId directory,
                                                           StringId linkage_name, bool inlined) {
  model::Interner &in = *data_->interner;
  for (StringId id : {filename, function, directory, linkage_name})
    if (id >= in.tables().strings.size())
      throw Error("SnapshotBuilder::add_frame: unknown string id " + std::to_string(id));
  return in.frame(model::FrameRecord{filename, lineno, function, directory, linkage_name,
                                     inlined ? model::kFrameInlined : 0});
}

void SnapshotBuilder::reserve_traces(size_t n) { data_->traces.reserve(n); }

void SnapshotBuilder::add_trace(uint64_t domain, uint64_t size, TracebackId traceback) {
  add_traces(domain, size, traceback, 1);
}

void SnapshotBuilder::add_traces(uint64_t domain, uint64_t size, TracebackId traceback,
                                 uint64_t count) {
  if (traceback >= data_->interner->tables().traceback_count())
    throw Error("SnapshotBuilder::add_trace: unknown traceback id " + std::to_string(traceback));
  if (count == 0) return;
  data_->traces.push_back(TraceEntry{domain, size, count, traceback});
}

void SnapshotBuilder::add_view(View view) {
  if (view == View::Live) return;
  std::optional<model::TraceStore> &store = data_->views[SnapshotData::other_view_index(view)];
  if (!store) store.emplace();
}

void SnapshotBuilder::add_view_traces(View view, uint64_t domain, uint64_t size,
                                      TracebackId traceback, uint64_t count) {
  if (view == View::Live) return add_traces(domain, size, traceback, count);
  if (traceback >= data_->interner->tables().traceback_count())
    throw Error("SnapshotBuilder::add_view_traces: unknown traceback id " +
                std::to_string(traceback));
  add_view(view);
  if (count == 0) return;
  data_->views[SnapshotData::other_view_index(view)]->push_back(
      TraceEntry{domain, size, count, traceback});
}

void SnapshotBuilder::set_timeline(std::vector<TimelineSample> samples) {
  data_->timeline = std::move(samples);
}

void SnapshotBuilder::set_traceback_limit(uint32_t limit) { data_->traceback_limit = limit; }

void SnapshotBuilder::set_traced_memory(uint64_t current, uint64_t peak) {
  data_->traced_current = current;
  data_->traced_peak = peak;
}

void SnapshotBuilder::set_sample_bytes(uint64_t sample_bytes) {
  data_->sample_bytes = sample_bytes;
}

void SnapshotBuilder::set_time(uint64_t time_ns, uint64_t duration_ns) {
  data_->time_ns = time_ns;
  data_->duration_ns = duration_ns;
}

Snapshot SnapshotBuilder::build() {
  Snapshot s;
  data_->tables = data_->interner->finish();
  data_->interner.reset();
  s.data_ = std::move(data_);
  // The builder stays usable (empty) after build().
  data_ = std::make_unique<SnapshotData>();
  data_->interner = std::make_unique<model::Interner>();
  return s;
}

}  // namespace tracemalloc
