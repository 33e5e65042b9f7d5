// c_snapshot.h - what the C snapshot API's opaque tm_snapshot is: the C++
// model's Snapshot.  Shared by the C functions that take, dump and free
// snapshots (dump.cpp) and those that load, filter and compare them
// (api/c_snapshot.cpp).
#ifndef TRACEMALLOC_RUNTIME_API_C_SNAPSHOT_H
#define TRACEMALLOC_RUNTIME_API_C_SNAPSHOT_H

#include "tracemalloc/snapshot.hpp"

struct tm_snapshot {
  tracemalloc::Snapshot snapshot;
};

#endif  // TRACEMALLOC_RUNTIME_API_C_SNAPSHOT_H
