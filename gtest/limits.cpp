// limits.cpp - TRACEMALLOC_LIMIT_MEMORY, TRACEMALLOC_LIMIT_LEAKS and the
// TRACEMALLOC_GTEST_LEAKS listener (include/tracemalloc/gtest.hpp).
//
// Built with the plain compiler, never with the plugin: the library's own
// allocations are not allocation sites of the program under test.  Its
// snapshots are built inside the runtime (untraced); what it allocates
// itself happens before a measurement starts or after it ends.
#include "tracemalloc/gtest.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tracemalloc/tracemalloc.hpp"

namespace tracemalloc {
namespace gtest {

namespace {

// One note per process, however many limits cannot be checked.
void note_unchecked(const char *why) {
  static bool noted = false;
  if (noted) return;
  noted = true;
  std::fprintf(stderr, "tracemalloc: memory limits are not checked: %s\n", why);
}

// The sites that grew, biggest first (compare_to's order), as CPython
// Statistic lines, each followed by its traceback.  A site is named by its
// most recent frame in instrumented code: a block allocated inside an
// uninstrumented library (libstdc++'s std::string) is the call into it.
std::string format_sites(const std::vector<StatisticDiff> &diffs) {
  std::string text;
  size_t listed = 0, grown = 0;
  for (const StatisticDiff &diff : diffs) {
    if (diff.size_diff <= 0) continue;
    ++grown;
    if (listed == size_t(kLimitSites)) continue;
    ++listed;
    const std::vector<Frame> &frames = diff.traceback.frames();
    Frame recent{"<unknown>", 0, {}, {}, {}, false};
    for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
      if (frame->filename != "<unknown>") {
        recent = *frame;
        break;
      }
    Statistic site{Traceback({recent}, std::nullopt), uint64_t(diff.size_diff),
                   diff.count_diff > 0 ? uint64_t(diff.count_diff) : 0};
    text += site.str();
    text += '\n';
    for (const std::string &line : diff.traceback.format()) {
      text += line;
      text += '\n';
    }
  }
  if (grown > listed) text += "... and " + std::to_string(grown - listed) + " more sites\n";
  return text;
}

}  // namespace

// What a limit saw at its start: whether it started tracing, the live traces
// and the traced memory then.
class Measurement {
 public:
  // Null (after one note) when tracing cannot start.
  static Measurement *begin(LimitKind kind) {
    Measurement *m = new Measurement(kind);
    if (!is_tracing()) {
      try {
        start(kLimitFrames);
      } catch (const Error &e) {
        delete m;
        note_unchecked(e.what());
        return nullptr;
      }
      m->started_here_ = true;
    }
    m->start_ = take_snapshot();
    if (kind == LimitKind::Memory) reset_peak();
    m->start_current_ = get_traced_memory().first;
    return m;
  }

  // The failure message, empty when the limit holds; `name` and `limit`
  // name the limit in it ("TRACEMALLOC_LIMIT_LEAKS" "(0)").  Nothing is
  // allocated before the measurement is taken.  Stops tracing when begin()
  // started it.
  std::string end(const char *name, const char *limit_format, uint64_t limit) {
    std::string message;
    if (!is_tracing()) {
      note_unchecked("tracing was stopped during a limited test");
      return message;
    }
    if (kind_ == LimitKind::Memory) {
      const uint64_t peak = get_traced_memory().second;
      const uint64_t used = peak > start_current_ ? peak - start_current_ : 0;
      if (used > limit) {
        Snapshot at_peak = take_snapshot(View::Peak);
        stop_if_started();
        message = headline(name, limit_format, limit) + "the test's traced memory peaked " +
                  std::to_string(used) + " B above its start, over the limit of " +
                  std::to_string(limit) + " B\nThe biggest sites at the peak:\n" +
                  format_sites(at_peak.compare_to(start_, KeyType::Traceback));
      }
    } else {
      Snapshot now = take_snapshot();
      stop_if_started();
      // Blocks no instrumented code allocated (GoogleTest's own bookkeeping,
      // which replaces some of its strings in every test) are not the test's.
      const std::vector<AnyFilter> instrumented{
          Filter{true, "[!<]*", std::nullopt, true, std::nullopt}};
      std::vector<StatisticDiff> diffs =
          now.filter_traces(instrumented)
              .compare_to(start_.filter_traces(instrumented), KeyType::Traceback);
      uint64_t leaked = 0;
      for (const StatisticDiff &diff : diffs)
        if (diff.size_diff > 0) leaked += uint64_t(diff.size_diff);
      if (leaked > limit)
        message = headline(name, limit_format, limit) + "the test leaked " +
                  std::to_string(leaked) +
                  " B (allocated during the test and still live at its end), over the limit of " +
                  std::to_string(limit) + " B\nThe biggest leaking sites:\n" + format_sites(diffs);
    }
    stop_if_started();
    return message;
  }

 private:
  explicit Measurement(LimitKind kind) : kind_(kind) {}
  static std::string headline(const char *name, const char *limit_format, uint64_t limit) {
    char text[96];
    std::snprintf(text, sizeof text, limit_format, (unsigned long long)limit);
    return std::string(name) + text + ": ";
  }
  void stop_if_started() {
    if (started_here_ && is_tracing()) stop();
  }

  LimitKind kind_;
  bool started_here_ = false;
  Snapshot start_;
  uint64_t start_current_ = 0;
};

ScopedLimit::ScopedLimit(LimitKind kind, uint64_t limit, const char *file, int line)
    : measurement_(Measurement::begin(kind)),
      kind_(kind),
      limit_(limit),
      file_(file),
      line_(line) {}

ScopedLimit::~ScopedLimit() {
  if (!measurement_) return;
  const std::string message = measurement_->end(
      kind_ == LimitKind::Memory ? "TRACEMALLOC_LIMIT_MEMORY" : "TRACEMALLOC_LIMIT_LEAKS", "(%llu)",
      limit_);
  delete measurement_;
  if (!message.empty()) ADD_FAILURE_AT(file_, line_) << message;
}

LeakLimitListener::LeakLimitListener(uint64_t limit) : limit_(limit) {}

LeakLimitListener::~LeakLimitListener() { delete measurement_; }

void LeakLimitListener::OnTestStart(const ::testing::TestInfo &) {
  delete measurement_;
  measurement_ = Measurement::begin(LimitKind::Leaks);
}

// Called before the result printer's OnTestEnd (gtest calls OnTestEnd in
// reverse order of the listeners), so the failure belongs to the test and
// is printed with it.
void LeakLimitListener::OnTestEnd(const ::testing::TestInfo &test) {
  if (!measurement_) return;
  const std::string message = measurement_->end("TRACEMALLOC_GTEST_LEAKS", "=%llu", limit_);
  delete measurement_;
  measurement_ = nullptr;
  if (!message.empty()) ADD_FAILURE_AT(test.file(), test.line()) << message;
}

namespace {

// TRACEMALLOC_GTEST_LEAKS=N: a decimal byte count.
bool parse_limit(const char *text, uint64_t *limit) {
  if (*text < '0' || *text > '9') return false;
  errno = 0;
  char *end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *limit = value;
  return true;
}

// Appended before main: the listener must be there before RUN_ALL_TESTS,
// and a program linking TraceMalloc::gtest needs no code of its own for it
// (the target pulls this object in with --undefined=tracemalloc_gtest_anchor).
bool append_listener_from_environment() {
  const char *text = std::getenv("TRACEMALLOC_GTEST_LEAKS");
  if (!text || !*text) return false;
  uint64_t limit = 0;
  if (!parse_limit(text, &limit)) {
    std::fprintf(stderr,
                 "tracemalloc: TRACEMALLOC_GTEST_LEAKS=%s is not a byte count, no leak limit "
                 "applies\n",
                 text);
    return false;
  }
  ::testing::UnitTest::GetInstance()->listeners().Append(new LeakLimitListener(limit));
  return true;
}

[[maybe_unused]] const bool listener_appended = append_listener_from_environment();

}  // namespace

}  // namespace gtest
}  // namespace tracemalloc

extern "C" {
// Referenced by the link options of TraceMalloc::gtest (and tracemalloc.pc's
// gtest variant) so that the static library's initialiser above is linked.
extern const int tracemalloc_gtest_anchor;
const int tracemalloc_gtest_anchor = 1;
}
