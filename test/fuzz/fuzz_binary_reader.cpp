// fuzz_binary_reader.cpp - the binary dump reader on arbitrary bytes.  The
// body length in the header and the trailing CRC-32 are set to match the
// input before it is read, so mutations reach the sections instead of
// stopping at the checksum (the lit tests and the command-line harness cover
// those two checks).  What the reader accepts goes through
// tmfuzz::exercise().
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "model/snapshot_data.hpp"

namespace {

constexpr size_t kHeaderSize = 24, kBodyLengthAt = 16, kTrailerSize = 4;

void put_le(std::string &bytes, size_t at, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) bytes[at + i] = char(value >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  if (bytes.size() >= kHeaderSize + kTrailerSize) {
    put_le(bytes, kBodyLengthAt, bytes.size() - kHeaderSize - kTrailerSize, 8);
    size_t body_end = bytes.size() - kTrailerSize;
    put_le(bytes, body_end, crc32(0, reinterpret_cast<const Bytef *>(bytes.data()), uInt(body_end)),
           4);
  }
  try {
    tracemalloc::Snapshot snapshot = tracemalloc::model::load_binary_from_memory("fuzz.tmd", bytes);
    tmfuzz::exercise(snapshot);
  } catch (const tracemalloc::Error &) {
  }
  return 0;
}
