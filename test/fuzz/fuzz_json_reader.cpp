// fuzz_json_reader.cpp - the JSON snapshot reader on arbitrary bytes.  What
// it accepts goes through tmfuzz::exercise(); what it refuses must be a
// tracemalloc::Error (one line naming the input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "model/snapshot_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  try {
    tracemalloc::Snapshot snapshot = tracemalloc::model::load_json_from_memory("fuzz.json", bytes);
    tmfuzz::exercise(snapshot);
  } catch (const tracemalloc::Error &) {
  }
  return 0;
}
