// binary_format.cpp - the binary snapshot dump (docs/file-formats.md).
#include "snapshot_builder.hpp"
#include "snapshot_data.hpp"

#include <algorithm>
#include <cstring>

namespace tracemalloc {
namespace model {

namespace {

constexpr char kMagic[8] = {'T', 'M', 'S', 'N', 'A', 'P', '\0', '\0'};
// 2 adds the VIEW and TIME sections and a frame's linkage name and inline
// flag; version 1 files still load (no views, 16-byte frames).
constexpr uint32_t kFormatVersion = 2;
constexpr size_t kHeaderSize = 24;  // magic, version, flags, body length
constexpr size_t kTrailerSize = 4;  // CRC-32

// Section tags, in file order.
constexpr uint32_t tag(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 | uint32_t(uint8_t(s[2])) << 16 |
         uint32_t(uint8_t(s[3])) << 24;
}
constexpr uint32_t kTagMeta = tag("META");
constexpr uint32_t kTagStrings = tag("STRS");
constexpr uint32_t kTagFrames = tag("FRMS");
constexpr uint32_t kTagTracebacks = tag("TBKS");
constexpr uint32_t kTagTraces = tag("TRCS");
// Optional, after the five above: one VIEW per view besides the live one,
// then TIME, the timeline.
constexpr uint32_t kTagView = tag("VIEW");
constexpr uint32_t kTagTimeline = tag("TIME");

constexpr size_t kFrameRecordSizeV1 = 16;
constexpr size_t kFrameRecordSize = 24;
constexpr size_t kTraceRecordSize = 28;
constexpr size_t kTimelineRecordSize = 32;

// CRC-32 as zlib.crc32 (reflected 0xEDB88320), slicing by 8 so a 30 MB dump
// is checked in a few milliseconds.
struct Crc32Tables {
  uint32_t t[8][256];
  Crc32Tables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
};

uint32_t crc32(const unsigned char *p, size_t n) {
  static const Crc32Tables tables;
  const auto &t = tables.t;
  uint32_t c = 0xFFFFFFFFu;
  while (n >= 8) {
    uint32_t lo =
        c ^ (uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24);
    uint32_t hi =
        uint32_t(p[4]) | uint32_t(p[5]) << 8 | uint32_t(p[6]) << 16 | uint32_t(p[7]) << 24;
    c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
        t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put_u32(std::string &out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = char(v >> (8 * i));
  out.append(b, 4);
}

void put_u64(std::string &out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = char(v >> (8 * i));
  out.append(b, 8);
}

void patch_u64(std::string &out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[at + i] = char(v >> (8 * i));
}

// Writes "tag, length placeholder", returns where the length goes.
size_t begin_section(std::string &out, uint32_t section_tag) {
  put_u32(out, section_tag);
  put_u32(out, 0);  // reserved
  size_t at = out.size();
  put_u64(out, 0);
  return at;
}

void end_section(std::string &out, size_t length_at) {
  patch_u64(out, length_at, out.size() - length_at - 8);
}

// Identical (domain, size, traceback) entries become one with the summed count:
// a runtime calling add_trace() per block yields a dump as small as one that
// used add_traces().
std::vector<TraceEntry> merge_entries(const TraceStore &entries,
                                      const std::vector<uint32_t> &traceback_remap) {
  std::vector<TraceEntry> out;
  out.reserve(entries.entry_count());
  size_t capacity = 16;
  while (capacity < entries.entry_count() * 2) capacity <<= 1;
  std::vector<uint32_t> slots(capacity, UINT32_MAX);  // index into out
  for (const TraceEntry e : entries) {
    uint32_t tb = traceback_remap[e.traceback];
    size_t i = mix64(e.domain * 0x9E3779B97F4A7C15ULL ^ mix64(e.size) ^ tb) & (capacity - 1);
    for (;; i = (i + 1) & (capacity - 1)) {
      if (slots[i] == UINT32_MAX) {
        slots[i] = uint32_t(out.size());
        out.push_back(TraceEntry{e.domain, e.size, e.count, tb});
        break;
      }
      TraceEntry &m = out[slots[i]];
      if (m.domain == e.domain && m.size == e.size && m.traceback == tb) {
        if (__builtin_add_overflow(m.count, e.count, &m.count))
          throw Error("snapshot: more than 2^64-1 identical traces");
        break;
      }
    }
  }
  return out;
}

// What a dump holds of the shared tables: only what the traces use, in
// first-use order, with each old id's new number (kUnused when not written).
// filter_traces() shares its parent's tables, and a filtered dump should not
// carry the unfiltered tracebacks.
struct UsedTables {
  static constexpr uint32_t kUnused = UINT32_MAX;
  std::vector<uint32_t> tb_order, frame_order, string_order;
  std::vector<uint32_t> tb_remap, frame_remap, string_remap;

  UsedTables(const Tables &t)
      : tb_remap(t.traceback_count(), kUnused),
        frame_remap(t.frames.size(), kUnused),
        string_remap(t.strings.size(), kUnused) {}

  void use_string(uint32_t s) {
    if (string_remap[s] != kUnused) return;
    string_remap[s] = uint32_t(string_order.size());
    string_order.push_back(s);
  }
  void use_frame(const Tables &t, uint32_t f) {
    if (frame_remap[f] != kUnused) return;
    frame_remap[f] = uint32_t(frame_order.size());
    frame_order.push_back(f);
    use_string(t.frames[f].filename);
    use_string(t.frames[f].function);
    use_string(t.frames[f].directory);
    use_string(t.frames[f].linkage_name);
  }
  void use_traceback(const Tables &t, uint32_t tb) {
    if (tb_remap[tb] != kUnused) return;
    tb_remap[tb] = uint32_t(tb_order.size());
    tb_order.push_back(tb);
    for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1]; ++i) use_frame(t, t.tb_frames[i]);
  }
};

UsedTables used_tables(const SnapshotData &data) {
  const Tables &t = *data.tables;
  UsedTables used(t);
  for (const TraceEntry e : data.traces) used.use_traceback(t, e.traceback);
  for (const auto &view : data.views)
    if (view)
      for (const TraceEntry e : *view) used.use_traceback(t, e.traceback);
  return used;
}

// The exact size of the dump: growing a 150 MB string by doubling costs more
// than the encoding itself.
size_t encoded_size(const Tables &t, const UsedTables &used, size_t trace_entries, size_t views,
                    size_t timeline_samples) {
  size_t size = kHeaderSize + kTrailerSize + 5 * 16 + 48 + 8 + 4 + 4 + 4 + 8 +
                used.frame_order.size() * kFrameRecordSize + used.tb_order.size() * 16 +
                trace_entries * kTraceRecordSize + views * (16 + 16) +
                (timeline_samples ? 16 + 8 + timeline_samples * kTimelineRecordSize : 0);
  for (uint32_t s : used.string_order) size += 4 + t.strings[s].size();
  for (uint32_t tb : used.tb_order) size += 4 * size_t(t.tb_begin[tb + 1] - t.tb_begin[tb]);
  return size;
}

void put_meta(std::string &out, const SnapshotData &data) {
  size_t at = begin_section(out, kTagMeta);
  put_u32(out, data.traceback_limit);
  put_u32(out, 0);
  put_u64(out, data.traced_current);
  put_u64(out, data.traced_peak);
  put_u64(out, data.time_ns);
  put_u64(out, data.duration_ns);
  // A sampled snapshot's rate (L = 48); exact ones keep L = 40.
  if (data.sample_bytes) put_u64(out, data.sample_bytes);
  end_section(out, at);
}

void put_strings(std::string &out, const Tables &t, const UsedTables &used) {
  size_t at = begin_section(out, kTagStrings);
  put_u32(out, uint32_t(used.string_order.size()));
  for (uint32_t s : used.string_order) {
    const std::string &str = t.strings[s];
    if (str.size() > UINT32_MAX) throw Error("snapshot: a string is longer than 4 GiB");
    put_u32(out, uint32_t(str.size()));
    out += str;
  }
  end_section(out, at);
}

void put_frames(std::string &out, const Tables &t, const UsedTables &used) {
  size_t at = begin_section(out, kTagFrames);
  put_u32(out, uint32_t(used.frame_order.size()));
  for (uint32_t f : used.frame_order) {
    const FrameRecord &r = t.frames[f];
    put_u32(out, used.string_remap[r.filename]);
    put_u32(out, r.lineno);
    put_u32(out, used.string_remap[r.function]);
    put_u32(out, used.string_remap[r.directory]);
    put_u32(out, used.string_remap[r.linkage_name]);
    put_u32(out, r.flags);
  }
  end_section(out, at);
}

void put_tracebacks(std::string &out, const Tables &t, const UsedTables &used) {
  size_t at = begin_section(out, kTagTracebacks);
  put_u32(out, uint32_t(used.tb_order.size()));
  for (uint32_t tb : used.tb_order) {
    put_u32(out, t.tb_has_total_nframe[tb] ? 1 : 0);
    put_u32(out, t.tb_begin[tb + 1] - t.tb_begin[tb]);
    put_u64(out, t.tb_total_nframe[tb]);
    for (uint32_t i = t.tb_begin[tb]; i < t.tb_begin[tb + 1]; ++i)
      put_u32(out, used.frame_remap[t.tb_frames[i]]);
  }
  end_section(out, at);
}

// The count, then kTraceRecordSize bytes per entry (TRCS and VIEW).
void put_trace_records(std::string &out, const std::vector<TraceEntry> &entries) {
  put_u64(out, entries.size());
  for (const TraceEntry e : entries) {
    put_u64(out, e.domain);
    put_u64(out, e.size);
    put_u64(out, e.count);
    put_u32(out, e.traceback);
  }
}

void put_traces(std::string &out, const std::vector<TraceEntry> &entries) {
  size_t at = begin_section(out, kTagTraces);
  put_trace_records(out, entries);
  end_section(out, at);
}

void put_view(std::string &out, View view, const std::vector<TraceEntry> &entries) {
  size_t at = begin_section(out, kTagView);
  put_u32(out, uint32_t(view));
  put_u32(out, 0);
  put_trace_records(out, entries);
  end_section(out, at);
}

uint64_t double_bits(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

void put_timeline(std::string &out, const std::vector<TimelineSample> &samples) {
  size_t at = begin_section(out, kTagTimeline);
  put_u64(out, samples.size());
  for (const TimelineSample &s : samples) {
    put_u64(out, double_bits(s.time_s));
    put_u64(out, s.current);
    put_u64(out, s.high);
    put_u64(out, s.rss);
  }
  end_section(out, at);
}

std::string encode(const SnapshotData &data) {
  const Tables &t = *data.tables;
  UsedTables used = used_tables(data);
  std::vector<TraceEntry> entries = merge_entries(data.traces, used.tb_remap);
  std::vector<std::pair<View, std::vector<TraceEntry>>> views;
  size_t view_entries = 0;
  for (int i = 0; i < SnapshotData::kOtherViews; ++i) {
    if (!data.views[i]) continue;
    views.emplace_back(View(i + 1), merge_entries(*data.views[i], used.tb_remap));
    view_entries += views.back().second.size();
  }

  std::string out;
  out.reserve(
      encoded_size(t, used, entries.size() + view_entries, views.size(), data.timeline.size()));
  out.append(kMagic, sizeof kMagic);
  put_u32(out, kFormatVersion);
  put_u32(out, 0);  // flags
  put_u64(out, 0);  // body length, patched below
  put_meta(out, data);
  put_strings(out, t, used);
  put_frames(out, t, used);
  put_tracebacks(out, t, used);
  put_traces(out, entries);
  for (const auto &[view, view_traces] : views) put_view(out, view, view_traces);
  if (!data.timeline.empty()) put_timeline(out, data.timeline);
  patch_u64(out, 16, out.size() - kHeaderSize);
  put_u32(out, crc32(reinterpret_cast<const unsigned char *>(out.data()), out.size()));
  return out;
}

// Bounds-checked little-endian reader; every failure names the file and the
// byte offset.
class Reader {
 public:
  Reader(const std::string &path, std::string_view bytes, size_t begin, size_t end)
      : path_(path),
        p_(reinterpret_cast<const unsigned char *>(bytes.data())),
        pos_(begin),
        end_(end) {}

  [[noreturn]] void fail(const std::string &what, size_t at) const {
    throw Error(path_ + ": corrupt snapshot at byte " + std::to_string(at) + ": " + what);
  }
  [[noreturn]] void fail(const std::string &what) const { fail(what, pos_); }

  void need(size_t n, const char *what) const {
    if (end_ - pos_ < n) fail(std::string(what) + " runs past the end of its section");
  }
  uint32_t u32(const char *what) {
    need(4, what);
    uint32_t v = load_le32(p_ + pos_);
    pos_ += 4;
    return v;
  }
  uint64_t u64(const char *what) {
    need(8, what);
    uint64_t v = load_le64(p_ + pos_);
    pos_ += 8;
    return v;
  }
  std::string_view bytes(size_t n, const char *what) {
    need(n, what);
    std::string_view v(reinterpret_cast<const char *>(p_ + pos_), n);
    pos_ += n;
    return v;
  }
  // n bytes the caller decodes itself, after one bounds check.
  const unsigned char *raw(size_t n, const char *what) {
    need(n, what);
    const unsigned char *v = p_ + pos_;
    pos_ += n;
    return v;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }

 private:
  const std::string &path_;
  const unsigned char *p_;
  size_t pos_, end_;
};

// The header: magic, a version this reader knows, no flags.  With the file's
// size, also a body length that matches it.  Returns the size the header
// announces (24 + B + 4) when `head` holds the whole header; *version_out
// (when given) gets the format version.
std::optional<uint64_t> check_header(const std::string &path, std::string_view head,
                                     std::optional<uint64_t> file_size,
                                     uint32_t *version_out = nullptr) {
  const size_t size = head.size();
  if (size == 0 && file_size.value_or(0) == 0) throw Error(path + ": empty file, not a snapshot");
  if (std::memcmp(head.data(), kMagic, std::min(size, sizeof kMagic)) != 0)
    throw Error(path + ": not a tracemalloc snapshot (bad magic)");
  if (size < kHeaderSize || (file_size && *file_size < kHeaderSize + kTrailerSize))
    throw Error(path + ": truncated snapshot: " + std::to_string(file_size.value_or(size)) +
                " bytes, shorter than the header");
  Reader header(path, head, sizeof kMagic, kHeaderSize);
  uint32_t version = header.u32("version");
  if (version > kFormatVersion)
    throw Error(path + ": snapshot format version " + std::to_string(version) +
                " is newer than supported version " + std::to_string(kFormatVersion));
  if (version == 0) throw Error(path + ": unsupported snapshot format version 0");
  if (version_out) *version_out = version;
  uint32_t flags = header.u32("flags");
  if (flags != 0) throw Error(path + ": unsupported snapshot flags " + std::to_string(flags));
  const uint64_t body_length = header.u64("body length");
  if (body_length > UINT64_MAX - kHeaderSize - kTrailerSize)
    throw Error(path + ": corrupt snapshot: body length " + std::to_string(body_length) +
                " out of range");
  const uint64_t expected = kHeaderSize + body_length + kTrailerSize;
  if (file_size && *file_size != expected) {
    if (*file_size < expected)
      throw Error(path + ": truncated snapshot: " + std::to_string(*file_size) +
                  " bytes, expected " + std::to_string(expected));
    throw Error(path + ": corrupt snapshot: " + std::to_string(*file_size) + " bytes, expected " +
                std::to_string(expected) + " (trailing garbage)");
  }
  return expected;
}

// The envelope around the sections: the header, then the body's CRC-32.
// Returns where the body ends; *version_out gets the format version.
size_t check_envelope(const std::string &path, std::string_view bytes, uint32_t *version_out) {
  const size_t size = bytes.size();
  check_header(path, bytes.substr(0, kHeaderSize), uint64_t(size), version_out);
  const size_t body_end = size - kTrailerSize;
  Reader trailer(path, bytes, body_end, size);
  uint32_t stored_crc = trailer.u32("checksum");
  uint32_t actual_crc = crc32(reinterpret_cast<const unsigned char *>(bytes.data()), body_end);
  if (stored_crc != actual_crc) throw Error(path + ": corrupt snapshot: checksum mismatch");
  return body_end;
}

// Reads the sections of a checked body into a SnapshotBuilder.  Each section
// refers to the ones before it by index (frames to strings, tracebacks to
// frames, traces to tracebacks); every index is checked against them.
class BodyReader {
 public:
  BodyReader(const std::string &path, std::string_view bytes, std::shared_ptr<const FileBytes> file,
             uint32_t version)
      : path_(path), bytes_(bytes), file_(std::move(file)), version_(version) {}

  Snapshot read(size_t body_end) {
    const uint32_t expected[] = {kTagMeta, kTagStrings, kTagFrames, kTagTracebacks, kTagTraces};
    size_t next = 0;
    Reader body(path_, bytes_, kHeaderSize, body_end);
    while (body.remaining() > 0) {
      size_t section_start = body.pos();
      uint32_t section_tag = body.u32("section tag");
      body.u32("section reserved field");
      uint64_t length = body.u64("section length");
      if (length > body.remaining())
        body.fail("section length " + std::to_string(length) + " runs past the end", section_start);
      Reader s(path_, bytes_, body.pos(), body.pos() + size_t(length));
      body.bytes(size_t(length), "section");
      if (next < 5 && section_tag != expected[next]) {
        bool known = section_tag == kTagView || section_tag == kTagTimeline;
        for (uint32_t t : expected) known |= t == section_tag;
        if (known) body.fail("section out of order or repeated", section_start);
        continue;  // unknown sections are extensions a reader may skip
      }
      if (next >= 5) {
        if (section_tag == kTagView) {
          if (seen_timeline_) body.fail("VIEW section after the timeline", section_start);
          read_view(s);
        } else if (section_tag == kTagTimeline) {
          if (seen_timeline_) body.fail("section out of order or repeated", section_start);
          seen_timeline_ = true;
          read_timeline(s);
        } else {
          bool known = false;
          for (uint32_t t : expected) known |= t == section_tag;
          if (known) body.fail("section out of order or repeated", section_start);
          continue;
        }
        if (s.remaining() != 0) s.fail("unexpected bytes at the end of the section");
        continue;
      }
      ++next;
      read_section(section_tag, s);
      if (s.remaining() != 0) s.fail("unexpected bytes at the end of the section");
    }
    if (next < 5) throw Error(path_ + ": corrupt snapshot: missing sections");
    if (trace_table_)
      builder_.data_in_progress().traces.adopt_file_table(
          std::move(file_), trace_table_, trace_table_size_,
          std::make_shared<const std::vector<uint32_t>>(std::move(tracebacks_)));
    return builder_.build();
  }

 private:
  void read_section(uint32_t section_tag, Reader &s) {
    if (section_tag == kTagMeta)
      read_meta(s);
    else if (section_tag == kTagStrings)
      read_strings(s);
    else if (section_tag == kTagFrames)
      read_frames(s);
    else if (section_tag == kTagTracebacks)
      read_tracebacks(s);
    else
      read_traces(s);
  }

  void read_meta(Reader &s) {
    builder_.set_traceback_limit(s.u32("traceback_limit"));
    s.u32("meta reserved field");
    uint64_t current = s.u64("traced current");
    uint64_t peak = s.u64("traced peak");
    builder_.set_traced_memory(current, peak);
    if (version_ >= 2) {
      uint64_t time_ns = s.u64("snapshot time");
      uint64_t duration_ns = s.u64("tracing duration");
      builder_.set_time(time_ns, duration_ns);
      if (s.remaining() != 0) {
        const uint64_t sample_bytes = s.u64("sample rate");
        if (sample_bytes == 0) s.fail("sample rate 0 (an exact snapshot has no such field)");
        builder_.set_sample_bytes(sample_bytes);
      }
    }
  }

  void read_strings(Reader &s) {
    uint32_t n = s.u32("string count");
    if (n > s.remaining() / 4)
      s.fail("string count " + std::to_string(n) + " too large for its section");
    strings_.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t len = s.u32("string length");
      strings_.push_back(builder_.add_string(s.bytes(len, "string")));
    }
  }

  void read_frames(Reader &s) {
    const size_t record_size = version_ >= 2 ? kFrameRecordSize : kFrameRecordSizeV1;
    uint32_t n = s.u32("frame count");
    if (n > s.remaining() / record_size)
      s.fail("frame count " + std::to_string(n) + " too large for its section");
    frames_.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      size_t at = s.pos();
      uint32_t filename = s.u32("frame"), lineno = s.u32("frame"), function = s.u32("frame"),
               directory = s.u32("frame");
      // Version 1 frames have no linkage name (the builder's "") and no flags.
      const bool extended = version_ >= 2;
      const uint32_t linkage_name = extended ? s.u32("frame") : 0;
      const uint32_t flags = extended ? s.u32("frame") : 0;
      if (flags & ~kFrameInlined)
        s.fail("frame " + std::to_string(i) + ": unknown flags " + std::to_string(flags), at);
      const uint32_t ids[] = {filename, function, directory, linkage_name};
      for (size_t k = 0; k < (extended ? 4 : 3); ++k)
        if (const uint32_t id = ids[k]; id >= strings_.size())
          s.fail("frame " + std::to_string(i) + ": string id " + std::to_string(id) +
                     " out of range (" + std::to_string(strings_.size()) + " strings)",
                 at);
      frames_.push_back(builder_.add_frame_by_ids(
          strings_[filename], lineno, strings_[function], strings_[directory],
          extended ? strings_[linkage_name] : 0, (flags & kFrameInlined) != 0));
    }
  }

  void read_tracebacks(Reader &s) {
    uint32_t n = s.u32("traceback count");
    if (n > s.remaining() / 20)
      s.fail("traceback count " + std::to_string(n) + " too large for its section");
    tracebacks_.reserve(n);
    std::vector<SnapshotBuilder::FrameId> oldest_first;
    for (uint32_t i = 0; i < n; ++i) {
      size_t at = s.pos();
      uint32_t has_total = s.u32("traceback");
      uint32_t nframes = s.u32("traceback");
      uint64_t total = s.u64("traceback");
      if (has_total > 1) s.fail("traceback " + std::to_string(i) + ": bad total_nframe flag", at);
      if (nframes == 0) s.fail("traceback " + std::to_string(i) + " has no frames", at);
      if (nframes > s.remaining() / 4)
        s.fail("traceback " + std::to_string(i) + " runs past its section", at);
      oldest_first.resize(nframes);
      for (uint32_t k = 0; k < nframes; ++k) {
        uint32_t id = s.u32("traceback frame id");
        if (id >= frames_.size())
          s.fail("traceback " + std::to_string(i) + ": frame id " + std::to_string(id) +
                     " out of range (" + std::to_string(frames_.size()) + " frames)",
                 s.pos() - 4);
        oldest_first[k] = frames_[id];
      }
      tracebacks_.push_back(builder_.add_traceback_oldest_first(
          oldest_first.data(), nframes, has_total ? std::optional<uint64_t>(total) : std::nullopt));
    }
  }

  void read_traces(Reader &s) {
    uint64_t n = s.u64("trace count");
    if (n > s.remaining() / kTraceRecordSize)
      s.fail("trace count " + std::to_string(n) + " too large for its section");
    // One bounds check for the whole table: 10M records are most of the file.
    const size_t table_at = s.pos();
    const unsigned char *table = s.raw(size_t(n) * kTraceRecordSize, "trace table");
    check_trace_table(s, table, table_at, n);
    if (file_) {
      // Read in place; ids are translated when iterated (TraceStore).
      trace_table_ = table;
      trace_table_size_ = size_t(n);
      return;
    }
    builder_.reserve_traces(size_t(n));
    const unsigned char *record = table;
    for (uint64_t i = 0; i < n; ++i, record += kTraceRecordSize)
      builder_.add_traces(load_le64(record), load_le64(record + 8),
                          tracebacks_[load_le32(record + 24)], load_le64(record + 16));
  }

  // A view's traces, copied (views are small next to the live traces' table).
  void read_view(Reader &s) {
    const size_t at = s.pos();
    const uint32_t id = s.u32("view id");
    s.u32("view reserved field");
    if (id < 1 || id > uint32_t(SnapshotData::kOtherViews))
      s.fail("unknown view " + std::to_string(id), at);
    const View view = View(id);
    if (views_seen_ & (1u << id)) s.fail(std::string(view_name(view)) + " view repeated", at);
    views_seen_ |= 1u << id;
    uint64_t n = s.u64("view trace count");
    if (n > s.remaining() / kTraceRecordSize)
      s.fail("view trace count " + std::to_string(n) + " too large for its section");
    const size_t table_at = s.pos();
    const unsigned char *table = s.raw(size_t(n) * kTraceRecordSize, "view trace table");
    check_trace_table(s, table, table_at, n);
    builder_.add_view(view);
    const unsigned char *record = table;
    for (uint64_t i = 0; i < n; ++i, record += kTraceRecordSize)
      builder_.add_view_traces(view, load_le64(record), load_le64(record + 8),
                               tracebacks_[load_le32(record + 24)], load_le64(record + 16));
  }

  // Samples in time order, with finite non-negative times; nothing of a
  // timeline that fails is kept.
  void read_timeline(Reader &s) {
    uint64_t n = s.u64("timeline sample count");
    if (n > s.remaining() / kTimelineRecordSize)
      s.fail("timeline sample count " + std::to_string(n) + " too large for its section");
    std::vector<TimelineSample> samples(static_cast<size_t>(n));
    double previous = 0;
    for (uint64_t i = 0; i < n; ++i) {
      const size_t at = s.pos();
      const uint64_t bits = s.u64("timeline sample");
      TimelineSample &sample = samples[size_t(i)];
      std::memcpy(&sample.time_s, &bits, sizeof bits);
      sample.current = s.u64("timeline sample");
      sample.high = s.u64("timeline sample");
      sample.rss = s.u64("timeline sample");
      if (!(sample.time_s >= previous) || sample.time_s > 1e12)
        s.fail("timeline sample " + std::to_string(i) + ": time out of order or not finite", at);
      previous = sample.time_s;
    }
    builder_.set_timeline(std::move(samples));
  }

  // Counts >= 1 and known traceback ids, which TraceStore relies on.
  void check_trace_table(const Reader &s, const unsigned char *table, size_t table_at,
                         uint64_t n) const {
    const uint32_t known_tracebacks = uint32_t(tracebacks_.size());
    const unsigned char *record = table;
    for (uint64_t i = 0; i < n; ++i, record += kTraceRecordSize) {
      uint64_t count = load_le64(record + 16);
      uint32_t tb = load_le32(record + 24);
      if (tb >= known_tracebacks || count == 0) {
        size_t at = table_at + size_t(i) * kTraceRecordSize;
        if (count == 0) s.fail("trace " + std::to_string(i) + ": count 0", at);
        s.fail("trace " + std::to_string(i) + ": traceback id " + std::to_string(tb) +
                   " out of range (" + std::to_string(tracebacks_.size()) + " tracebacks)",
               at);
      }
    }
  }

  const std::string &path_;
  std::string_view bytes_;
  std::shared_ptr<const FileBytes> file_;
  uint32_t version_;
  SnapshotBuilder builder_;
  std::vector<SnapshotBuilder::StringId> strings_;
  std::vector<SnapshotBuilder::FrameId> frames_;
  std::vector<SnapshotBuilder::TracebackId> tracebacks_;
  const unsigned char *trace_table_ = nullptr;
  size_t trace_table_size_ = 0;
  uint32_t views_seen_ = 0;  // bit per View
  bool seen_timeline_ = false;
};

}  // namespace

std::optional<uint64_t> check_binary_head(const std::string &path, std::string_view head,
                                          std::optional<uint64_t> size) {
  // Standard input shorter than a header has ended: its size is known.
  if (head.size() < kHeaderSize && !size) size = head.size();
  return check_header(path, head, size);
}

Snapshot load_binary_from_memory(const std::string &path, std::string_view bytes,
                                 std::shared_ptr<const FileBytes> file) {
  uint32_t version = 0;
  size_t body_end = check_envelope(path, bytes, &version);
  return BodyReader(path, bytes, std::move(file), version).read(body_end);
}

}  // namespace model

void Snapshot::dump(const std::string &path) const {
  model::write_file_atomically(path, model::encode(*data_));
}

}  // namespace tracemalloc
