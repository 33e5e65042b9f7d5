// Binary dump and JSON snapshot: round trips and every kind of bad input.
#include <tracemalloc/snapshot.hpp>

#include "model/file_io.hpp"
#include "model/snapshot_builder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

using namespace tracemalloc;

namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// zlib.crc32, to forge files whose checksum is right but whose tables are not.
uint32_t crc32(const std::string &s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

std::string with_fixed_crc(std::string bytes) {
  bytes.resize(bytes.size() - 4);
  uint32_t c = crc32(bytes);
  for (int i = 0; i < 4; ++i) bytes.push_back(char(c >> (8 * i)));
  return bytes;
}

class ModelFormats : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/tm-model-formats-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override {
    if (DIR *d = opendir(dir_.c_str())) {
      while (dirent *e = readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
          std::remove((dir_ + "/" + e->d_name).c_str());
      closedir(d);
    }
    rmdir(dir_.c_str());
  }
  std::string path(const std::string &name) const { return dir_ + "/" + name; }
  size_t files_in_dir() const {
    size_t n = 0;
    if (DIR *d = opendir(dir_.c_str())) {
      while (dirent *e = readdir(d)) n += e->d_name[0] != '.';
      closedir(d);
    }
    return n;
  }

  static Snapshot sample() {
    SnapshotBuilder b;
    SnapshotBuilder::FrameId main7 = b.add_frame("main.c", 7, "main", "/src");
    SnapshotBuilder::FrameId util = b.add_frame("lib/\xc3\xa9t\xc3\xa9.c", 12, "ns::util_alloc()",
                                                "/src", "_ZN2ns10util_allocEv", true);
    SnapshotBuilder::FrameId quote = b.add_frame("we\"ird\\name\n.c", 4294967295u);
    SnapshotBuilder::FrameId tb1[] = {util, main7};  // most recent first
    SnapshotBuilder::TracebackId a = b.add_traceback(tb1, 2, 3);
    SnapshotBuilder::TracebackId c = b.add_traceback(&quote, 1, std::nullopt);
    b.add_traces(0, 4096, a, 3);
    b.add_trace(7, UINT64_MAX, c);
    b.add_trace(UINT64_MAX, 0, a);
    b.set_traceback_limit(5);
    b.set_traced_memory(123456789, 987654321);
    b.set_time(1796396344272179085u, 61874847);
    return b.build();
  }

  static void expect_same(const Snapshot &a, const Snapshot &b) {
    EXPECT_EQ(a.trace_count(), b.trace_count());
    EXPECT_EQ(a.traceback_limit(), b.traceback_limit());
    EXPECT_EQ(a.time_ns(), b.time_ns());
    EXPECT_EQ(a.duration_ns(), b.duration_ns());
    for (KeyType k : {KeyType::Filename, KeyType::Lineno, KeyType::Traceback}) {
      std::vector<Statistic> sa = a.statistics(k), sb = b.statistics(k);
      ASSERT_EQ(sa.size(), sb.size());
      for (size_t i = 0; i < sa.size(); ++i) {
        EXPECT_EQ(sa[i].str(), sb[i].str());
        EXPECT_EQ(sa[i].traceback, sb[i].traceback);
      }
    }
    auto key = [](const Trace &t) {
      std::string s =
          std::to_string(t.domain) + "/" + std::to_string(t.size) + "/" +
          (t.traceback->total_nframe() ? std::to_string(*t.traceback->total_nframe()) : "none");
      for (const Frame &f : *t.traceback)
        s += "|" + f.filename + ":" + std::to_string(f.lineno) + ":" + f.function + ":" +
             f.directory + ":" + f.linkage_name + (f.inlined ? ":inlined" : "");
      return s;
    };
    std::vector<std::string> ka, kb;
    for (const Trace &t : a.traces()) ka.push_back(key(t));
    for (const Trace &t : b.traces()) kb.push_back(key(t));
    std::sort(ka.begin(), ka.end());
    std::sort(kb.begin(), kb.end());
    EXPECT_EQ(ka, kb);
  }

  // Expects an Error whose message is one line and contains `needle`.
  template <typename F>
  static void expect_error(F f, const std::string &needle) {
    try {
      f();
      ADD_FAILURE() << "no error, expected: " << needle;
    } catch (const Error &e) {
      std::string what = e.what();
      EXPECT_NE(what.find(needle), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }

  std::string dir_;
};

TEST_F(ModelFormats, BinaryRoundTrip) {
  Snapshot s = sample();
  s.dump(path("s.tmsnap"));
  Snapshot loaded = Snapshot::load(path("s.tmsnap"));
  expect_same(s, loaded);
  EXPECT_EQ(loaded.traced_current(), 123456789u);
  EXPECT_EQ(loaded.traced_peak(), 987654321u);
  expect_same(s, Snapshot::load_binary(path("s.tmsnap")));
  struct stat st;
  ASSERT_EQ(stat(path("s.tmsnap").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(files_in_dir(), 1u);  // no temp file left behind
}

TEST_F(ModelFormats, JsonRoundTrip) {
  Snapshot s = sample();
  s.dump_json(path("s.json"));
  Snapshot loaded = Snapshot::load(path("s.json"));
  expect_same(s, loaded);
  EXPECT_EQ(loaded.traced_current(), 123456789u);
  expect_same(s, Snapshot::load_json(path("s.json")));
  // And the JSON is plain JSON in the documented shape.
  nlohmann::json j = nlohmann::json::parse(read_file(path("s.json")));
  EXPECT_EQ(j["format"], "tracemalloc-snapshot");
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["traceback_limit"], 5);
  // Identical traces are one object with their count.
  uint64_t traces = 0;
  for (const nlohmann::json &t : j["traces"]) traces += t.value("count", uint64_t(1));
  EXPECT_EQ(traces, 5u);
  const nlohmann::json &first = j["traces"][0];
  EXPECT_EQ(first["size"], 4096);
  EXPECT_EQ(first["total_nframe"], 3);
  EXPECT_EQ(first["traceback"][0]["filename"], "main.c");  // oldest first
  EXPECT_EQ(first["traceback"][0]["function"], "main");
  EXPECT_EQ(first["traceback"][1]["filename"], "lib/\xc3\xa9t\xc3\xa9.c");
}

TEST_F(ModelFormats, JsonExampleFromTheSpecLoads) {
  write_file(
      path("ex.json"),
      R"({"format": "tracemalloc-snapshot", "version": 1, "traceback_limit": 5, "extra": [1, {"x": 2}],
   "traces": [{"domain": 0, "size": 4096, "total_nframe": 3, "unknown": true,
               "traceback": [{"filename": "main.c", "lineno": 40}, {"filename": "util.c", "lineno": 12}]},
              {"domain": 0, "size": 18446744073709551615, "total_nframe": null,
               "traceback": [{"filename": "main.c", "lineno": 40}]}]})");
  Snapshot s = Snapshot::load(path("ex.json"));
  EXPECT_EQ(s.trace_count(), 2u);
  EXPECT_EQ(s.traced_current(), 0u);
  std::vector<Statistic> st = s.statistics(KeyType::Lineno);
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].str(), "main.c:40: size=16777216 TiB, count=1, average=16777216 TiB");
  EXPECT_EQ(st[1].str(), "util.c:12: size=4096 B, count=1, average=4096 B");  // most recent = last
}

TEST_F(ModelFormats, FilteredDumpKeepsOnlyUsedTables) {
  Snapshot s = sample();
  Filter only_main;
  only_main.filename_pattern = "main.c";
  only_main.all_frames = true;
  Snapshot f = s.filter_traces({only_main});
  f.dump(path("f.tmsnap"));
  s.dump(path("s.tmsnap"));
  EXPECT_LT(read_file(path("f.tmsnap")).size(), read_file(path("s.tmsnap")).size());
  expect_same(f, Snapshot::load(path("f.tmsnap")));
}

TEST_F(ModelFormats, EmptySnapshotRoundTrips) {
  Snapshot().dump(path("e.tmsnap"));
  EXPECT_EQ(Snapshot::load(path("e.tmsnap")).trace_count(), 0u);
  Snapshot().dump_json(path("e.json"));
  EXPECT_EQ(Snapshot::load(path("e.json")).trace_count(), 0u);
}

TEST_F(ModelFormats, DumpErrorsRemoveTheTempFile) {
  expect_error(
      [&] { sample().dump(path("missing/dir/s.tmsnap")); },
      "cannot write snapshot to " + path("missing/dir/s.tmsnap") + ": No such file or directory");
  mkdir(path("adir").c_str(), 0700);
  write_file(path("adir/keep"), "x");
  expect_error([&] { sample().dump(path("adir")); },
               "cannot write snapshot to " + path("adir") + ": ");
  EXPECT_EQ(files_in_dir(), 1u);  // only adir
  std::remove(path("adir/keep").c_str());
  rmdir(path("adir").c_str());
}

TEST_F(ModelFormats, BinaryBadInput) {
  sample().dump(path("good"));
  const std::string good = read_file(path("good"));
  auto load_bytes = [&](const std::string &bytes) {
    write_file(path("bad"), bytes);
    return Snapshot::load(path("bad"));
  };
  const std::string p = path("bad");
  expect_error([&] { Snapshot::load(path("nope")); },
               path("nope") + ": cannot open: No such file or directory");
  expect_error([&] { Snapshot::load(dir_); }, dir_ + ": cannot read: Is a directory");
  expect_error([&] { load_bytes(""); }, p + ": empty file");
  expect_error([&] { load_bytes("TMSNA"); }, p + ": truncated snapshot");
  expect_error([&] { load_bytes("GIF89a..............................."); },
               p + ": not a tracemalloc snapshot (bad magic)");
  for (size_t cut : {size_t(10), size_t(30), good.size() / 2, good.size() - 1})
    expect_error([&] { load_bytes(good.substr(0, cut)); }, p + ": truncated snapshot");
  expect_error([&] { load_bytes(good + "x"); }, p + ": corrupt snapshot");

  std::string newer = good;
  newer[8] = 7;
  expect_error([&] { load_bytes(newer); },
               p + ": snapshot format version 7 is newer than supported version 2");
  std::string zero = good;
  zero[8] = 0;
  expect_error([&] { load_bytes(zero); }, p + ": unsupported snapshot format version 0");

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  expect_error([&] { load_bytes(flipped); }, p + ": corrupt snapshot: checksum mismatch");

  // A trace pointing at a traceback that does not exist, checksum intact: the
  // last record's traceback id is the 4 bytes before the CRC.
  std::string bad_index = good;
  bad_index[good.size() - 8] = 99;
  expect_error([&] { load_bytes(with_fixed_crc(bad_index)); },
               "traceback id 99 out of range (2 tracebacks)");
  std::string zero_count = good;
  for (int i = 0; i < 8; ++i) zero_count[good.size() - 16 + i] = 0;
  expect_error([&] { load_bytes(with_fixed_crc(zero_count)); }, "count 0");
}

TEST_F(ModelFormats, JsonBadInput) {
  const std::string p = path("bad.json");
  auto load_text = [&](const std::string &text) {
    write_file(p, text);
    return Snapshot::load(p);
  };
  const std::string head =
      R"({"format": "tracemalloc-snapshot", "version": 1, "traceback_limit": 1, "traces": [)";
  auto with_trace = [&](const std::string &trace) { return head + trace + "]}"; };
  const std::string frame = R"([{"filename": "a.c", "lineno": 1}])";

  expect_error([&] { load_text("{\"format\": \"tracemalloc-snapshot\", \"version\": 1,, }"); },
               p + ": invalid JSON at byte 48: ");
  expect_error([&] { load_text(head); }, p + ": invalid JSON at byte");
  expect_error([&] { load_text("  {"); }, p + ": invalid JSON at byte 3");
  expect_error([&] { load_text("[1, 2]"); }, p + ": not a tracemalloc snapshot");
  expect_error([&] { load_text(R"({"version": 1, "traceback_limit": 1, "traces": []})"); },
               p + ": top level: missing field 'format'");
  expect_error([&] { load_text(R"({"format": "other", "version": 1})"); },
               p + ": format: expected \"tracemalloc-snapshot\", got \"other\"");
  expect_error(
      [&] {
        load_text(R"({"format": "tracemalloc-snapshot", "version": 7, "traces": [{"x": 1}]})");
      },
      p + ": snapshot format version 7 is newer than supported version 2");
  expect_error(
      [&] { load_text(R"({"format": "tracemalloc-snapshot", "version": 1, "traces": []})"); },
      p + ": top level: missing field 'traceback_limit'");
  expect_error(
      [&] {
        load_text(R"({"format": "tracemalloc-snapshot", "version": 1, "traceback_limit": 1})");
      },
      p + ": top level: missing field 'traces'");
  expect_error(
      [&] {
        load_text(
            R"({"format": "tracemalloc-snapshot", "version": 1, "traceback_limit": 1, "traces": {}})");
      },
      p + ": traces: expected an array");
  expect_error([&] { load_text(with_trace("5")); }, p + ": traces[0]: expected an object, got 5");
  expect_error(
      [&] {
        load_text(with_trace(R"({"domain": 0, "size": 1, "traceback": )" + frame + "}, [1]"));
      },
      p + ": traces[1]: expected an object");
  expect_error([&] { load_text(with_trace(R"({"domain": 0, "traceback": )" + frame + "}")); },
               p + ": traces[0]: missing field 'size'");
  expect_error(
      [&] { load_text(with_trace(R"({"domain": 0, "size": -5, "traceback": )" + frame + "}")); },
      p + ": traces[0].size: expected an integer in 0..18446744073709551615, got -5");
  expect_error(
      [&] { load_text(with_trace(R"({"domain": 0, "size": 1.5, "traceback": )" + frame + "}")); },
      p + ": traces[0].size: expected an integer in 0..18446744073709551615, got 1.5");
  expect_error(
      [&] {
        load_text(with_trace(R"({"domain": 0, "size": 18446744073709551616, "traceback": )" +
                             frame + "}"));
      },
      p + ": traces[0].size: expected an integer");
  expect_error(
      [&] { load_text(with_trace(R"({"domain": 0, "size": "12", "traceback": )" + frame + "}")); },
      p + ": traces[0].size: expected an integer in 0..18446744073709551615, got \"12\"");
  expect_error([&] { load_text(with_trace(R"({"domain": 0, "size": 1, "traceback": []})")); },
               p + ": traces[0].traceback: a traceback needs at least one frame");
  expect_error(
      [&] {
        load_text(with_trace(R"({"domain": 0, "size": 1, "total_nframe": "x", "traceback": )" +
                             frame + "}"));
      },
      p + ": traces[0].total_nframe: expected an integer");
  expect_error(
      [&] {
        load_text(
            with_trace(R"({"domain": 0, "size": 1, "traceback": [{"filename": 3, "lineno": 1}]})"));
      },
      p + ": traces[0].traceback[0].filename: expected a string, got 3");
  expect_error(
      [&] {
        load_text(with_trace(
            R"({"domain": 0, "size": 1, "traceback": [{"filename": "a", "lineno": 4294967296}]})"));
      },
      p + ": traces[0].traceback[0].lineno: expected an integer in 0..4294967295, got 4294967296");
  expect_error(
      [&] {
        load_text(with_trace(R"({"domain": 0, "size": 1, "traceback": [{"filename": "a"}]})"));
      },
      p + ": traces[0].traceback[0]: missing field 'lineno'");
}

}  // namespace

// A file may count more identical traces than a vector can hold: traces()
// and trace_count() throw the API's Error, never std::length_error or a
// wrapped count.
TEST_F(ModelFormats, HugeCountsAreErrors) {
  SnapshotBuilder b;
  const auto f = b.add_frame("a.c", 1);
  const auto tb = b.add_traceback(&f, 1, std::nullopt);
  b.add_traces(0, 16, tb, uint64_t(1) << 62);
  Snapshot s = b.build();
  EXPECT_THROW(s.traces(), tracemalloc::Error);
  EXPECT_EQ(s.trace_count(), size_t(1) << 62);
  SnapshotBuilder b2;
  const auto g = b2.add_frame("a.c", 1);
  const auto tb2 = b2.add_traceback(&g, 1, std::nullopt);
  b2.add_traces(0, 16, tb2, uint64_t(1) << 63);
  b2.add_traces(0, 32, tb2, uint64_t(1) << 63);
  Snapshot wraps = b2.build();
  EXPECT_THROW(wraps.trace_count(), tracemalloc::Error);
}

// Names of 245 to 255 bytes can be written: the temporary name is never
// longer than the longest name the final one may have.
TEST_F(ModelFormats, LongestNamesCanBeWritten) {
  for (size_t length : {245u, 250u, 255u}) {
    const std::string name = std::string(length - 4, 'n') + ".tmd";
    sample().dump(path(name));
    EXPECT_EQ(Snapshot::load(path(name)).trace_count(), sample().trace_count()) << length;
    sample().dump_json(path(name));
    EXPECT_EQ(Snapshot::load(path(name)).trace_count(), sample().trace_count()) << length;
  }
}

// A temporary a killed writer left (same pattern, same owner, untouched for
// long) is removed by the next write; a recent one is left to its writer.
TEST_F(ModelFormats, StaleTemporariesAreRemoved) {
  const std::string stale = path(".s.tmd.tmAbC123"), fresh = path(".s.tmd.tmXyZ789");
  std::ofstream(stale) << "partial";
  std::ofstream(fresh) << "partial";
  struct timespec times[2] = {{0, UTIME_OMIT}, {::time(nullptr) - 3600, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, stale.c_str(), times, 0), 0);
  sample().dump(path("s.tmd"));
  EXPECT_NE(access(stale.c_str(), F_OK), 0);
  EXPECT_EQ(access(fresh.c_str(), F_OK), 0);
  // And nothing else is left beside the dump.
  std::remove(fresh.c_str());
  size_t entries = 0;
  if (DIR *d = opendir(dir_.c_str())) {
    while (struct dirent *e = readdir(d)) entries += e->d_name[0] != '.' || e->d_name[1] > '.';
    closedir(d);
  }
  EXPECT_EQ(entries, 1u);
}

// A file that shrinks or grows between its header and the rest being read
// (another process rewriting a dump in place): an error naming both sizes,
// never a crash or a snapshot of half a file.  The head check runs between
// the two reads, so it changes the file at exactly that point.
std::string g_resized_path;
off_t g_resized_to = 0;
std::optional<uint64_t> resize_after_head(const std::string &, std::string_view,
                                          std::optional<uint64_t>) {
  if (::truncate(g_resized_path.c_str(), g_resized_to) != 0) ADD_FAILURE() << "truncate";
  return std::nullopt;
}

TEST_F(ModelFormats, FileResizedWhileReadIsAnError) {
  g_resized_path = path("resized.tmd");
  for (off_t to : {off_t(1000), off_t(0), off_t(3 << 20)}) {
    std::ofstream(g_resized_path, std::ios::binary) << std::string(1 << 20, 'x');
    g_resized_to = to;
    expect_error(
        [] { tracemalloc::model::FileBytes bytes(g_resized_path, resize_after_head); },
        "resized.tmd: cannot read: the file changed size while being read (1048576 bytes, then");
  }
}

// A sampled snapshot keeps its rate through both formats, and its
// statistics are the traces scaled by 1 / (1 - exp(-size / rate)), rounded;
// an exact one's binary META stays 40 bytes (files unchanged) and reads as 0.
TEST_F(ModelFormats, SampleRateRoundTripsAndScalesStatistics) {
  SnapshotBuilder b;
  const auto f = b.add_frame("a.c", 1);
  const auto tb = b.add_traceback(&f, 1, std::nullopt);
  b.add_traces(0, 1000, tb, 3);     // weight 1 / (1 - exp(-1000 / 65536)) = 66.04...
  b.add_traces(0, 1 << 20, tb, 1);  // weight 1.0000001...
  b.set_sample_bytes(65536);
  Snapshot s = b.build();
  EXPECT_EQ(s.sample_bytes(), 65536u);
  const double w = 1 / (1 - std::exp(-1000.0 / 65536));
  const double big = 1 / (1 - std::exp(-double(1 << 20) / 65536));
  EXPECT_NEAR(sample_weight(1000, 65536), w, 1e-9);
  EXPECT_EQ(sample_weight(1000, 0), 1.0);
  EXPECT_EQ(sample_weight(0, 65536), 1.0);
  const uint64_t size = uint64_t(3 * w * 1000 + 0.5) + uint64_t(big * (1 << 20) + 0.5);
  const uint64_t count = uint64_t(3 * w + 0.5) + uint64_t(big + 0.5);
  for (const Snapshot &loaded : {s, (s.dump(path("s.tmd")), Snapshot::load(path("s.tmd"))),
                                 (s.dump_json(path("s.json")), Snapshot::load(path("s.json")))}) {
    EXPECT_EQ(loaded.sample_bytes(), 65536u);
    EXPECT_EQ(loaded.trace_count(), 4u);  // the sampled blocks themselves
    const std::vector<Statistic> stats = loaded.statistics(KeyType::Lineno);
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].size, size);
    EXPECT_EQ(stats[0].count, count);
  }
  SnapshotBuilder e;
  const auto g = e.add_frame("a.c", 1);
  e.add_traces(0, 1000, e.add_traceback(&g, 1, std::nullopt), 3);
  Snapshot exact = e.build();
  exact.dump(path("e.tmd"));
  const std::string bytes = read_file(path("e.tmd"));
  uint64_t meta_length = 0;
  memcpy(&meta_length, bytes.data() + 24 + 8, 8);
  EXPECT_EQ(meta_length, 40u);
  EXPECT_EQ(Snapshot::load(path("e.tmd")).sample_bytes(), 0u);
  EXPECT_EQ(exact.statistics(KeyType::Lineno)[0].size, 3000u);
}

TEST_F(ModelFormats, EstimatedTotalsOfAGroup) {
  const TraceTotals exact = estimated_totals(1000, 3, 0);
  EXPECT_EQ(exact.count, 3u);
  EXPECT_EQ(exact.size, 3000u);
  const double w = 1 / (1 - std::exp(-1000.0 / 65536));
  const TraceTotals sampled = estimated_totals(1000, 3, 65536);
  EXPECT_EQ(sampled.count, uint64_t(3 * w + 0.5));
  EXPECT_EQ(sampled.size, uint64_t(3 * w * 1000 + 0.5));
  expect_error([] { estimated_totals(uint64_t(1) << 40, uint64_t(1) << 30, 0); },
               "statistics: a total size or count exceeds 2^64-1 bytes");
  expect_error([] { estimated_totals(1, UINT64_MAX / 2, 1 << 20); },
               "statistics: a total size or count exceeds 2^64-1 bytes");
}
