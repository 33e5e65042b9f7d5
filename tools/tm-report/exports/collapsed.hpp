// collapsed.hpp - folded stacks, as flamegraph.pl, inferno and speedscope
// read them.
#ifndef TM_REPORT_EXPORTS_COLLAPSED_HPP
#define TM_REPORT_EXPORTS_COLLAPSED_HPP

#include <string>
#include <string_view>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

// One line per traceback with a non-zero size: its frames root first, each
// "function (file:line)", joined by ';', a space and the bytes of its traces
// (the domains summed).  The values add up to the snapshot's total.
std::string collapsed_stacks(const tracemalloc::Snapshot &snapshot);

// A frame label made safe for one field of a folded line: '%' ';' '\n' '\r'
// written as %25 %3B %0A %0D (reversible; every other byte as is).
std::string folded_frame(std::string_view label);

}  // namespace tmreport

#endif  // TM_REPORT_EXPORTS_COLLAPSED_HPP
