// dump_path.cpp - where dumps go: the '%p'/'%n'/'%%' fields of a dump path
// and the process's dump sequence shared by every numbered dump.
#include <unistd.h>

#include <atomic>
#include <string>

#include "runtime/snapshots/dump.h"

namespace tm_rt {
namespace {

// atomic: numbered dumps come from the dump thread and from tm_dump().
std::atomic<uint64_t> g_dump_sequence{0};

}  // namespace

std::string expand_dump_path(const char *pattern, uint64_t number) {
  std::string path;
  for (const char *p = pattern; *p; ++p) {
    if (p[0] == '%' && p[1] == 'p') {
      path += std::to_string(static_cast<long>(getpid()));
      ++p;
    } else if (p[0] == '%' && p[1] == 'n' && number != 0) {
      path += std::to_string(number);
      ++p;
    } else if (p[0] == '%' && p[1] == '%') {
      path += '%';
      ++p;
    } else {
      path += *p;
    }
  }
  return path;
}

bool has_number_field(const char *pattern) {
  for (const char *p = pattern; *p; ++p) {
    if (p[0] == '%' && (p[1] == 'n' || p[1] == '%')) {
      if (p[1] == 'n') return true;
      ++p;  // "%%n" is a literal "%n"
    }
  }
  return false;
}

std::string numbered_dump_path(const char *pattern, uint64_t number) {
  if (has_number_field(pattern)) return expand_dump_path(pattern, number);
  std::string path = expand_dump_path(pattern);
  const size_t name_start = path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1;
  const size_t dot = path.rfind('.');
  // A leading dot starts a hidden name, not an extension.
  const size_t insert_at = (dot != std::string::npos && dot > name_start) ? dot : path.size();
  path.insert(insert_at, "." + std::to_string(number));
  return path;
}

uint64_t next_dump_number() { return g_dump_sequence.fetch_add(1, std::memory_order_relaxed) + 1; }

}  // namespace tm_rt
