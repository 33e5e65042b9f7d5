// html_report.cpp - what `tm-report html` puts into its page.
//
// The heavy lifting happens here, not in the browser: the tracebacks are
// merged into a prefix tree (root = oldest frame, CPython's traceback order)
// and pruned to their largest nodes, the tables are cut to their first rows
// and every figure that must read like tm-report's text output is formatted
// here.  The page only draws.
#include "html_report.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "render.hpp"
#include "source_lines.hpp"

namespace tmreport {
namespace {

using nlohmann::json;
using tracemalloc::Frame;
using tracemalloc::Snapshot;
using tracemalloc::Statistic;
using tracemalloc::Traceback;
using tracemalloc::View;

std::string size_text(uint64_t bytes) { return tracemalloc::format_size_unsigned(bytes, false); }

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

int64_t saturating_difference(uint64_t now, uint64_t before) {
  if (now >= before) {
    uint64_t d = now - before;
    return d > uint64_t(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max()
                                                             : int64_t(d);
  }
  uint64_t d = before - now;
  return d > uint64_t(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::min()
                                                           : -int64_t(d);
}

// ", average=X" of str(Statistic): the model's exact quotient, as printed.
std::string average_text(const std::string &str) {
  static const std::string kAverage = ", average=";
  size_t at = str.rfind(kAverage);
  return at == std::string::npos ? std::string() : str.substr(at + kAverage.size());
}

// The frames the page names, each once: tables and tree nodes refer to
// them by index.  Only frames shown in a table get their source line.
class FrameTable {
 public:
  uint32_t intern(const Frame &frame) {
    auto found = ids_.find(Key{frame.filename, frame.lineno});
    if (found != ids_.end()) return found->second;
    const uint32_t id = uint32_t(frames_.size());
    frames_.push_back(frame);  // a deque: the key's view of the name stays valid
    ids_.emplace(Key{frames_.back().filename, frame.lineno}, id);
    page_index_.push_back(kNone);
    with_source_.push_back(false);
    return id;
  }

  // The frame's index in the page's frames array.
  uint32_t emit(uint32_t id, bool with_source) {
    if (page_index_[id] == kNone) {
      page_index_[id] = uint32_t(emitted_.size());
      emitted_.push_back(id);
    }
    if (with_source) with_source_[id] = true;
    return page_index_[id];
  }
  uint32_t emit(const Frame &frame, bool with_source) { return emit(intern(frame), with_source); }

  // [filename, lineno, function, source line or null] per emitted frame.
  json to_json() const {
    SourceLines sources;
    for (uint32_t id : emitted_)
      if (with_source_[id]) sources.want(frames_[id]);
    sources.read_all();
    json out = json::array();
    for (uint32_t id : emitted_) {
      const Frame &f = frames_[id];
      const std::string *line = with_source_[id] ? sources.line(f) : nullptr;
      out.push_back(json::array({f.filename, f.lineno, f.function, line ? json(*line) : json()}));
    }
    return out;
  }

 private:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  // A frame's identity, (filename, lineno), without copying the name.
  struct Key {
    std::string_view filename;
    uint32_t lineno;
    bool operator==(const Key &other) const {
      return lineno == other.lineno && filename == other.filename;
    }
  };
  struct KeyHash {
    size_t operator()(const Key &key) const {
      return std::hash<std::string_view>()(key.filename) * 31 + key.lineno;
    }
  };
  std::unordered_map<Key, uint32_t, KeyHash> ids_;
  std::deque<Frame> frames_;
  std::vector<uint32_t> page_index_;
  std::vector<bool> with_source_;
  std::vector<uint32_t> emitted_;
};

// The tracebacks merged by common prefix, oldest frame first.  For the
// growth view the baseline's tracebacks go in too, counting `old_size`.
class FlameTree {
 public:
  // `tracebacks`: how many will be added, to size the tables once.
  FlameTree(FrameTable &frames, size_t tracebacks) : frames_(frames) {
    nodes_.reserve(tracebacks * 2 + 1);
    children_.reserve(tracebacks * 2);
    nodes_.emplace_back();
  }

  void add(const Traceback &traceback, uint64_t size, uint64_t count, bool baseline) {
    uint32_t node = 0;
    account(nodes_[0], size, count, baseline);
    for (size_t depth = 0; depth < traceback.size(); ++depth) {
      if (depth == FlameLimits::kMaxDepth) {
        cut_depth_ = true;
        break;
      }
      const uint32_t frame = frames_.intern(traceback[depth]);
      const uint64_t key = uint64_t(node) << 32 | frame;
      auto [it, inserted] = children_.emplace(key, uint32_t(nodes_.size()));
      if (inserted) {
        nodes_[node].children.push_back(it->second);
        nodes_.emplace_back();
        nodes_.back().frame = frame;
      }
      node = it->second;
      account(nodes_[node], size, count, baseline);
    }
  }

  // The pruned tree: the largest nodes (a node only with its parent), down
  // to kMinShare of the total and at most kMaxNodes; each node's other
  // children summed into one "other" node.
  json to_json(bool growth) {
    std::vector<bool> kept(nodes_.size(), false);
    kept[0] = true;
    const uint64_t total = nodes_[0].size;
    const uint64_t threshold =
        std::max<uint64_t>(1, uint64_t(std::ceil(double(total) * FlameLimits::kMinShare)));
    using Entry = std::pair<uint64_t, uint32_t>;
    std::priority_queue<Entry> largest;
    for (uint32_t child : nodes_[0].children) largest.push({nodes_[child].size, child});
    size_t count = 1;
    while (!largest.empty() && count < FlameLimits::kMaxNodes) {
      auto [size, node] = largest.top();
      largest.pop();
      if (size < threshold) break;
      kept[node] = true;
      ++count;
      for (uint32_t child : nodes_[node].children) largest.push({nodes_[child].size, child});
    }
    cut_size_ = !largest.empty();
    return node_json(0, kept, growth);
  }

  std::string note() const {
    std::string text;
    if (cut_size_)
      text += "Frames below 0.01% of the total (or beyond the " +
              std::to_string(FlameLimits::kMaxNodes) + " largest) are summed into \"other\".";
    if (cut_depth_)
      text += std::string(text.empty() ? "" : " ") + "Tracebacks are cut at " +
              std::to_string(FlameLimits::kMaxDepth) + " frames.";
    return text;
  }

 private:
  struct Node {
    uint32_t frame = 0;
    uint64_t size = 0, count = 0, old_size = 0;
    std::vector<uint32_t> children;
  };

  static void account(Node &node, uint64_t size, uint64_t count, bool baseline) {
    if (baseline) {
      node.old_size = saturating_add(node.old_size, size);
    } else {
      node.size = saturating_add(node.size, size);
      node.count = saturating_add(node.count, count);
    }
  }

  static json figures(uint64_t size, uint64_t count, uint64_t old_size, bool growth) {
    json out = {{"v", size}, {"k", count}, {"s", size_text(size)}};
    if (growth) {
      const int64_t delta = saturating_difference(size, old_size);
      out["d"] = delta;
      out["g"] = tracemalloc::format_size(delta, true);
    }
    return out;
  }

  json node_json(uint32_t index, const std::vector<bool> &kept, bool growth) {
    const Node &node = nodes_[index];
    json out = figures(node.size, node.count, node.old_size, growth);
    out["f"] = index == 0 ? -1 : int64_t(frames_.emit(node.frame, false));
    std::vector<uint32_t> children = node.children;
    std::sort(children.begin(), children.end(), [&](uint32_t a, uint32_t b) {
      return nodes_[a].size != nodes_[b].size ? nodes_[a].size > nodes_[b].size : a < b;
    });
    json list = json::array();
    uint64_t other_size = 0, other_count = 0, other_old = 0, others = 0;
    for (uint32_t child : children) {
      if (kept[child]) {
        list.push_back(node_json(child, kept, growth));
      } else {
        other_size = saturating_add(other_size, nodes_[child].size);
        other_count = saturating_add(other_count, nodes_[child].count);
        other_old = saturating_add(other_old, nodes_[child].old_size);
        ++others;
      }
    }
    if (others) {
      json other = figures(other_size, other_count, other_old, growth);
      other["f"] = -1;
      other["o"] = others;
      list.push_back(std::move(other));
    }
    if (!list.empty()) out["c"] = std::move(list);
    return out;
  }

  FrameTable &frames_;
  std::vector<Node> nodes_;
  std::unordered_map<uint64_t, uint32_t> children_;  // (parent << 32 | frame) -> node
  bool cut_size_ = false, cut_depth_ = false;
};

size_t row_count(size_t available, uint64_t limit) { return listed_count(available, limit); }

// {"rows": [[frame(s), size, count, size text, average text, str()]...],
//  "total": number of statistics}.
json table_json(const std::vector<Statistic> &stats, uint64_t limit, bool traceback,
                FrameTable &frames) {
  json rows = json::array();
  for (size_t i = 0, n = row_count(stats.size(), limit); i < n; ++i) {
    const Statistic &stat = stats[i];
    json where;
    if (traceback) {
      where = json::array();
      for (const Frame &frame : stat.traceback) where.push_back(frames.emit(frame, true));
    } else {
      where = frames.emit(stat.traceback[0], true);
    }
    const std::string str = stat.str();
    rows.push_back(json::array(
        {std::move(where), stat.size, stat.count, size_text(stat.size), average_text(str), str}));
  }
  return {{"rows", std::move(rows)}, {"total", stats.size()}};
}

struct ViewInfo {
  View view;
  const char *title;
  const char *description;
};

constexpr ViewInfo kViews[] = {
    {View::Live, "Live",
     "Width: memory live when the snapshot was taken, by traceback (oldest frame at the bottom). "
     "Hover for figures, click to zoom."},
    {View::Peak, "Peak", "Width: memory that was live when traced memory reached its peak."},
    {View::Allocated, "Allocated",
     "Width: every allocation since tracing started, freed ones included (bytes allocated)."},
    {View::Temporary, "Temporary",
     "Width: allocations freed by their thread before its next allocation."},
};

struct ViewData {
  json view;
  std::vector<Statistic> by_traceback;
};

ViewData view_json(const ViewInfo &info, const Snapshot &snapshot, const std::string &path,
                   uint64_t limit, FrameTable &frames) {
  using tracemalloc::KeyType;
  auto statistics = [&](KeyType key_type) {
    return computed_from(path, [&] { return snapshot.statistics(key_type); });
  };
  ViewData out;
  out.by_traceback = statistics(KeyType::Traceback);
  FlameTree tree(frames, out.by_traceback.size());
  for (const Statistic &stat : out.by_traceback)
    tree.add(stat.traceback, stat.size, stat.count, false);
  out.view = {{"name", tracemalloc::view_name(info.view)},
              {"title", info.title},
              {"description", info.description},
              {"tree", tree.to_json(false)},
              {"tree_note", tree.note()}};
  out.view["tables"] = {
      {"lineno", table_json(statistics(KeyType::Lineno), limit, false, frames)},
      {"filename", table_json(statistics(KeyType::Filename), limit, false, frames)},
      {"traceback", table_json(out.by_traceback, limit, true, frames)}};
  return out;
}

std::string count_text(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

json summary_json(const Snapshot &snapshot, const std::vector<Statistic> &by_traceback) {
  json items = json::array();
  auto item = [&](const std::string &label, const std::string &value) {
    items.push_back(json::array({label, value}));
  };
  const bool known = snapshot.traced_current() || snapshot.traced_peak();
  uint64_t live = 0;
  for (const Statistic &stat : by_traceback) live = saturating_add(live, stat.size);
  if (snapshot.sample_bytes())
    item("Sampled",
         "1 in " + count_text(snapshot.sample_bytes()) + " bytes: every figure is an estimate");
  item("Traced memory", known ? size_text(snapshot.traced_current()) : "not recorded");
  item("Traced peak", known ? size_text(snapshot.traced_peak()) : "not recorded");
  item("Live traces (filtered)", size_text(live));
  const auto &samples = snapshot.timeline();
  if (samples.empty()) {
    item("RSS", "not recorded");
    item("Duration", "not recorded");
  } else {
    item("RSS (peak / end)",
         size_text(timeline_peak(samples).rss_peak) + " / " + size_text(samples.back().rss));
    item("Duration", seconds_text(samples.back().time_s));
  }
  item("Traces", count_text(snapshot.trace_count()));
  item("Traceback groups", count_text(by_traceback.size()));
  size_t frames = 0, deepest = 0;
  for (const Statistic &stat : by_traceback) {
    frames += stat.traceback.size();
    deepest = std::max(deepest, stat.traceback.size());
  }
  char mean[32];
  std::snprintf(mean, sizeof mean, "%.1f",
                by_traceback.empty() ? 0.0 : double(frames) / double(by_traceback.size()));
  item("Frames per traceback", std::string("mean ") + mean + ", max " + std::to_string(deepest) +
                                   " (limit " + std::to_string(snapshot.traceback_limit()) + ")");
  return items;
}

json timeline_json(const std::vector<tracemalloc::TimelineSample> &samples) {
  json t = json::array(), current = json::array(), high = json::array(), rss = json::array();
  for (const auto &s : samples) {
    t.push_back(s.time_s);
    current.push_back(s.current);
    high.push_back(s.high);
    rss.push_back(s.rss);
  }
  const TimelinePeak peak = timeline_peak(samples);
  const std::string note = std::to_string(samples.size()) + " samples over " +
                           seconds_text(samples.back().time_s) + "; traced memory peaked at " +
                           size_text(samples[peak.index].high) + " between " +
                           seconds_text(peak.start_s) + " and " +
                           seconds_text(samples[peak.index].time_s) + " (marked).";
  return {{"t", std::move(t)},     {"current", std::move(current)}, {"high", std::move(high)},
          {"rss", std::move(rss)}, {"peak_index", peak.index},      {"note", note}};
}

json diff_json(const HtmlReportInput &input, const std::vector<Statistic> &new_by_traceback,
               FrameTable &frames) {
  const Snapshot &now = *input.snapshot;
  const Snapshot &before = *input.baseline;
  const std::string what = input.path + " vs " + input.baseline_path;
  std::vector<tracemalloc::StatisticDiff> stats =
      computed_from(what, [&] { return now.compare_to(before, tracemalloc::KeyType::Lineno); });
  json rows = json::array();
  for (size_t i = 0, n = row_count(stats.size(), input.rows); i < n; ++i) {
    const auto &stat = stats[i];
    const std::string str = stat.str();
    rows.push_back(
        json::array({frames.emit(stat.traceback[0], true), stat.size, stat.size_diff, stat.count,
                     stat.count_diff, size_text(stat.size),
                     tracemalloc::format_size(stat.size_diff, true), average_text(str), str}));
  }
  const std::vector<Statistic> old_by_traceback = computed_from(
      input.baseline_path, [&] { return before.statistics(tracemalloc::KeyType::Traceback); });
  FlameTree tree(frames, new_by_traceback.size() + old_by_traceback.size());
  for (const Statistic &stat : new_by_traceback)
    tree.add(stat.traceback, stat.size, stat.count, false);
  for (const Statistic &stat : old_by_traceback)
    tree.add(stat.traceback, stat.size, stat.count, true);
  return {{"rows", std::move(rows)},
          {"total", stats.size()},
          {"tree", tree.to_json(true)},
          {"tree_note", tree.note()}};
}

}  // namespace

std::string html_report_json(const HtmlReportInput &input) {
  const Snapshot &snapshot = *input.snapshot;
  FrameTable frames;
  json document;
  document["file"] = input.path;
  document["baseline"] = input.baseline ? json(input.baseline_path) : json();
  document["filters"] = input.filters;
  json views = json::array(), missing = json::array();
  std::vector<Statistic> live_by_traceback;
  std::string missing_names;
  for (const ViewInfo &info : kViews) {
    if (!snapshot.has_view(info.view)) {
      missing.push_back({{"name", tracemalloc::view_name(info.view)},
                         {"title", info.title},
                         {"reason", "not in this snapshot (format version 1)"}});
      missing_names +=
          std::string(missing_names.empty() ? "" : ", ") + tracemalloc::view_name(info.view);
      continue;
    }
    ViewData data = info.view == View::Live
                        ? view_json(info, snapshot, input.path, input.rows, frames)
                        : view_json(info, snapshot.view(info.view), input.path, input.rows, frames);
    if (info.view == View::Live) live_by_traceback = std::move(data.by_traceback);
    views.push_back(std::move(data.view));
  }
  document["views"] = std::move(views);
  document["missing_views"] = std::move(missing);
  document["missing_views_note"] =
      missing_names.empty() ? std::string()
                            : "This snapshot has no " + missing_names +
                                  " view (written before views existed, format version 1): "
                                  "only its live traces are shown.";
  document["summary"] = summary_json(snapshot, live_by_traceback);
  if (snapshot.timeline().empty()) {
    document["timeline"] = nullptr;
    document["timeline_missing"] =
        "This snapshot has no timeline (TRACEMALLOC_TIMELINE=0, or a dump of format version 1).";
  } else {
    document["timeline"] = timeline_json(snapshot.timeline());
  }
  document["diff"] = input.baseline ? diff_json(input, live_by_traceback, frames) : json();
  document["frames"] = frames.to_json();  // last: the tables above chose the frames
  std::string text = document.dump(-1, ' ', false, json::error_handler_t::replace);
  // '<' only ever stands inside JSON strings, where \u003c means the same.
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 64);
  for (char c : text) {
    if (c == '<')
      escaped += "\\u003c";
    else
      escaped += c;
  }
  return escaped;
}

std::string html_page(std::string_view page, const std::string &json_text) {
  static constexpr std::string_view kMarker = "TM_REPORT_DATA";
  const size_t at = page.find(kMarker);
  if (at == std::string_view::npos) throw tracemalloc::Error("the report page has no data marker");
  std::string out;
  out.reserve(page.size() + json_text.size());
  out.append(page.substr(0, at));
  out.append(json_text);
  out.append(page.substr(at + kMarker.size()));
  return out;
}

}  // namespace tmreport
