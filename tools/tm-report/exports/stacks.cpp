// stacks.cpp - per-traceback totals and machine locations for the exports.
#include "stacks.hpp"

#include <algorithm>
#include <unordered_map>

#include "model/utf8.hpp"

namespace tmreport {
namespace {

uint64_t checked_add(uint64_t a, uint64_t b) {
  uint64_t sum;
  if (__builtin_add_overflow(a, b, &sum))
    throw tracemalloc::Error("a total exceeds 2^64-1 bytes or blocks");
  return sum;
}

struct Key {
  const tracemalloc::Traceback *traceback;
  uint64_t domain;
  bool operator==(const Key &other) const {
    return traceback == other.traceback && domain == other.domain;
  }
};
struct KeyHash {
  size_t operator()(const Key &key) const {
    return std::hash<const void *>()(key.traceback) ^ (key.domain * 0x9E3779B97F4A7C15ULL);
  }
};

void append_utf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::vector<Stack> collect_stacks(const tracemalloc::Snapshot &inuse,
                                  const tracemalloc::Snapshot *allocated, bool by_domain) {
  // The stacks of a traceback (one per domain) are chained from a dense
  // table by traceback, up to kChained of them; a traceback in more domains
  // than that (a hostile dump can have millions) keeps the others in a hash
  // table, so a lookup is bounded either way.
  constexpr uint32_t kNone = UINT32_MAX;
  constexpr size_t kChained = 8;
  std::vector<uint32_t> first_of_traceback(inuse.traceback_count(), kNone);
  std::vector<uint32_t> next_of_traceback;  // parallel to stacks
  std::vector<uint8_t> chain_length(inuse.traceback_count(), 0);
  std::unordered_map<Key, size_t, KeyHash> beyond_chains;
  std::vector<Stack> stacks;
  auto add_stack = [&](const Key &key, uint32_t tb) {
    if (stacks.size() >= kNone) throw tracemalloc::Error("more than 2^32-1 tracebacks");
    stacks.emplace_back();
    stacks.back().traceback = key.traceback;
    stacks.back().traceback_index = tb;
    stacks.back().domain = key.domain;
    next_of_traceback.push_back(kNone);
    return stacks.size() - 1;
  };
  auto stack_of = [&](const tracemalloc::TraceGroup &g) -> Stack & {
    const Key key{g.traceback, by_domain ? g.domain : 0};
    const uint32_t tb = g.traceback_index;
    for (uint32_t i = first_of_traceback.at(tb); i != kNone; i = next_of_traceback[i])
      if (stacks[i].domain == key.domain) return stacks[i];
    if (chain_length[tb] < kChained) {
      const size_t i = add_stack(key, tb);
      next_of_traceback[i] = first_of_traceback[tb];
      first_of_traceback[tb] = uint32_t(i);
      ++chain_length[tb];
      return stacks[i];
    }
    auto [it, added] = beyond_chains.try_emplace(key, 0);
    if (added) it->second = add_stack(key, tb);
    return stacks[it->second];
  };
  // A sampled snapshot's groups count for their estimates, rounded per
  // group as Snapshot::statistics() does.
  const uint64_t rate = inuse.sample_bytes();
  inuse.for_each_trace_group([&](const tracemalloc::TraceGroup &g) {
    Stack &s = stack_of(g);
    const tracemalloc::TraceTotals t = tracemalloc::estimated_totals(g.size, g.count, rate);
    s.inuse_count = checked_add(s.inuse_count, t.count);
    s.inuse_bytes = checked_add(s.inuse_bytes, t.size);
  });
  if (allocated) {
    allocated->for_each_trace_group([&](const tracemalloc::TraceGroup &g) {
      Stack &s = stack_of(g);
      const tracemalloc::TraceTotals t = tracemalloc::estimated_totals(g.size, g.count, rate);
      s.alloc_count = checked_add(s.alloc_count, t.count);
      s.alloc_bytes = checked_add(s.alloc_bytes, t.size);
    });
  }
  // Ties broken by the frames, so the same snapshot always exports the same.
  std::sort(stacks.begin(), stacks.end(), [](const Stack &a, const Stack &b) {
    if (a.inuse_bytes != b.inuse_bytes) return a.inuse_bytes > b.inuse_bytes;
    if (a.alloc_bytes != b.alloc_bytes) return a.alloc_bytes > b.alloc_bytes;
    if (a.traceback != b.traceback && *a.traceback != *b.traceback)
      return *a.traceback < *b.traceback;
    return a.domain < b.domain;
  });
  return stacks;
}

std::vector<LocationSpan> location_spans(const tracemalloc::Traceback &traceback) {
  std::vector<LocationSpan> spans;
  const auto &frames = traceback.frames();
  size_t last = frames.size();
  while (last > 0) {
    size_t first = last - 1;
    // The oldest frame has nothing older to be inlined into.
    while (first > 0 && frames[first].inlined) --first;
    spans.push_back(LocationSpan{first, last - 1});
    last = first;
  }
  return spans;
}

std::string frame_label(const tracemalloc::Frame &frame) {
  return (frame.function.empty() ? std::string("<unknown>") : frame.function) + " (" +
         frame.filename + ":" + std::to_string(frame.lineno) + ")";
}

std::string valid_utf8(std::string_view text) {
  std::vector<uint32_t> points;
  if (tracemalloc::model::decode_utf8(text, points)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (uint32_t cp : points) {
    // decode_utf8 turns each invalid byte into U+DC80..U+DCFF.
    append_utf8(out, cp >= 0xDC80 && cp <= 0xDCFF ? 0xFFFD : cp);
  }
  return out;
}

}  // namespace tmreport
