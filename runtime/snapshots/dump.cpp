// dump.cpp - the C snapshot functions and the TRACEMALLOC_DUMP at-exit dump.
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <new>
#include <string>

#pragma GCC visibility push(default)
#include "tracemalloc/tracemalloc.h"
#pragma GCC visibility pop

#include "runtime/config/flags.h"
#include "runtime/snapshots/dump.h"
#include "runtime/snapshots/snapshot.h"
#include "runtime/support/guard.h"
#include "runtime/support/report.h"
#include "runtime/timeline/timeline.h"
#include "runtime/traces/session.h"

#include "runtime/api/c_snapshot.h"

namespace {

// Snapshot::dump reports failures as exceptions; the C API wants errno.  The
// failing system call usually left errno set; otherwise say EIO.
int dump_with_errno(const tracemalloc::Snapshot &snapshot, const std::string &path,
                    std::string *message) {
  errno = 0;
  try {
    snapshot.dump(path);
    return 0;
  } catch (const std::bad_alloc &) {
    errno = ENOMEM;
    if (message) *message = "out of memory";
  } catch (const std::exception &error) {
    if (errno == 0) errno = EIO;
    if (message) *message = error.what();
  }
  return -1;
}

}  // namespace

extern "C" {

tm_snapshot *tm_take_snapshot(void) {
  tm_rt::ReentrancyGuard guard;
  try {
    return new tm_snapshot{tm_rt::take_runtime_snapshot()};
  } catch (const std::bad_alloc &) {
    errno = ENOMEM;
  } catch (const std::exception &) {
    errno = EINVAL;  // not tracing
  }
  return nullptr;
}

tm_snapshot *tm_take_snapshot_view(tm_view view) {
  if (view < TM_VIEW_LIVE || view > TM_VIEW_TEMPORARY) {
    errno = EINVAL;
    return nullptr;
  }
  tm_rt::ReentrancyGuard guard;
  try {
    return new tm_snapshot{tm_rt::take_runtime_snapshot().view(tracemalloc::View(view))};
  } catch (const std::bad_alloc &) {
    errno = ENOMEM;
  } catch (const std::exception &) {
    errno = EINVAL;  // not tracing
  }
  return nullptr;
}

size_t tm_timeline(tm_timeline_sample *out, size_t capacity) {
  if (!tm_rt::tracing_enabled()) return 0;
  tm_rt::ReentrancyGuard guard;
  try {
    const std::vector<tracemalloc::TimelineSample> samples = tm_rt::copy_timeline(false);
    for (size_t i = 0; i < samples.size() && i < capacity; ++i) {
      out[i] = tm_timeline_sample{samples[i].time_s, samples[i].current, samples[i].high,
                                  samples[i].rss};
    }
    return samples.size();
  } catch (const std::bad_alloc &) {
    errno = ENOMEM;
    return 0;
  }
}

int tm_snapshot_dump(const tm_snapshot *snapshot, const char *path) {
  if (!snapshot || !path) {
    errno = EINVAL;
    return -1;
  }
  tm_rt::ReentrancyGuard guard;
  return dump_with_errno(snapshot->snapshot, path, nullptr);
}

void tm_snapshot_free(tm_snapshot *snapshot) {
  tm_rt::ReentrancyGuard guard;
  delete snapshot;
}

int tm_dump(const char *path) {
  if (!path) {
    errno = EINVAL;
    return -1;
  }
  tm_snapshot *snapshot = tm_take_snapshot();
  if (!snapshot) return -1;
  int result;
  {
    tm_rt::ReentrancyGuard guard;
    try {
      // The number is taken once the snapshot exists: a failed snapshot
      // leaves no gap in the sequence.
      const std::string expanded = tm_rt::has_number_field(path)
                                       ? tm_rt::numbered_dump_path(path, tm_rt::next_dump_number())
                                       : tm_rt::expand_dump_path(path);
      result = dump_with_errno(snapshot->snapshot, expanded, nullptr);
    } catch (const std::bad_alloc &) {
      errno = ENOMEM;
      result = -1;
    }
  }
  const int saved_errno = errno;
  tm_snapshot_free(snapshot);
  errno = saved_errno;
  return result;
}

}  // extern "C"

namespace tm_rt {

void dump_at_exit() {
  const char *pattern = dump_path_setting();
  if (!*pattern) return;
  ReentrancyGuard guard;
  // No on-demand dump may start (or still be running) once this one is
  // written: it is the last of the sequence, and exit is about to destroy
  // what the dump code uses.
  stop_dump_thread();
  try {
    if (!tracing_enabled()) {
      warn("TRACEMALLOC_DUMP=%s: not tracing at exit; no snapshot written",
           expand_dump_path(pattern).c_str());
      return;
    }
    const tracemalloc::Snapshot snapshot = take_runtime_snapshot();
    const std::string path = has_number_field(pattern)
                                 ? numbered_dump_path(pattern, next_dump_number())
                                 : expand_dump_path(pattern);
    std::string problem;
    if (dump_with_errno(snapshot, path, &problem) != 0) {
      warn("cannot write TRACEMALLOC_DUMP=%s: %s", path.c_str(), problem.c_str());
    }
  } catch (const std::exception &error) {
    // Never let an exception out of an atexit handler: it would terminate
    // the program and change its exit status.
    warn("TRACEMALLOC_DUMP: %s", error.what());
  }
}

void write_numbered_dump() {
  // One warning per process for each kind of failure: a signal or a timer
  // can ask again and again.
  static std::atomic<bool> warned_not_tracing{false};
  static std::atomic<bool> warned_write{false};
  const char *pattern = dump_path_setting();
  try {
    if (!tracing_enabled()) {
      if (!warned_not_tracing.exchange(true)) {
        warn("dump on demand: not tracing; no snapshot written");
      }
      return;
    }
    const tracemalloc::Snapshot snapshot = take_runtime_snapshot();
    const std::string path = numbered_dump_path(pattern, next_dump_number());
    std::string problem;
    if (dump_with_errno(snapshot, path, &problem) != 0 && !warned_write.exchange(true)) {
      warn("cannot write dump on demand to %s: %s", path.c_str(), problem.c_str());
    }
  } catch (const std::exception &error) {
    if (!warned_write.exchange(true)) {
      warn("dump on demand: %s", error.what());
    }
  }
}

}  // namespace tm_rt
