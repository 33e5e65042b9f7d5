// tracemalloc.hpp - public C++ API of libtracemalloc: CPython's tracemalloc
// module functions.  Where Python raises, these throw tracemalloc::Error.
#ifndef TRACEMALLOC_TRACEMALLOC_HPP
#define TRACEMALLOC_TRACEMALLOC_HPP

#include <cstddef>
#include <optional>
#include <utility>

#include "tracemalloc/snapshot.hpp"
#include "tracemalloc/tracemalloc.h"

namespace tracemalloc {

// Throws Error if nframe < 1 or > tm_max_nframe(), or when tracing was
// disabled by an ABI version mismatch (see __tm_register_module).
void start(int nframe = 1);
void stop();
bool is_tracing();
void clear_traces();
// (current, peak) in bytes.
std::pair<size_t, size_t> get_traced_memory();
void reset_peak();
size_t get_tracemalloc_memory();
// The limit of the last start() that started tracing (1 before any), also
// when not tracing: CPython 3.11 returns it there too.
int get_traceback_limit();
// Traceback of the block at ptr, or nullopt when not tracing or not traced.
std::optional<Traceback> get_object_traceback(const void *ptr);
// Throws Error when not tracing.
Snapshot take_snapshot();

}  // namespace tracemalloc

#endif  // TRACEMALLOC_TRACEMALLOC_HPP
