// source_lines.cpp - bounded reading of the source lines a report shows.
#include "source_lines.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace tmreport {
namespace {

bool is_pseudo_file(const std::string &filename) {
  return filename.empty() || (filename.front() == '<' && filename.back() == '>');
}

std::string strip(const std::string &text) {
  const char *space = " \t\n\r\f\v";
  size_t begin = text.find_first_not_of(space);
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

struct FileCloser {
  void operator()(std::FILE *f) const { std::fclose(f); }
};

// Reads `path` line by line (universal newlines) until the last line of
// `lines`, filling in each wanted one.
void read_lines(const std::string &path, std::map<uint32_t, std::string> &lines) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return;
  struct stat st;
  if (::fstat(fileno(file.get()), &st) != 0 || !S_ISREG(st.st_mode)) return;
  const uint32_t last = lines.rbegin()->first;
  auto next = lines.begin();
  uint32_t lineno = 1;
  std::string current;
  bool after_cr = false;
  char buffer[65536];
  auto end_line = [&] {
    if (next != lines.end() && next->first == lineno) {
      if (lineno == 1 && current.compare(0, 3, "\xEF\xBB\xBF") == 0) current.erase(0, 3);
      next->second = strip(current);
      ++next;
    }
    current.clear();
    ++lineno;
  };
  size_t n;
  while (lineno <= last && (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    for (size_t i = 0; i < n && lineno <= last; ++i) {
      const char c = buffer[i];
      if (c == '\n' && after_cr) {  // the second half of "\r\n"
        after_cr = false;
        continue;
      }
      after_cr = c == '\r';
      if (c == '\n' || c == '\r')
        end_line();
      else if (next != lines.end() && next->first == lineno &&
               current.size() < SourceLines::kMaxLineBytes)
        current += c;
    }
  }
  if (lineno <= last && !current.empty()) end_line();  // a last line without newline
}

}  // namespace

std::string SourceLines::path_of(const tracemalloc::Frame &frame) {
  if (!frame.directory.empty() && frame.filename[0] != '/')
    return frame.directory + "/" + frame.filename;
  return frame.filename;
}

void SourceLines::want(const tracemalloc::Frame &frame) {
  if (frame.lineno == 0 || is_pseudo_file(frame.filename)) return;
  files_[path_of(frame)][frame.lineno];
}

void SourceLines::read_all() {
  for (auto &[path, lines] : files_) read_lines(path, lines);
}

const std::string *SourceLines::line(const tracemalloc::Frame &frame) const {
  if (frame.lineno == 0 || is_pseudo_file(frame.filename)) return nullptr;
  auto file = files_.find(path_of(frame));
  if (file == files_.end()) return nullptr;
  auto found = file->second.find(frame.lineno);
  if (found == file->second.end() || found->second.empty()) return nullptr;
  return &found->second;
}

}  // namespace tmreport
