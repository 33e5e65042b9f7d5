// snapshot_data.hpp - what a Snapshot holds (model/ only): shared Tables,
// its traces and the tracemalloc state recorded with them; and the formats'
// readers, which build one from a file's bytes.
#ifndef TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP
#define TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP

#include <tracemalloc/snapshot.hpp>

#include "file_io.hpp"
#include "tables.hpp"
#include "trace_store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tracemalloc {

class SnapshotData {
 public:
  std::shared_ptr<const model::Tables> tables;
  model::TraceStore traces;
  uint32_t traceback_limit = 0;
  uint64_t traced_current = 0;
  uint64_t traced_peak = 0;
  uint64_t time_ns = 0;
  uint64_t duration_ns = 0;
  // The sampled mode's rate (0: exact): statistics scale each trace by its weight.
  uint64_t sample_bytes = 0;
  // The views besides View::Live (Peak, Allocated, Temporary), indexed by
  // other_view_index(), with the same tables; empty when not taken.
  static constexpr int kOtherViews = 3;
  static int other_view_index(View view) { return static_cast<int>(view) - 1; }
  std::optional<model::TraceStore> views[kOtherViews];
  std::vector<TimelineSample> timeline;
  // Only while a SnapshotBuilder fills this.
  std::unique_ptr<model::Interner> interner;
};

namespace model {
// With `file` (which holds `bytes`), the snapshot reads its traces in place.
Snapshot load_binary_from_memory(const std::string &path, std::string_view bytes,
                                 std::shared_ptr<const FileBytes> file = nullptr);
Snapshot load_json_from_memory(const std::string &path, std::string_view bytes);
// FileBytes::HeadCheck of each format.
std::optional<uint64_t> check_binary_head(const std::string &path, std::string_view head,
                                          std::optional<uint64_t> size);
std::optional<uint64_t> check_json_head(const std::string &path, std::string_view head,
                                        std::optional<uint64_t> size);
// Either: JSON when the first byte that is not blank (after a UTF-8 byte
// order mark) is '{'.
bool looks_like_json(std::string_view head);
std::optional<uint64_t> check_any_head(const std::string &path, std::string_view head,
                                       std::optional<uint64_t> size);
}  // namespace model

}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP
