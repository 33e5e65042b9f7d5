// render.cpp - text and JSON outputs of tm-report.
#include "render.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace tmreport {
namespace {

using tracemalloc::KeyType;
using tracemalloc::Statistic;
using tracemalloc::StatisticDiff;
using tracemalloc::Traceback;

const char *key_type_name(KeyType key_type) {
  switch (key_type) {
    case KeyType::Filename:
      return "filename";
    case KeyType::Lineno:
      return "lineno";
    case KeyType::Traceback:
      return "traceback";
  }
  return "?";
}

void append_line(std::string &out, const std::string &line) {
  out += line;
  out += '\n';
}

void append_traceback_lines(std::string &out, const Traceback &traceback) {
  for (const std::string &line : traceback.format()) append_line(out, line);
}

nlohmann::ordered_json traceback_json(const Traceback &traceback) {
  nlohmann::ordered_json frames = nlohmann::ordered_json::array();
  for (const tracemalloc::Frame &frame : traceback) {
    nlohmann::ordered_json entry;
    entry["filename"] = frame.filename;
    entry["lineno"] = frame.lineno;
    frames.push_back(std::move(entry));
  }
  return frames;
}

std::string dump_json(const nlohmann::ordered_json &document) {
  // Filenames come from debug info and need not be UTF-8; replace invalid
  // bytes rather than fail the whole report.
  return document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

nlohmann::ordered_json report_header(KeyType key_type, bool cumulative,
                                     const std::string *file = nullptr) {
  nlohmann::ordered_json document;
  if (file) document["file"] = *file;
  document["key_type"] = key_type_name(key_type);
  document["cumulative"] = cumulative;
  document["statistics"] = nlohmann::ordered_json::array();
  return document;
}

}  // namespace

size_t listed_count(size_t available, uint64_t limit) {
  if (limit == 0 || limit >= available) return available;
  return static_cast<size_t>(limit);
}

std::string kib(uint64_t size) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(size) / 1024.0);
  return buffer;
}

// Statistic and StatisticDiff print the same way: a header, then each str()
// (and, keyed by traceback, the formatted traceback under it).
template <typename Stat>
std::string statistics_text(const std::vector<Stat> &stats, uint64_t limit, KeyType key_type,
                            const char *header_suffix) {
  size_t n = listed_count(stats.size(), limit);
  std::string out = "[ Top " + std::to_string(n) + header_suffix + " ]\n";
  for (size_t i = 0; i < n; ++i) {
    append_line(out, stats[i].str());
    if (key_type == KeyType::Traceback) append_traceback_lines(out, stats[i].traceback);
  }
  return out;
}

std::string top_text(const std::vector<Statistic> &stats, uint64_t limit, KeyType key_type) {
  return statistics_text(stats, limit, key_type, "");
}

std::string diff_text(const std::vector<StatisticDiff> &stats, uint64_t limit, KeyType key_type) {
  return statistics_text(stats, limit, key_type, " differences");
}

std::string sampled_note(uint64_t sample_bytes) {
  if (sample_bytes == 0) return "";
  return "# sampled: 1 in " + std::to_string(sample_bytes) + " bytes, figures are estimates\n";
}

std::string top_json(const std::vector<Statistic> &stats, uint64_t limit, KeyType key_type,
                     bool cumulative, const std::string *file, uint64_t sample_bytes) {
  nlohmann::ordered_json document = report_header(key_type, cumulative, file);
  if (sample_bytes) document["sample_bytes"] = sample_bytes;
  nlohmann::ordered_json &list = document["statistics"];
  size_t n = listed_count(stats.size(), limit);
  for (size_t i = 0; i < n; ++i) {
    nlohmann::ordered_json entry;
    entry["traceback"] = traceback_json(stats[i].traceback);
    entry["size"] = stats[i].size;
    entry["count"] = stats[i].count;
    list.push_back(std::move(entry));
  }
  return dump_json(document);
}

std::string diff_json(const std::vector<StatisticDiff> &stats, uint64_t limit, KeyType key_type,
                      bool cumulative, uint64_t sample_bytes) {
  nlohmann::ordered_json document = report_header(key_type, cumulative);
  if (sample_bytes) document["sample_bytes"] = sample_bytes;
  nlohmann::ordered_json &list = document["statistics"];
  size_t n = listed_count(stats.size(), limit);
  for (size_t i = 0; i < n; ++i) {
    nlohmann::ordered_json entry;
    entry["traceback"] = traceback_json(stats[i].traceback);
    entry["size"] = stats[i].size;
    entry["count"] = stats[i].count;
    entry["size_diff"] = stats[i].size_diff;
    entry["count_diff"] = stats[i].count_diff;
    list.push_back(std::move(entry));
  }
  return dump_json(document);
}

std::string display_top_text(const std::vector<Statistic> &stats, uint64_t limit) {
  size_t n = listed_count(stats.size(), limit);
  // display_top() prints the requested limit, not the number of lines
  // listed; "all" (0) has no requested number, so it shows what is listed.
  std::string out = "Top " + std::to_string(limit == 0 ? n : limit) + " lines\n";
  for (size_t i = 0; i < n; ++i) {
    const tracemalloc::Frame &frame = stats[i].traceback[0];
    out += "#" + std::to_string(i + 1) + ": " + frame.filename + ":" +
           std::to_string(frame.lineno) + ": " + kib(stats[i].size) + " KiB\n";
    // Traceback.format() of the single frame is the model's linecache-like
    // reader: its second line, when present, is the stripped source line
    // already indented by 4.
    Traceback one_frame({frame}, std::nullopt);
    std::vector<std::string> formatted = one_frame.format();
    if (formatted.size() > 1) append_line(out, formatted[1]);
  }
  if (n < stats.size()) {
    uint64_t other_size = 0;
    for (size_t i = n; i < stats.size(); ++i) other_size += stats[i].size;
    out += std::to_string(stats.size() - n) + " other: " + kib(other_size) + " KiB\n";
  }
  uint64_t total = 0;
  for (const Statistic &stat : stats) total += stat.size;
  out += "Total allocated size: " + kib(total) + " KiB\n";
  return out;
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

TimelinePeak timeline_peak(const std::vector<tracemalloc::TimelineSample> &samples) {
  TimelinePeak peak;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (samples[i].high > samples[peak.index].high) peak.index = i;
    peak.rss_peak = std::max(peak.rss_peak, samples[i].rss);
  }
  peak.start_s = peak.index ? samples[peak.index - 1].time_s : 0.0;
  return peak;
}

std::string biggest_block_text(const Statistic &biggest, std::optional<int> frame_limit,
                               bool most_recent_first) {
  std::string out =
      std::to_string(biggest.count) + " memory blocks: " + kib(biggest.size) + " KiB\n";
  for (const std::string &line : biggest.traceback.format(frame_limit, most_recent_first))
    append_line(out, line);
  return out;
}

}  // namespace tmreport
