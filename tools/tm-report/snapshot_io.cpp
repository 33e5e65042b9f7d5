// snapshot_io.cpp - `convert`'s output side; reading is the model's
// Snapshot::load, which recognises both formats by content.
#include "snapshot_io.hpp"

#include "cli_options.hpp"

namespace tmreport {
namespace {

bool ends_with(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

SnapshotFormat output_format(const std::string &out_path, const std::string &to_flag) {
  if (!to_flag.empty()) {
    if (to_flag == "json") return SnapshotFormat::Json;
    if (to_flag == "tmd") return SnapshotFormat::Binary;
    throw UsageError("--to: unknown format '" + to_flag + "' (expected json or tmd)");
  }
  if (ends_with(out_path, ".json")) return SnapshotFormat::Json;
  if (ends_with(out_path, ".tmd")) return SnapshotFormat::Binary;
  throw UsageError(out_path +
                   ": cannot tell the output format from the extension "
                   "(use .json or .tmd, or --to json|tmd)");
}

void write_snapshot(const tracemalloc::Snapshot &snapshot, const std::string &path,
                    SnapshotFormat format) {
  if (format == SnapshotFormat::Json)
    snapshot.dump_json(path);
  else
    snapshot.dump(path);
}

}  // namespace tmreport
