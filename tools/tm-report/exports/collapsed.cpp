// collapsed.cpp - folded stacks ("a;b;c 1234" per line).
#include "collapsed.hpp"

#include "stacks.hpp"

namespace tmreport {

std::string folded_frame(std::string_view label) {
  std::string out;
  out.reserve(label.size());
  for (char c : label) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case ';':
        out += "%3B";
        break;
      case '\n':
        out += "%0A";
        break;
      case '\r':
        out += "%0D";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string collapsed_stacks(const tracemalloc::Snapshot &snapshot) {
  std::string out;
  for (const Stack &stack : collect_stacks(snapshot, nullptr, false)) {
    if (stack.inuse_bytes == 0) continue;
    bool first = true;
    for (const tracemalloc::Frame &frame : *stack.traceback) {
      if (!first) out += ';';
      out += folded_frame(frame_label(frame));
      first = false;
    }
    out += ' ';
    out += std::to_string(stack.inuse_bytes);
    out += '\n';
  }
  return out;
}

}  // namespace tmreport
