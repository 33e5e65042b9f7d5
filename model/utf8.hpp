// utf8.hpp - decoding names the way Python sees them (model/ only).
#ifndef TRACEMALLOC_MODEL_UTF8_HPP
#define TRACEMALLOC_MODEL_UTF8_HPP

#include <cstdint>
#include <string_view>
#include <vector>

namespace tracemalloc {
namespace model {

// UTF-8 to code points.  Bytes that are not valid UTF-8 become U+DC80..U+DCFF,
// as Python's os.fsdecode (surrogateescape) turns them into distinct
// characters.  Returns whether the input was entirely valid.
bool decode_utf8(std::string_view s, std::vector<uint32_t> &out);

}  // namespace model
}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_UTF8_HPP
