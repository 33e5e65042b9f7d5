// json_format.cpp - the JSON snapshot (docs/file-formats.md).
//
// Read with nlohmann-json's callback parser, one trace at a time: each trace
// object is converted and discarded as soon as it is complete, so a large file
// never exists as one DOM.  Written by hand, streaming, for the same reason.
#include "snapshot_builder.hpp"
#include "snapshot_data.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tracemalloc {
namespace model {

namespace {

using json = nlohmann::json;

constexpr const char *kFormatName = "tracemalloc-snapshot";
// 2 adds "views", "timeline", a trace's "count", the frames' linkage name and
// inline flag and the snapshot's time; version 1 still loads.
constexpr uint64_t kJsonVersion = 2;
// The deepest nesting of arrays and objects the reader accepts.
constexpr size_t kMaxJsonDepth = 64;

// The key of each view besides the live one in "views", by View.
View view_of_key(std::string_view key, bool *known) {
  for (View v : {View::Peak, View::Allocated, View::Temporary})
    if (key == view_name(v)) {
      *known = true;
      return v;
    }
  *known = false;
  return View::Live;
}

// A double as JSON: finite values only (the reader refuses others), with
// enough digits to read back the same value.
std::string json_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// ------------------------------------------------------------------ writer

// JSON string literal.  Invalid UTF-8 bytes become U+FFFD: JSON text must be
// Unicode, and compilers give UTF-8 file names in practice.
void put_string(std::string &out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
      ++i;
    } else if (c < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
      }
      ++i;
    } else if (c < 0x80) {
      out += char(c);
      ++i;
    } else {
      size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
      bool ok = len != 0 && i + len <= n;
      uint32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
      for (size_t k = 1; ok && k < len; ++k) {
        ok = (p[i + k] & 0xC0) == 0x80;
        cp = cp << 6 | (p[i + k] & 0x3F);
      }
      uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
      if (ok) {
        out.append(s.data() + i, len);
        i += len;
      } else {
        out += "\xEF\xBF\xBD";
        ++i;
      }
    }
  }
  out += '"';
}

std::string encode_json(const SnapshotData &data) {
  const Tables &t = *data.tables;
  // Each traceback's text once; traces repeat it.
  std::vector<std::string> traceback_text(t.traceback_count());
  std::vector<bool> done(t.traceback_count(), false);
  auto text_of = [&](uint32_t tb) -> const std::string & {
    std::string &tb_text = traceback_text[tb];
    if (!done[tb]) {
      done[tb] = true;
      tb_text += ", \"total_nframe\": ";
      tb_text += t.tb_has_total_nframe[tb] ? std::to_string(t.tb_total_nframe[tb]) : "null";
      tb_text += ", \"traceback\": [";
      for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1]; ++i) {
        const FrameRecord &f = t.frames[t.tb_frames[i]];
        if (i != t.tb_begin[tb]) tb_text += ", ";
        tb_text += "{\"filename\": ";
        put_string(tb_text, t.strings[f.filename]);
        tb_text += ", \"lineno\": " + std::to_string(f.lineno);
        if (!t.strings[f.function].empty()) {
          tb_text += ", \"function\": ";
          put_string(tb_text, t.strings[f.function]);
        }
        if (!t.strings[f.directory].empty()) {
          tb_text += ", \"directory\": ";
          put_string(tb_text, t.strings[f.directory]);
        }
        if (!t.strings[f.linkage_name].empty()) {
          tb_text += ", \"linkage_name\": ";
          put_string(tb_text, t.strings[f.linkage_name]);
        }
        if (f.flags & kFrameInlined) tb_text += ", \"inlined\": true";
        tb_text += '}';
      }
      tb_text += "]}";
    }
    return tb_text;
  };
  std::string out;
  out += "{\"format\": \"";
  out += kFormatName;
  out += "\", \"version\": " + std::to_string(kJsonVersion);
  out += ", \"traceback_limit\": " + std::to_string(data.traceback_limit);
  out += ",\n \"traced_memory\": {\"current\": " + std::to_string(data.traced_current) +
         ", \"peak\": " + std::to_string(data.traced_peak) + "}";
  if (data.time_ns) out += ", \"time_ns\": " + std::to_string(data.time_ns);
  if (data.duration_ns) out += ", \"duration_ns\": " + std::to_string(data.duration_ns);
  if (data.sample_bytes) out += ", \"sample_bytes\": " + std::to_string(data.sample_bytes);
  out += ",\n \"traces\": [";
  bool first = true;
  for (const TraceEntry e : data.traces) {
    // Indistinguishable traces are one object with their count (written
    // when not 1), so the text is bounded by the snapshot's content.
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += "{\"domain\": " + std::to_string(e.domain) + ", \"size\": " + std::to_string(e.size);
    if (e.count != 1) out += ", \"count\": " + std::to_string(e.count);
    out += text_of(e.traceback);
  }
  out += "\n]";
  // The views count their traces: an allocated view may hold millions.
  bool any_view = false;
  for (int i = 0; i < SnapshotData::kOtherViews; ++i) {
    if (!data.views[i]) continue;
    out += any_view ? "],\n  \"" : ",\n \"views\": {\"";
    any_view = true;
    out += view_name(View(i + 1));
    out += "\": [";
    bool first_entry = true;
    for (const TraceEntry e : *data.views[i]) {
      out += first_entry ? "\n   " : ",\n   ";
      first_entry = false;
      out += "{\"domain\": " + std::to_string(e.domain) + ", \"size\": " + std::to_string(e.size) +
             ", \"count\": " + std::to_string(e.count);
      out += text_of(e.traceback);
    }
  }
  if (any_view) out += "]}";
  if (!data.timeline.empty()) {
    out += ",\n \"timeline\": [";
    bool first_sample = true;
    for (const TimelineSample &s : data.timeline) {
      out += first_sample ? "\n  " : ",\n  ";
      first_sample = false;
      out += "{\"time_s\": " + json_number(s.time_s) +
             ", \"current\": " + std::to_string(s.current) +
             ", \"high\": " + std::to_string(s.high) + ", \"rss\": " + std::to_string(s.rss) + "}";
    }
    out += "\n]";
  }
  out += "}\n";
  return out;
}

// ------------------------------------------------------------------ reader

// A value for an error message, at most ~40 bytes whatever the input: a
// container is named, never serialised (it may be huge or nested deeply).
std::string describe(const json &v) {
  if (v.is_array()) return "an array of " + std::to_string(v.size()) + " elements";
  if (v.is_object()) return "an object";
  if (v.is_string()) {
    const std::string &s = v.get_ref<const std::string &>();
    if (s.size() <= 30) return json(s).dump(-1, ' ', true, json::error_handler_t::replace);
    return json(s.substr(0, 27)).dump(-1, ' ', true, json::error_handler_t::replace) + "...";
  }
  std::string text = v.dump(-1, ' ', true, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

class JsonLoader {
 public:
  explicit JsonLoader(const std::string &path) : path_(path) {}

  [[noreturn]] void fail(const std::string &where, const std::string &what) const {
    throw Error(path_ + ": " + where + ": " + what);
  }

  uint64_t unsigned_field(const json &v, const std::string &where, uint64_t max) const {
    bool ok = (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) &&
              v.get<uint64_t>() <= max;
    if (!ok)
      fail(where, "expected an integer in 0.." + std::to_string(max) + ", got " + describe(v));
    return v.get<uint64_t>();
  }

  const json &required(const json &obj, const char *key, const std::string &where) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(where, std::string("missing field '") + key + "'");
    return *it;
  }

  void check_format(const json &v) const {
    if (!v.is_string() || v.get<std::string>() != kFormatName)
      fail("format", std::string("expected \"") + kFormatName + "\", got " + describe(v));
  }

  void check_version(const json &v) const {
    uint64_t version = unsigned_field(v, "version", UINT64_MAX);
    if (version > kJsonVersion)
      throw Error(path_ + ": snapshot format version " + std::to_string(version) +
                  " is newer than supported version " + std::to_string(kJsonVersion));
    if (version == 0) throw Error(path_ + ": unsupported snapshot format version 0");
  }

  // An element of "traces", or with `view` of that view's array (which
  // carries a count).
  void add_trace(const json &trace, std::optional<View> view = std::nullopt) {
    const std::string where =
        view ? "views." + std::string(view_name(*view)) + "[" + std::to_string(view_index_) + "]"
             : "traces[" + std::to_string(trace_index_) + "]";
    if (!trace.is_object()) fail(where, "expected an object, got " + describe(trace));
    uint64_t domain =
        unsigned_field(required(trace, "domain", where), where + ".domain", UINT64_MAX);
    uint64_t size = unsigned_field(required(trace, "size", where), where + ".size", UINT64_MAX);
    uint64_t count = 1;
    auto count_field = trace.find("count");
    if (view || count_field != trace.end()) {
      count = unsigned_field(view ? required(trace, "count", where) : *count_field,
                             where + ".count", UINT64_MAX);
      if (count == 0) fail(where + ".count", "a count must be at least 1");
    }
    std::optional<uint64_t> total_nframe;
    auto total = trace.find("total_nframe");
    if (total != trace.end() && !total->is_null())
      total_nframe = unsigned_field(*total, where + ".total_nframe", UINT64_MAX);
    const json &frames = required(trace, "traceback", where);
    if (!frames.is_array())
      fail(where + ".traceback", "expected an array, got " + describe(frames));
    if (frames.empty()) fail(where + ".traceback", "a traceback needs at least one frame");
    frame_ids_.assign(frames.size(), 0);
    for (size_t i = 0; i < frames.size(); ++i) {
      const json &f = frames[i];
      const std::string fwhere = where + ".traceback[" + std::to_string(i) + "]";
      if (!f.is_object()) fail(fwhere, "expected an object, got " + describe(f));
      const json &filename = required(f, "filename", fwhere);
      if (!filename.is_string())
        fail(fwhere + ".filename", "expected a string, got " + describe(filename));
      uint32_t lineno =
          uint32_t(unsigned_field(required(f, "lineno", fwhere), fwhere + ".lineno", UINT32_MAX));
      // Optional display strings: absent or null is unknown ("").
      auto optional_string = [&](const char *key) -> std::string_view {
        auto it = f.find(key);
        if (it == f.end() || it->is_null()) return {};
        if (!it->is_string()) fail(fwhere + "." + key, "expected a string, got " + describe(*it));
        return it->get_ref<const std::string &>();
      };
      const std::string_view function = optional_string("function");
      const std::string_view directory = optional_string("directory");
      const std::string_view linkage_name = optional_string("linkage_name");
      bool inlined = false;
      if (auto it = f.find("inlined"); it != f.end() && !it->is_null()) {
        if (!it->is_boolean())
          fail(fwhere + ".inlined", "expected true or false, got " + describe(*it));
        inlined = it->get<bool>();
      }
      // The file is oldest first, the builder takes most recent first.
      frame_ids_[frames.size() - 1 - i] =
          builder_.add_frame(filename.get_ref<const std::string &>(), lineno, function, directory,
                             linkage_name, inlined);
    }
    const SnapshotBuilder::TracebackId tb =
        builder_.add_traceback(frame_ids_.data(), frame_ids_.size(), total_nframe);
    if (view) {
      builder_.add_view_traces(*view, domain, size, tb, count);
      ++view_index_;
      return;
    }
    builder_.add_traces(domain, size, tb, count);
    ++trace_index_;
  }

  void add_sample(const json &sample) {
    const std::string where = "timeline[" + std::to_string(timeline_.size()) + "]";
    if (!sample.is_object()) fail(where, "expected an object, got " + describe(sample));
    const json &time = required(sample, "time_s", where);
    if (!time.is_number()) fail(where + ".time_s", "expected a number, got " + describe(time));
    TimelineSample s;
    s.time_s = time.get<double>();
    const double previous = timeline_.empty() ? 0 : timeline_.back().time_s;
    if (!(s.time_s >= previous) || s.time_s > 1e12)
      fail(where + ".time_s", "time out of order or out of range, got " + describe(time));
    s.current = unsigned_field(required(sample, "current", where), where + ".current", UINT64_MAX);
    s.high = unsigned_field(required(sample, "high", where), where + ".high", UINT64_MAX);
    s.rss = unsigned_field(required(sample, "rss", where), where + ".rss", UINT64_MAX);
    timeline_.push_back(s);
  }

  // nlohmann parser callback.  Tracks the container path itself so a trace
  // is recognised only as a direct element of the top-level "traces" array.
  // Elements of "traces", of the arrays in "views" and of "timeline" are
  // converted as soon as they are complete and dropped from the DOM.
  bool in_traces() const { return stack_.size() == 2 && stack_[1] == 'a' && top_key_ == "traces"; }
  bool in_timeline() const {
    return stack_.size() == 2 && stack_[1] == 'a' && top_key_ == "timeline";
  }
  bool in_view() const {
    return stack_.size() == 3 && stack_[1] == 'o' && stack_[2] == 'a' && top_key_ == "views";
  }
  void add_view_element(const json &parsed) {
    bool known = false;
    const View view = view_of_key(view_key_, &known);
    if (known) add_trace(parsed, view);
  }

  bool on_event(json::parse_event_t event, json &parsed) {
    using E = json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        // A snapshot nests 6 levels; unknown keys may add a few.  Deeper
        // input is refused before it costs memory or stack.
        if (stack_.size() >= kMaxJsonDepth)
          throw Error(path_ + ": invalid JSON: nested deeper than " +
                      std::to_string(kMaxJsonDepth) + " levels");
        stack_.push_back(event == E::object_start ? 'o' : 'a');
        if (stack_.size() == 1 && event != E::object_start) fail("top level", "expected an object");
        if (stack_.size() == 2 && top_key_ == "traces") {
          if (event != E::array_start) fail("traces", "expected an array");
          if (seen_traces_) fail("traces", "appears twice");
          seen_traces_ = true;
        }
        if (stack_.size() == 2 && top_key_ == "views") {
          if (event != E::object_start) fail("views", "expected an object");
          if (seen_views_) fail("views", "appears twice");
          seen_views_ = true;
        }
        if (stack_.size() == 2 && top_key_ == "timeline") {
          if (event != E::array_start) fail("timeline", "expected an array");
          if (seen_timeline_) fail("timeline", "appears twice");
          seen_timeline_ = true;
        }
        if (stack_.size() == 3 && top_key_ == "views") {
          bool known = false;
          const View view = view_of_key(view_key_, &known);
          if (known) {
            if (event != E::array_start) fail("views." + view_key_, "expected an array");
            if (views_seen_ & (1u << int(view))) fail("views." + view_key_, "appears twice");
            views_seen_ |= 1u << int(view);
            builder_.add_view(view);
            view_index_ = 0;
          }
        }
        return true;
      case E::key:
        if (stack_.size() == 1) top_key_ = parsed.get<std::string>();
        if (stack_.size() == 2 && top_key_ == "views") view_key_ = parsed.get<std::string>();
        return true;
      case E::object_end:
      case E::array_end: {
        stack_.pop_back();
        if (in_traces()) {
          add_trace(parsed);
          return false;  // converted: drop it from the DOM
        }
        if (in_view()) {
          add_view_element(parsed);
          return false;
        }
        if (in_timeline()) {
          add_sample(parsed);
          return false;
        }
        return true;
      }
      case E::value:
        if (stack_.empty()) fail("top level", "expected an object, got " + describe(parsed));
        if (in_traces()) add_trace(parsed);  // not an object: fails with the index
        if (in_view()) add_view_element(parsed);
        if (in_timeline()) add_sample(parsed);
        if (stack_.size() == 1 && (top_key_ == "views" || top_key_ == "timeline"))
          fail(top_key_, "expected " + std::string(top_key_ == "views" ? "an object" : "an array") +
                             ", got " + describe(parsed));
        if (stack_.size() == 2 && top_key_ == "views") {
          bool known = false;
          view_of_key(view_key_, &known);
          if (known) fail("views." + view_key_, "expected an array, got " + describe(parsed));
        }
        if (stack_.size() == 1 && top_key_ == "traces")
          fail("traces", "expected an array, got " + describe(parsed));
        // Checked on sight, so a newer file fails on its version, not on a
        // trace field this reader doesn't understand.
        if (stack_.size() == 1 && top_key_ == "format") check_format(parsed);
        if (stack_.size() == 1 && top_key_ == "version") check_version(parsed);
        return true;
    }
    return true;
  }

  Snapshot finish(const json &root) {
    check_format(required(root, "format", "top level"));
    check_version(required(root, "version", "top level"));
    builder_.set_traceback_limit(uint32_t(unsigned_field(
        required(root, "traceback_limit", "top level"), "traceback_limit", UINT32_MAX)));
    required(root, "traces", "top level");
    if (auto it = root.find("traced_memory"); it != root.end() && !it->is_null()) {
      if (!it->is_object()) fail("traced_memory", "expected an object, got " + describe(*it));
      uint64_t current = unsigned_field(required(*it, "current", "traced_memory"),
                                        "traced_memory.current", UINT64_MAX);
      uint64_t peak =
          unsigned_field(required(*it, "peak", "traced_memory"), "traced_memory.peak", UINT64_MAX);
      builder_.set_traced_memory(current, peak);
    }
    auto optional_u64 = [&](const char *key) -> uint64_t {
      auto it = root.find(key);
      return it == root.end() || it->is_null() ? 0 : unsigned_field(*it, key, UINT64_MAX);
    };
    builder_.set_time(optional_u64("time_ns"), optional_u64("duration_ns"));
    builder_.set_sample_bytes(optional_u64("sample_bytes"));
    if (!timeline_.empty()) builder_.set_timeline(std::move(timeline_));
    return builder_.build();
  }

 private:
  const std::string &path_;
  SnapshotBuilder builder_;
  std::vector<SnapshotBuilder::FrameId> frame_ids_;
  std::vector<char> stack_;
  std::string top_key_;
  bool seen_traces_ = false;
  uint64_t trace_index_ = 0;
  bool seen_views_ = false, seen_timeline_ = false;
  uint32_t views_seen_ = 0;  // bit per View
  std::string view_key_;
  uint64_t view_index_ = 0;
  std::vector<TimelineSample> timeline_;
};

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line
// 1, column 2: ...": keep the explanation, on one line.
std::string one_line_reason(const char *what) {
  std::string s = what;
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find("] ");
    if (close != std::string::npos) s.erase(0, close + 2);
  }
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

}  // namespace

Snapshot load_json_from_memory(const std::string &path, std::string_view bytes) {
  if (bytes.empty()) throw Error(path + ": empty file, not a snapshot");
  JsonLoader loader(path);
  json root;
  try {
    root = json::parse(bytes, [&loader](int, json::parse_event_t event, json &parsed) {
      return loader.on_event(event, parsed);
    });
  } catch (const json::parse_error &e) {
    // nlohmann counts bytes read (1-based); report the 0-based offset.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    throw Error(path + ": invalid JSON at byte " + std::to_string(offset) + ": " +
                one_line_reason(e.what()));
  } catch (const json::exception &e) {
    throw Error(path + ": invalid JSON: " + one_line_reason(e.what()));
  }
  if (!root.is_object()) throw Error(path + ": top level: expected an object");
  return loader.finish(root);
}

}  // namespace model

void Snapshot::dump_json(const std::string &path) const {
  model::write_file_atomically(path, model::encode_json(*data_));
}

}  // namespace tracemalloc
