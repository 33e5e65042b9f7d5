// snapshot_io.hpp - choosing and writing the output format of `convert`.
#ifndef TM_REPORT_SNAPSHOT_IO_HPP
#define TM_REPORT_SNAPSHOT_IO_HPP

#include <string>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

enum class SnapshotFormat { Binary, Json };

// --to wins when given ("json" or "tmd"); otherwise OUT's extension (.json or
// .tmd) decides.  Throws UsageError when neither names a format.
SnapshotFormat output_format(const std::string &out_path, const std::string &to_flag);

void write_snapshot(const tracemalloc::Snapshot &snapshot, const std::string &path,
                    SnapshotFormat format);

}  // namespace tmreport

#endif  // TM_REPORT_SNAPSHOT_IO_HPP
