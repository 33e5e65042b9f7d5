// c_snapshot.cpp - the C snapshot API beyond take/dump/free (tracemalloc.h):
// load, trace count, views, timeline, filter_traces, statistics and compare_to, wrapping the
// C++ model.  No exception leaves these functions: each becomes NULL or -1
// with errno set (ENOMEM for std::bad_alloc, EINVAL for the model's errors).
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cxxabi.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#pragma GCC visibility push(default)
#include "tracemalloc/tracemalloc.h"
#pragma GCC visibility pop

#include "runtime/api/c_snapshot.h"
#include "runtime/support/guard.h"

using tm_rt::ReentrancyGuard;

namespace {

// "tmst": marks the entries tm_statistics_at() hands out.
constexpr uint32_t kStatisticMagic = 0x746d7374;

// One statistic as C sees it, and where its model object is: the public
// part comes first, so the tm_statistic pointer tm_statistics_at() returns
// leads back to the entry (standard layout: pointer-interconvertible).
struct StatisticEntry {
  tm_statistic pub;
  uint32_t magic;
  const tm_statistics *owner;
  size_t index;
};

}  // namespace

struct tm_statistics {
  bool diff = false;  // from compare_to: the entries index `diffs`, else `stats`
  std::vector<tracemalloc::Statistic> stats;
  std::vector<tracemalloc::StatisticDiff> diffs;
  // Every statistic's frames, one after another; the strings they point to
  // are the model frames' own, in `stats`/`diffs`.
  std::vector<tm_frame> frames;
  std::vector<StatisticEntry> entries;
};

namespace {

// Runs f, turning every exception into errno and `failure`.  A thread being
// cancelled unwinds through here: that must go on (swallowing it aborts).
template <typename Result, typename F>
Result without_exceptions(Result failure, F f) {
  try {
    return f();
  } catch (abi::__forced_unwind &) {
    throw;
  } catch (const std::bad_alloc &) {
    errno = ENOMEM;
  } catch (...) {
    errno = EINVAL;
  }
  return failure;
}

int clamp_to_int(uint64_t n) { return n > uint64_t(INT_MAX) ? INT_MAX : static_cast<int>(n); }

// The grouping key of a traceback for "traceback" statistics: its frames'
// (filename, lineno), oldest first.
std::string frames_key(const tracemalloc::Traceback &traceback) {
  std::string key;
  for (const tracemalloc::Frame &frame : traceback) {
    key += frame.filename;
    key += '\0';
    key += std::to_string(frame.lineno);
    key += '\0';
  }
  return key;
}

// Statistics keyed by traceback carry no total_nframe (as CPython's); the
// traces grouped in them do.  Largest total_nframe by frames, over the
// traces of `snapshot`.
using TotalDepths = std::unordered_map<std::string, uint64_t>;

void add_total_depths(const tracemalloc::Snapshot &snapshot, TotalDepths &depths) {
  for (const tracemalloc::TraceGroup &group : snapshot.trace_groups()) {
    const std::optional<uint64_t> total = group.traceback->total_nframe();
    if (!total) continue;
    uint64_t &deepest = depths[frames_key(*group.traceback)];
    deepest = std::max(deepest, *total);
  }
}

void fill_statistic(tm_statistic &pub, const tracemalloc::Statistic &stat) {
  pub.size = static_cast<size_t>(stat.size);
  pub.count = static_cast<size_t>(stat.count);
  pub.size_diff = 0;
  pub.count_diff = 0;
}

void fill_statistic(tm_statistic &pub, const tracemalloc::StatisticDiff &stat) {
  pub.size = static_cast<size_t>(stat.size);
  pub.count = static_cast<size_t>(stat.count);
  pub.size_diff = stat.size_diff;
  pub.count_diff = stat.count_diff;
}

// Builds the C view of `stats` (already in out->stats or out->diffs, never
// modified afterwards, so the frame strings stay where they are).
template <typename Stat>
void index_statistics(tm_statistics *out, const std::vector<Stat> &stats,
                      const TotalDepths *depths) {
  size_t nframes = 0;
  for (const Stat &stat : stats) nframes += stat.traceback.size();
  out->frames.reserve(nframes);
  out->entries.resize(stats.size());
  for (size_t i = 0; i < stats.size(); ++i) {
    const tracemalloc::Traceback &traceback = stats[i].traceback;
    StatisticEntry &entry = out->entries[i];
    entry.magic = kStatisticMagic;
    entry.owner = out;
    entry.index = i;
    fill_statistic(entry.pub, stats[i]);
    // Oldest first: Traceback's order, and tm_get_object_traceback's.
    entry.pub.frames = traceback.size() == 0 ? nullptr : out->frames.data() + out->frames.size();
    for (const tracemalloc::Frame &frame : traceback) {
      out->frames.push_back(tm_frame{frame.filename.c_str(),
                                     frame.function.empty() ? nullptr : frame.function.c_str(),
                                     frame.lineno});
    }
    entry.pub.nframe = clamp_to_int(traceback.size());
    uint64_t total = traceback.total_nframe().value_or(traceback.size());
    if (depths) {
      auto found = depths->find(frames_key(traceback));
      if (found != depths->end()) total = found->second;
    }
    entry.pub.total_nframe = clamp_to_int(total);
  }
}

// NULL or unknown key types: errno = EINVAL.
bool parse_key_type(const char *text, tracemalloc::KeyType *key_type) {
  if (!text) return false;
  try {
    *key_type = tracemalloc::parse_key_type(text);
    return true;
  } catch (const tracemalloc::Error &) {
    return false;
  }
}

std::optional<tracemalloc::AnyFilter> model_filter(const tm_filter &filter) {
  if (!filter.filename_pattern) {
    if (filter.domain < 0) return std::nullopt;
    return tracemalloc::AnyFilter(
        tracemalloc::DomainFilter{filter.inclusive != 0, static_cast<uint64_t>(filter.domain)});
  }
  if (filter.lineno < -1 || filter.domain < -1) return std::nullopt;
  tracemalloc::Filter model;
  model.inclusive = filter.inclusive != 0;
  model.filename_pattern = filter.filename_pattern;
  if (filter.lineno != -1) model.lineno = static_cast<uint32_t>(filter.lineno);
  model.all_frames = filter.all_frames != 0;
  if (filter.domain != -1) model.domain = static_cast<uint64_t>(filter.domain);
  return tracemalloc::AnyFilter(std::move(model));
}

}  // namespace

extern "C" {

tm_snapshot *tm_snapshot_load(const char *path) {
  ReentrancyGuard guard;
  if (!path) {
    errno = EINVAL;
    return nullptr;
  }
  // The model reports every failure as an Error: open the file first, so a
  // file that cannot be read says why (ENOENT, EACCES, EISDIR...) and only
  // contents that are not a snapshot say EINVAL.
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;  // open()'s errno
  struct stat st;
  const int error = ::fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
  ::close(fd);
  if (error != 0) {
    errno = error;
    return nullptr;
  }
  return without_exceptions<tm_snapshot *>(
      nullptr, [&] { return new tm_snapshot{tracemalloc::Snapshot::load(path)}; });
}

size_t tm_snapshot_trace_count(const tm_snapshot *s) {
  ReentrancyGuard guard;
  if (!s) {
    errno = EINVAL;
    return static_cast<size_t>(-1);
  }
  return without_exceptions<size_t>(static_cast<size_t>(-1),
                                    [&] { return s->snapshot.trace_count(); });
}

tm_snapshot *tm_snapshot_view(const tm_snapshot *s, tm_view view) {
  ReentrancyGuard guard;
  if (!s || view < TM_VIEW_LIVE || view > TM_VIEW_TEMPORARY) {
    errno = EINVAL;
    return nullptr;
  }
  if (!s->snapshot.has_view(tracemalloc::View(view))) {
    errno = ENOENT;
    return nullptr;
  }
  return without_exceptions<tm_snapshot *>(
      nullptr, [&] { return new tm_snapshot{s->snapshot.view(tracemalloc::View(view))}; });
}

// The C sample is the model's, field for field.
static_assert(
    sizeof(tm_timeline_sample) == sizeof(tracemalloc::TimelineSample) &&
        offsetof(tm_timeline_sample, time_s) == offsetof(tracemalloc::TimelineSample, time_s) &&
        offsetof(tm_timeline_sample, current) == offsetof(tracemalloc::TimelineSample, current) &&
        offsetof(tm_timeline_sample, high) == offsetof(tracemalloc::TimelineSample, high) &&
        offsetof(tm_timeline_sample, rss) == offsetof(tracemalloc::TimelineSample, rss),
    "tm_timeline_sample mirrors tracemalloc::TimelineSample");

size_t tm_snapshot_timeline(const tm_snapshot *s, const tm_timeline_sample **samples) {
  if (!s || !samples) {
    errno = EINVAL;
    return static_cast<size_t>(-1);
  }
  const std::vector<tracemalloc::TimelineSample> &timeline = s->snapshot.timeline();
  *samples =
      timeline.empty() ? nullptr : reinterpret_cast<const tm_timeline_sample *>(timeline.data());
  return timeline.size();
}

int tm_snapshot_traceback_limit(const tm_snapshot *s) {
  ReentrancyGuard guard;
  if (!s) {
    errno = EINVAL;
    return -1;
  }
  return clamp_to_int(s->snapshot.traceback_limit());
}

tm_snapshot *tm_snapshot_filter_traces(const tm_snapshot *s, const tm_filter *filters, size_t n) {
  ReentrancyGuard guard;
  if (!s || (!filters && n > 0)) {
    errno = EINVAL;
    return nullptr;
  }
  return without_exceptions<tm_snapshot *>(nullptr, [&]() -> tm_snapshot * {
    std::vector<tracemalloc::AnyFilter> model;
    model.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      std::optional<tracemalloc::AnyFilter> filter = model_filter(filters[i]);
      if (!filter) {
        errno = EINVAL;
        return nullptr;
      }
      model.push_back(std::move(*filter));
    }
    return new tm_snapshot{s->snapshot.filter_traces(model)};
  });
}

tm_statistics *tm_snapshot_statistics(const tm_snapshot *s, const char *key_type, int cumulative) {
  ReentrancyGuard guard;
  tracemalloc::KeyType key;
  if (!s || !parse_key_type(key_type, &key)) {
    errno = EINVAL;
    return nullptr;
  }
  return without_exceptions<tm_statistics *>(nullptr, [&] {
    std::unique_ptr<tm_statistics> out(new tm_statistics);
    out->stats = s->snapshot.statistics(key, cumulative != 0);
    TotalDepths depths;
    if (key == tracemalloc::KeyType::Traceback) add_total_depths(s->snapshot, depths);
    index_statistics(out.get(), out->stats,
                     key == tracemalloc::KeyType::Traceback ? &depths : nullptr);
    return out.release();
  });
}

tm_statistics *tm_snapshot_compare_to(const tm_snapshot *new_snapshot,
                                      const tm_snapshot *old_snapshot, const char *key_type,
                                      int cumulative) {
  ReentrancyGuard guard;
  tracemalloc::KeyType key;
  if (!new_snapshot || !old_snapshot || !parse_key_type(key_type, &key)) {
    errno = EINVAL;
    return nullptr;
  }
  return without_exceptions<tm_statistics *>(nullptr, [&] {
    std::unique_ptr<tm_statistics> out(new tm_statistics);
    out->diff = true;
    out->diffs = new_snapshot->snapshot.compare_to(old_snapshot->snapshot, key, cumulative != 0);
    TotalDepths depths;
    if (key == tracemalloc::KeyType::Traceback) {
      add_total_depths(new_snapshot->snapshot, depths);
      add_total_depths(old_snapshot->snapshot, depths);
    }
    index_statistics(out.get(), out->diffs,
                     key == tracemalloc::KeyType::Traceback ? &depths : nullptr);
    return out.release();
  });
}

size_t tm_statistics_count(const tm_statistics *st) {
  ReentrancyGuard guard;
  if (!st) {
    errno = EINVAL;
    return static_cast<size_t>(-1);
  }
  return st->entries.size();
}

const tm_statistic *tm_statistics_at(const tm_statistics *st, size_t i) {
  ReentrancyGuard guard;
  if (!st || i >= st->entries.size()) {
    errno = EINVAL;
    return nullptr;
  }
  return &st->entries[i].pub;
}

int tm_statistic_format(const tm_statistic *stat, char *buf, size_t capacity) {
  ReentrancyGuard guard;
  if (!stat || (!buf && capacity > 0)) {
    errno = EINVAL;
    return -1;
  }
  const StatisticEntry *entry = reinterpret_cast<const StatisticEntry *>(stat);
  if (entry->magic != kStatisticMagic) {
    errno = EINVAL;
    return -1;
  }
  return without_exceptions<int>(-1, [&] {
    const tm_statistics &owner = *entry->owner;
    const std::string text =
        owner.diff ? owner.diffs[entry->index].str() : owner.stats[entry->index].str();
    if (text.size() > size_t(INT_MAX)) {
      errno = EOVERFLOW;  // as snprintf
      return -1;
    }
    if (capacity > 0) {
      const size_t written = std::min(text.size(), capacity - 1);
      memcpy(buf, text.data(), written);
      buf[written] = '\0';
    }
    return static_cast<int>(text.size());
  });
}

void tm_statistics_free(tm_statistics *st) {
  ReentrancyGuard guard;
  delete st;
}

}  // extern "C"
