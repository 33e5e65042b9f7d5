// text.cpp - everything CPython's tracemalloc turns into text: _format_size,
// str() of Frame/Traceback/Statistic/StatisticDiff and Traceback.format()
// with linecache-like source reading.
#include "utf8.hpp"

#include <tracemalloc/snapshot.hpp>

#include <sys/stat.h>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace tracemalloc {

std::string format_size_float(double size, bool sign) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  char buf[64];
  for (int u = 0; u < 5; ++u) {
    if (std::fabs(size) < 100 && u != 0) {
      std::snprintf(buf, sizeof buf, sign ? "%+.1f %s" : "%.1f %s", size, units[u]);
      return buf;
    }
    if (std::fabs(size) < 10 * 1024 || u == 4) {
      std::snprintf(buf, sizeof buf, sign ? "%+.0f %s" : "%.0f %s", size, units[u]);
      return buf;
    }
    // Python's int / int is the correctly rounded quotient; converting to
    // double first and dividing by 1024 (exact) gives the same value.
    size /= 1024;
  }
  return {};  // not reached: the TiB step always returns
}

std::string format_size(int64_t size, bool sign) { return format_size_float(double(size), sign); }

std::string format_size_unsigned(uint64_t size, bool sign) {
  return format_size_float(double(size), sign);
}

namespace {

// Python's `size / count` for ints: the correctly rounded quotient.  A plain
// double division rounds twice once an operand exceeds 2^53.
double exact_quotient(uint64_t numerator, uint64_t denominator) {
  if (numerator == 0) return 0.0;
  int shift = __builtin_clzll(numerator) + 64;  // numerator << shift has bit 127 set
  unsigned __int128 n = (unsigned __int128)numerator << shift;
  unsigned __int128 q = n / denominator;  // >= 2^63: plenty of bits below the 53rd
  unsigned __int128 r = n % denominator;
  if (r != 0) q |= 1;  // sticky bit: breaks ties the right way
  return std::ldexp(double(q), -shift);
}

std::string average_suffix(uint64_t size, uint64_t count) {
  if (count == 0) return {};
  return ", average=" + format_size_float(exact_quotient(size, count), false);
}

}  // namespace

std::string Frame::str() const { return filename + ":" + std::to_string(lineno); }

std::string Traceback::str() const { return frames_.empty() ? std::string() : frames_[0].str(); }

std::string Statistic::str() const {
  return traceback.str() + ": size=" + format_size_unsigned(size, false) +
         ", count=" + std::to_string(count) + average_suffix(size, count);
}

std::string StatisticDiff::str() const {
  char count_diff_text[32];
  std::snprintf(count_diff_text, sizeof count_diff_text, "%+lld", (long long)count_diff);
  return traceback.str() + ": size=" + format_size_unsigned(size, false) + " (" +
         format_size(size_diff, true) + "), count=" + std::to_string(count) + " (" +
         count_diff_text + ")" + average_suffix(size, count);
}

// ------------------------------------------------------------- linecache

namespace {

// Source files are read in bounded steps: at most kMaxSourceLine bytes of
// a line are kept (a longer one is cut at a character boundary, with "..."),
// a file up to kWholeFileCache bytes has all its lines cached, a larger one
// only the lines asked for (each miss reads it again), and the cache is
// dropped when it holds more than kMaxCacheBytes.
constexpr size_t kMaxSourceLine = 4096;
constexpr int64_t kWholeFileCache = int64_t(16) << 20;
constexpr size_t kMaxCacheBytes = size_t(64) << 20;

struct SourceFile {
  int64_t mtime_ns = 0;
  int64_t size = -1;
  bool valid = true;       // decodes as UTF-8 (else no lines, like linecache)
  bool all_lines = false;  // `lines` holds every line
  std::unordered_map<uint32_t, std::string> lines;
  size_t bytes = 0;
};

// Cuts a line longer than kMaxSourceLine bytes before a UTF-8 character.
void cut_long_line(std::string &line) {
  if (line.size() <= kMaxSourceLine) return;
  size_t cut = kMaxSourceLine;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  line.resize(cut);
  line += "...";
}

// linecache reads with tokenize.open: UTF-8 (BOM skipped), and a file that
// fails to decode yields no lines at all.  PEP 263 coding cookies are not
// honoured: C and C++ sources don't carry them.  Lines split at universal
// newlines; newlines are ASCII, so no character spans two lines, and a
// chunk is decoded up to its last complete character.
void read_source(const std::string &path, SourceFile &file, uint32_t wanted) {
  std::FILE *in = std::fopen(path.c_str(), "rbe");
  file.lines.clear();
  file.bytes = 0;
  file.valid = in != nullptr;
  file.all_lines = in != nullptr && file.size <= kWholeFileCache;
  if (!in) return;
  char chunk[65536];
  std::string pending;  // the bytes of an incomplete character
  std::vector<uint32_t> scratch;
  std::string line;
  uint32_t lineno = 1;
  bool kept = file.all_lines || wanted == 1, after_cr = false, first_chunk = true;
  auto end_line = [&] {
    if (kept) {
      cut_long_line(line);
      file.bytes += line.size();
      file.lines.emplace(lineno, std::move(line));
    }
    line.clear();
    ++lineno;
    kept = file.all_lines || lineno == wanted;
  };
  size_t n;
  while (file.valid && (n = std::fread(chunk, 1, sizeof chunk, in)) > 0) {
    std::string_view data(chunk, n);
    if (first_chunk && data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
    first_chunk = false;
    // Validate `pending` + data up to its last complete character.
    size_t tail = 0;  // bytes at the end that may start an incomplete character
    for (size_t k = 1; k <= 3 && k <= data.size(); ++k) {
      unsigned char c = static_cast<unsigned char>(data[data.size() - k]);
      if ((c & 0xC0) == 0x80) continue;
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (len > k) tail = k;
      break;
    }
    std::string_view complete = data.substr(0, data.size() - tail);
    std::string head = pending;
    size_t head_from_data = 0;
    if (!pending.empty()) {
      // Complete the pending character with the continuation bytes that follow.
      while (head_from_data < complete.size() && head.size() < 4 &&
             (static_cast<unsigned char>(complete[head_from_data]) & 0xC0) == 0x80)
        head += complete[head_from_data++];
      if (!model::decode_utf8(head, scratch)) file.valid = false;
    }
    if (file.valid && !model::decode_utf8(complete.substr(head_from_data), scratch))
      file.valid = false;
    if (!file.valid) break;
    pending.assign(data.substr(data.size() - tail));
    for (size_t i = 0; i < data.size(); ++i) {
      const char c = data[i];
      if (c == '\n' && after_cr) {
        after_cr = false;
        continue;
      }
      after_cr = c == '\r';
      if (c == '\n' || c == '\r') {
        end_line();
      } else if (kept && line.size() <= kMaxSourceLine) {
        line += c;
      }
    }
  }
  if (!pending.empty()) file.valid = false;  // ends inside a character
  if (file.valid && !line.empty()) end_line();
  std::fclose(in);
  if (!file.valid) file.lines.clear(), file.bytes = 0;
}

std::string getline_like_linecache(const std::string &filename, const std::string &path,
                                   uint32_t lineno) {
  // linecache's rule for pseudo-files such as "<unknown>".
  if (filename.empty() || (filename.front() == '<' && filename.back() == '>')) return {};
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  int64_t mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (lineno < 1) return {};

  static std::mutex mutex;  // protects cache and cache_bytes
  static std::unordered_map<std::string, SourceFile> cache;
  static size_t cache_bytes = 0;
  std::lock_guard<std::mutex> lock(mutex);
  if (cache_bytes > kMaxCacheBytes) cache.clear(), cache_bytes = 0;
  SourceFile &file = cache[path];
  const bool changed = file.size != int64_t(st.st_size) || file.mtime_ns != mtime_ns;
  if (changed || (file.valid && !file.all_lines && !file.lines.count(lineno))) {
    cache_bytes -= std::min(cache_bytes, file.bytes);
    file.size = int64_t(st.st_size);
    file.mtime_ns = mtime_ns;
    SourceFile fresh;
    fresh.size = file.size;
    fresh.mtime_ns = mtime_ns;
    read_source(path, fresh, lineno);
    if (!changed && !fresh.all_lines) {
      // Keep the lines found before.
      for (auto &kv : file.lines) fresh.lines.emplace(kv.first, std::move(kv.second));
      fresh.bytes += file.bytes;
    }
    file = std::move(fresh);
    cache_bytes += file.bytes;
  }
  auto it = file.lines.find(lineno);
  return it == file.lines.end() ? std::string() : it->second;
}

// Python's str.isspace() for one code point.
bool is_python_space(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// str.strip() on valid UTF-8.
std::string python_strip(const std::string &line) {
  std::vector<uint32_t> cps;
  model::decode_utf8(line, cps);
  auto utf8_length = [](uint32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; };
  size_t first = 0, last = cps.size();
  while (first < last && is_python_space(cps[first])) ++first;
  while (last > first && is_python_space(cps[last - 1])) --last;
  size_t begin = 0, end = 0;
  for (size_t i = 0; i < last; ++i) {
    if (i < first) begin += utf8_length(cps[i]);
    end += utf8_length(cps[i]);
  }
  return line.substr(begin, end - begin);
}

}  // namespace

std::vector<std::string> Traceback::format(std::optional<int> limit, bool most_recent_first) const {
  const long n = long(frames_.size());
  long begin = 0, end = n;
  if (limit) {
    if (*limit > 0)
      begin = std::max(0L, n - *limit);  // self[-limit:]
    else
      end = *limit == 0 ? 0 : std::max(0L, n + *limit);  // self[:limit]; self[:0] is empty
  }
  std::vector<std::string> lines;
  for (long k = 0; k < end - begin; ++k) {
    const Frame &f = frames_[size_t(most_recent_first ? end - 1 - k : begin + k)];
    lines.push_back("  File \"" + f.filename + "\", line " + std::to_string(f.lineno));
    std::string path = f.filename;
    if (!f.directory.empty() && !f.filename.empty() && f.filename[0] != '/')
      path = f.directory + "/" + f.filename;
    std::string source = python_strip(getline_like_linecache(f.filename, path, f.lineno));
    if (!source.empty()) lines.push_back("    " + source);
  }
  return lines;
}

}  // namespace tracemalloc
