// Unit tests of the bounded source reader of tm-report html
// (tools/tm-report/source_lines.cpp): only the lines asked for, at most
// kMaxLineBytes of each, universal newlines, no pseudo-files or directories.
#include "tools/tm-report/source_lines.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

using tmreport::SourceLines;
using tracemalloc::Frame;

class SourceLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tm-source-lines-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string write(const std::string &name, const std::string &text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
    return name;
  }
  Frame frame(const std::string &name, uint32_t lineno) {
    Frame f;
    f.filename = name;
    f.lineno = lineno;
    f.directory = dir_;
    return f;
  }
  std::string line(SourceLines &lines, const Frame &f) {
    const std::string *text = lines.line(f);
    return text ? *text : "<none>";
  }
  std::string dir_;
};

TEST_F(SourceLinesTest, ReadsTheWantedLinesStrippedWithUniversalNewlines) {
  const std::string name = write("a.c", "\xEF\xBB\xBF  one  \r\ntwo\rthree\n\n\tfive\t");
  SourceLines lines;
  for (uint32_t n : {1u, 2u, 3u, 4u, 5u, 6u}) lines.want(frame(name, n));
  lines.read_all();
  EXPECT_EQ(line(lines, frame(name, 1)), "one");
  EXPECT_EQ(line(lines, frame(name, 2)), "two");
  EXPECT_EQ(line(lines, frame(name, 3)), "three");
  EXPECT_EQ(line(lines, frame(name, 4)), "<none>");  // blank
  EXPECT_EQ(line(lines, frame(name, 5)), "five");    // no newline at the end
  EXPECT_EQ(line(lines, frame(name, 6)), "<none>");  // past the end
  EXPECT_EQ(line(lines, frame(name, 7)), "<none>");  // never asked for
}

TEST_F(SourceLinesTest, KeepsAtMostMaxLineBytesOfALine) {
  const std::string name =
      write("long.c", std::string(3 * SourceLines::kMaxLineBytes, 'x') + "\nshort\n");
  SourceLines lines;
  lines.want(frame(name, 1));
  lines.want(frame(name, 2));
  lines.read_all();
  EXPECT_EQ(line(lines, frame(name, 1)), std::string(SourceLines::kMaxLineBytes, 'x'));
  EXPECT_EQ(line(lines, frame(name, 2)), "short");
}

TEST_F(SourceLinesTest, NoLinesFromPseudoFilesDirectoriesOrMissingFiles) {
  SourceLines lines;
  Frame unknown = frame("<unknown>", 1);
  Frame directory = frame(".", 1);
  Frame missing = frame("missing.c", 1);
  Frame absolute = frame(write("abs.c", "absolute\n"), 1);
  absolute.filename = dir_ + "/abs.c";
  absolute.directory = "/nonexistent";
  for (const Frame &f : {unknown, directory, missing, absolute}) lines.want(f);
  lines.read_all();
  EXPECT_EQ(line(lines, unknown), "<none>");
  EXPECT_EQ(line(lines, directory), "<none>");
  EXPECT_EQ(line(lines, missing), "<none>");
  EXPECT_EQ(line(lines, absolute), "absolute");  // absolute names ignore the directory
}

}  // namespace
