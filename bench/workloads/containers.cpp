// Workload 2: C++ containers.
//
//   containers [operations=1000000] [key_space=65536]
//
// A std::map<std::string, std::vector<int>> under a random mix of appends
// (insert a key, grow its vector), lookups and erases, then destroyed.  Keys
// are longer than the small-string buffer, so each key is a heap block; every
// map node and vector growth is one too.  The allocations are the ones the
// standard library makes, through operator new/delete.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench_common.h"

static const char kUsage[] = "containers [operations] [key_space]";

int main(int argc, char **argv) {
  const uint64_t operations = bench_count_arg(argc, argv, 1, 1000000, kUsage);
  const uint64_t key_space = bench_count_arg(argc, argv, 2, 65536, kUsage);
  uint64_t rng = 0x243F6A8885A308D3ULL;
  uint64_t checksum = 0;
  uint64_t live_keys_at_end = 0;
  {
    std::map<std::string, std::vector<int>> table;
    char key_text[64];
    for (uint64_t i = 0; i < operations; i++) {
      const uint64_t random = bench_next_random(&rng);
      std::snprintf(key_text, sizeof key_text, "container-benchmark-key-%llu",
                    static_cast<unsigned long long>(random % key_space));
      switch ((random >> 40) % 8) {
        case 0:
        case 1:
        case 2:
        case 3: {
          std::vector<int> &values = table[key_text];
          values.push_back(static_cast<int>(i));
          checksum += values.size();
          break;
        }
        case 4:
        case 5:
        case 6: {
          auto found = table.find(key_text);
          if (found != table.end())
            checksum += found->second.size() * 7 + static_cast<uint64_t>(found->second.back());
          break;
        }
        default:
          checksum += table.erase(key_text) * 13;
          break;
      }
    }
    live_keys_at_end = table.size();
    bench_report_tracer_memory(live_keys_at_end);
  }
  std::printf("containers checksum=%llu live_keys=%llu\n",
              static_cast<unsigned long long>(checksum),
              static_cast<unsigned long long>(live_keys_at_end));
  return 0;
}
