// timeline.cpp - `tm-report timeline SNAPSHOT`: memory over time, as the
// runtime sampled it (TRACEMALLOC_TIMELINE): a short text summary with a
// sparkline, or every sample as CSV or JSON.
#include "command.hpp"

#include "../render.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tmreport {
namespace {

std::string size_text(uint64_t bytes) { return tracemalloc::format_size_unsigned(bytes, false); }

// The samples' `high` in `width` columns, each the largest of its samples,
// drawn with the eight block heights; an all-zero timeline is a flat line.
std::string sparkline(const std::vector<tracemalloc::TimelineSample> &samples, size_t width) {
  static const char *const kBlocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588"};
  width = std::min(width, samples.size());
  uint64_t top = 0;
  for (const auto &s : samples) top = std::max(top, s.high);
  std::string line;
  for (size_t column = 0; column < width; ++column) {
    const size_t begin = column * samples.size() / width;
    const size_t end = (column + 1) * samples.size() / width;
    uint64_t high = 0;
    for (size_t i = begin; i < end; ++i) high = std::max(high, samples[i].high);
    const size_t level = top ? size_t((long double)high * 7 / top + 0.5L) : 0;
    line += kBlocks[std::min<size_t>(level, 7)];
  }
  return line;
}

std::string summary(const std::string &path, const tracemalloc::Snapshot &snapshot) {
  const std::vector<tracemalloc::TimelineSample> &samples = snapshot.timeline();
  if (samples.empty()) return path + ": no timeline (TRACEMALLOC_TIMELINE=0, or an older dump)\n";
  const TimelinePeak peak = timeline_peak(samples);
  const tracemalloc::TimelineSample &last = samples.back();
  std::string out;
  out += "Timeline: " + std::to_string(samples.size()) + " samples over " +
         seconds_text(last.time_s) + "\n";
  out += "Traced memory: peak " + size_text(samples[peak.index].high) + " between " +
         seconds_text(peak.start_s) + " and " + seconds_text(samples[peak.index].time_s) + ", " +
         size_text(last.current) + " at the end\n";
  out += "RSS: peak " + size_text(peak.rss_peak) + ", " + size_text(last.rss) + " at the end\n";
  out += "Highest traced memory over time:\n" + sparkline(samples, 60) + "\n";
  return out;
}

std::string csv(const tracemalloc::Snapshot &snapshot) {
  std::string out = "time_s,current,high,rss\n";
  char row[128];
  for (const auto &s : snapshot.timeline()) {
    std::snprintf(row, sizeof row, "%.6f,%llu,%llu,%llu\n", s.time_s,
                  static_cast<unsigned long long>(s.current),
                  static_cast<unsigned long long>(s.high), static_cast<unsigned long long>(s.rss));
    out += row;
  }
  return out;
}

std::string json(const tracemalloc::Snapshot &snapshot) {
  std::string out = "[";
  char row[160];
  bool first = true;
  for (const auto &s : snapshot.timeline()) {
    std::snprintf(row, sizeof row,
                  "%s\n  {\"time_s\": %.6f, \"current\": %llu, \"high\": %llu, \"rss\": %llu}",
                  first ? "" : ",", s.time_s, static_cast<unsigned long long>(s.current),
                  static_cast<unsigned long long>(s.high), static_cast<unsigned long long>(s.rss));
    out += row;
    first = false;
  }
  out += first ? "]\n" : "\n]\n";
  return out;
}

class TimelineCommand : public Command {
 public:
  explicit TimelineCommand(CLI::App &parent)
      : Command(parent.add_subcommand(
            "timeline", "Memory over time: traced bytes, their highest value and the RSS")) {
    app_->add_option("SNAPSHOT", path_, "Snapshot file (binary dump or JSON)")->required();
    format_opt_ = app_->add_option("--format", format_,
                                   "Output format: text (a summary), csv or json (every sample)")
                      ->type_name("FORMAT")
                      ->capture_default_str();
  }

  int run(Outcome &outcome) override {
    if (format_ != "text" && format_ != "csv" && format_ != "json")
      throw UsageError(format_opt_->get_name() + ": unknown format '" + format_ +
                       "' (expected text, csv or json)");
    const tracemalloc::Snapshot snapshot = tracemalloc::Snapshot::load(path_);
    if (format_ == "csv")
      outcome.out = csv(snapshot);
    else if (format_ == "json")
      outcome.out = json(snapshot);
    else
      outcome.out = summary(path_, snapshot);
    return 0;
  }

 private:
  std::string path_;
  std::string format_ = "text";
  CLI::Option *format_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> add_timeline_command(CLI::App &parent) {
  return std::make_unique<TimelineCommand>(parent);
}

}  // namespace tmreport
