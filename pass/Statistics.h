//===- Statistics.h - counters the pass reports to -stats ------*- C++ -*-===//
//
// LLVM's STATISTIC counts only when the plugin is compiled without NDEBUG;
// the plugin's counters are TrackingStatistics whatever its build type, so
// `-mllvm -stats` (on an LLVM built with statistics), `clang -save-stats` and
// `opt -stats -stats-json` report them.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_STATISTICS_H
#define TRACEMALLOC_PASS_STATISTICS_H

#include "llvm/ADT/Statistic.h"

#define TM_STATISTIC(Variable, Description)                                    \
  static llvm::TrackingStatistic Variable = {DEBUG_TYPE, #Variable, Description}

#endif // TRACEMALLOC_PASS_STATISTICS_H
