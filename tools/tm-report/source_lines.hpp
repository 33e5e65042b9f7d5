// source_lines.hpp - the source lines a report shows, read at report time.
#ifndef TM_REPORT_SOURCE_LINES_HPP
#define TM_REPORT_SOURCE_LINES_HPP

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

// Collects the (file, line) pairs wanted, then reads each file once, only up
// to its highest wanted line, keeping at most kMaxLineBytes of a line: a
// report on thousands of frames never holds a whole source file in memory
// (Traceback::format() caches whole files, which suits a few tracebacks).
// Files are found like Traceback::format() finds them: a relative name in
// the frame's directory when it has one; "<...>" names, files that are not
// regular files and unreadable ones give no line.  Lines are stripped of
// surrounding white space; bytes that are not UTF-8 are left for the JSON
// writer to replace (linecache would drop the whole file).
class SourceLines {
 public:
  static constexpr size_t kMaxLineBytes = 4096;

  void want(const tracemalloc::Frame &frame);
  void read_all();
  // The stripped line, or nullptr when there is none (or it is blank).
  const std::string *line(const tracemalloc::Frame &frame) const;

 private:
  static std::string path_of(const tracemalloc::Frame &frame);
  // Per path: line number -> text (empty until read).
  std::unordered_map<std::string, std::map<uint32_t, std::string>> files_;
};

}  // namespace tmreport

#endif  // TM_REPORT_SOURCE_LINES_HPP
