// fuzz_support.cpp - see fuzz_support.hpp.
#include "fuzz_support.hpp"

#include "model/utf8.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace tmfuzz {

const std::string &scratch_directory() {
  static const std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "tm-fuzz.XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    static std::string removed_at_exit = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(removed_at_exit, ignored);
    });
    return pattern;
  }();
  return dir;
}

void write_file(const std::string &path, std::string_view bytes) {
  std::FILE *out = std::fopen(path.c_str(), "wb");
  if (!out || std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size() ||
      std::fclose(out) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

namespace {

using tracemalloc::KeyType;

// The statistics as text: what a round trip must keep.
std::string statistics_text(const tracemalloc::Snapshot &snapshot, KeyType key_type,
                            bool cumulative) {
  std::string text;
  for (const tracemalloc::Statistic &st : snapshot.statistics(key_type, cumulative))
    text += st.str() + '\n';
  return text;
}

void exercise_view(const tracemalloc::Snapshot &snapshot) {
  for (KeyType key_type : {KeyType::Filename, KeyType::Lineno, KeyType::Traceback})
    for (bool cumulative : {false, true}) {
      if (cumulative && key_type == KeyType::Traceback) continue;
      try {
        statistics_text(snapshot, key_type, cumulative);
        for (const tracemalloc::StatisticDiff &d :
             snapshot.compare_to(tracemalloc::Snapshot(), key_type, cumulative))
          (void)d.str();
      } catch (const tracemalloc::Error &) {
        // a total beyond 64 bits
      }
    }
  for (const tracemalloc::TraceGroup &group : snapshot.trace_groups())
    if (group.traceback->size() == 0) std::abort();  // a traceback has at least one frame
  try {
    (void)snapshot.trace_count();
  } catch (const tracemalloc::Error &) {
  }
}

// Writes `snapshot` in one format, reads it back and checks the statistics
// survived.  JSON text is Unicode: its writer replaces bytes that are not
// UTF-8 by U+FFFD (docs/file-formats.md), so only names that are UTF-8 must
// come back the same from JSON.
template <typename Dump>
void round_trip(const tracemalloc::Snapshot &snapshot, const char *name, bool unicode_only,
                Dump dump) {
  std::string path = scratch_directory() + "/" + name;
  std::string before;
  try {
    before = statistics_text(snapshot, KeyType::Traceback, false);
  } catch (const tracemalloc::Error &) {
    return;
  }
  std::vector<uint32_t> code_points;
  const bool exact = !unicode_only || tracemalloc::model::decode_utf8(before, code_points);
  dump(snapshot, path);
  tracemalloc::Snapshot again = tracemalloc::Snapshot::load(path);
  std::string after = statistics_text(again, KeyType::Traceback, false);
  if (exact && after != before) {
    std::fprintf(stderr, "%s round trip changed the statistics\n", name);
    std::abort();
  }
}

}  // namespace

void exercise(const tracemalloc::Snapshot &snapshot) {
  exercise_view(snapshot);
  for (tracemalloc::View view :
       {tracemalloc::View::Peak, tracemalloc::View::Allocated, tracemalloc::View::Temporary})
    if (snapshot.has_view(view)) exercise_view(snapshot.view(view));
  (void)snapshot.timeline();
  round_trip(snapshot, "round-trip.tmd", false,
             [](const tracemalloc::Snapshot &s, const std::string &path) { s.dump(path); });
  round_trip(snapshot, "round-trip.json", true,
             [](const tracemalloc::Snapshot &s, const std::string &path) { s.dump_json(path); });
}

}  // namespace tmfuzz
