// render.hpp - tm-report's outputs.  Every text layout here reproduces a
// CPython string (str(Statistic), Traceback.format()) or one of the recipes of
// CPython's tracemalloc documentation (display_top() of "Pretty top", "Get the
// traceback of a memory block").
#ifndef TM_REPORT_RENDER_HPP
#define TM_REPORT_RENDER_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

// How many of `available` entries a --limit selects (0 means all).
size_t listed_count(size_t available, uint64_t limit);

// "[ Top N ]" then str(Statistic) per line; with the traceback key type each
// line is followed by its Traceback.format() lines.
std::string top_text(const std::vector<tracemalloc::Statistic> &stats, uint64_t limit,
                     tracemalloc::KeyType key_type);
// "[ Top N differences ]" then str(StatisticDiff) per line.
std::string diff_text(const std::vector<tracemalloc::StatisticDiff> &stats, uint64_t limit,
                      tracemalloc::KeyType key_type);

// With `file`, the document's first member is "file": the snapshot it
// reports on (top --each).  `sample_bytes`: the snapshot's sampled-mode
// rate (0: exact), a field of its own.
std::string top_json(const std::vector<tracemalloc::Statistic> &stats, uint64_t limit,
                     tracemalloc::KeyType key_type, bool cumulative,
                     const std::string *file = nullptr, uint64_t sample_bytes = 0);
std::string diff_json(const std::vector<tracemalloc::StatisticDiff> &stats, uint64_t limit,
                      tracemalloc::KeyType key_type, bool cumulative, uint64_t sample_bytes = 0);
// The first line of a sampled snapshot's text report ("" when exact): a
// comment, so that the CPython-format lines after it stay parseable.
std::string sampled_note(uint64_t sample_bytes);

// display_top() of the "Pretty top" recipe: "Top N lines", "#i: file:line:
// X KiB", the source line, "K other: X KiB", "Total allocated size: Y KiB".
// `stats` must come from a snapshot already filtered like display_top()
// filters it.
std::string display_top_text(const std::vector<tracemalloc::Statistic> &stats, uint64_t limit);

// The "Get the traceback of a memory block" recipe for the biggest
// statistic: "%s memory blocks: %.1f KiB" then Traceback.format() lines.
std::string biggest_block_text(const tracemalloc::Statistic &biggest,
                               std::optional<int> frame_limit, bool most_recent_first);

// Python's "%.1f" % (size / 1024).
std::string kib(uint64_t size);

// "0.750 s": the timeline's times.
std::string seconds_text(double seconds);

// Where a timeline peaks: the sample with the highest `high` (the first of
// equal ones), the start of the interval it covers (the previous sample's
// time, 0 for the first sample), and the highest RSS.  `samples` not empty.
struct TimelinePeak {
  size_t index = 0;
  double start_s = 0;
  uint64_t rss_peak = 0;
};
TimelinePeak timeline_peak(const std::vector<tracemalloc::TimelineSample> &samples);

}  // namespace tmreport

#endif  // TM_REPORT_RENDER_HPP
