// Text produced by the model, checked against CPython 3.11's tracemalloc.
// Expected values were computed with python3 (snippets in the comments).
#include <tracemalloc/snapshot.hpp>

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>

using namespace tracemalloc;

namespace {

// python3 -c 'import tracemalloc as t; f=t._format_size
//   for v in [0,1,99,...]: print(v, f(v,False), f(v,True))'
struct SizeCase {
  uint64_t size;
  const char *plain;
  const char *signed_text;
};
const SizeCase kUnsignedSizes[] = {
    {0ULL, "0 B", "+0 B"},
    {1ULL, "1 B", "+1 B"},
    {99ULL, "99 B", "+99 B"},
    {100ULL, "100 B", "+100 B"},
    {10239ULL, "10239 B", "+10239 B"},
    {10240ULL, "10.0 KiB", "+10.0 KiB"},
    {10751ULL, "10.5 KiB", "+10.5 KiB"},
    {10752ULL, "10.5 KiB", "+10.5 KiB"},
    {102399ULL, "100.0 KiB", "+100.0 KiB"},
    {102400ULL, "100 KiB", "+100 KiB"},
    {1048575ULL, "1024 KiB", "+1024 KiB"},
    {104857599ULL, "100.0 MiB", "+100.0 MiB"},
    {10485760ULL, "10.0 MiB", "+10.0 MiB"},
    {10737418239ULL, "10240 MiB", "+10240 MiB"},
    {10737418240ULL, "10.0 GiB", "+10.0 GiB"},
    {108851651149824ULL, "99.0 TiB", "+99.0 TiB"},
    {109951162777599ULL, "100.0 TiB", "+100.0 TiB"},
    {109951162777600ULL, "100 TiB", "+100 TiB"},
    {9223372036854775807ULL, "8388608 TiB", "+8388608 TiB"},
    {18446744073709551615ULL, "16777216 TiB", "+16777216 TiB"},
    {153600ULL, "150 KiB", "+150 KiB"},
    {1572864ULL, "1536 KiB", "+1536 KiB"},
};

TEST(ModelFormatSize, UnsignedBoundariesMatchCPython) {
  for (const SizeCase &c : kUnsignedSizes) {
    EXPECT_EQ(format_size_unsigned(c.size, false), c.plain) << c.size;
    EXPECT_EQ(format_size_unsigned(c.size, true), c.signed_text) << c.size;
    if (c.size <= uint64_t(INT64_MAX))
      EXPECT_EQ(format_size(int64_t(c.size), false), c.plain) << c.size;
  }
}

TEST(ModelFormatSize, NegativeSizes) {
  EXPECT_EQ(format_size(-1, false), "-1 B");
  EXPECT_EQ(format_size(-1, true), "-1 B");
  EXPECT_EQ(format_size(-10240, true), "-10.0 KiB");
  EXPECT_EQ(format_size(-102400, false), "-100 KiB");
  EXPECT_EQ(format_size(INT64_MIN, true), "-8388608 TiB");
}

TEST(ModelFormatSize, FloatsRoundHalfToEvenLikePython) {
  // python3: _format_size(2.5,False), (0.5,False), (1.5,False) -> 2 B, 0 B, 2 B
  EXPECT_EQ(format_size_float(2.5, false), "2 B");
  EXPECT_EQ(format_size_float(0.5, false), "0 B");
  EXPECT_EQ(format_size_float(1.5, false), "2 B");
  // 5*1024**3 + 512*1024**2 -> "5632 MiB"
  EXPECT_EQ(format_size_unsigned(5ULL * 1024 * 1024 * 1024 + 512ULL * 1024 * 1024, false),
            "5632 MiB");
}

Traceback one_frame(const char *file, uint32_t line) {
  Frame f;
  f.filename = file;
  f.lineno = line;
  return Traceback({f}, std::nullopt);
}

// python3: str(Statistic(Traceback((('x.c',3),)), size, count)) and
//          str(StatisticDiff(Traceback((('x.c',3),)), size, size_diff, count, count_diff))
TEST(ModelStr, StatisticMatchesCPython) {
  EXPECT_EQ((Statistic{one_frame("x.c", 3), 18446744073709551615ULL, 3}.str()),
            "x.c:3: size=16777216 TiB, count=3, average=5592405 TiB");
  EXPECT_EQ(
      (Statistic{one_frame("x.c", 3), 18446744073709551615ULL, 18446744073709551615ULL}.str()),
      "x.c:3: size=16777216 TiB, count=18446744073709551615, average=1 B");
  EXPECT_EQ((Statistic{one_frame("x.c", 3), (1ULL << 53) + 1, 2}.str()),
            "x.c:3: size=8192 TiB, count=2, average=4096 TiB");
  EXPECT_EQ((Statistic{one_frame("x.c", 3), 10, 0}.str()), "x.c:3: size=10 B, count=0");
  EXPECT_EQ((Statistic{one_frame("x.c", 3), 10241 * 3, 3}.str()),
            "x.c:3: size=30.0 KiB, count=3, average=10.0 KiB");
  EXPECT_EQ((Statistic{one_frame("x.c", 3), 5, 2}.str()), "x.c:3: size=5 B, count=2, average=2 B");
  EXPECT_EQ((Statistic{one_frame("x.c", 3), 7, 2}.str()), "x.c:3: size=7 B, count=2, average=4 B");
}

TEST(ModelStr, StatisticDiffMatchesCPython) {
  EXPECT_EQ((StatisticDiff{one_frame("x.c", 3), 0, INT64_MIN, 0, -5}.str()),
            "x.c:3: size=0 B (-8388608 TiB), count=0 (-5)");
  EXPECT_EQ((StatisticDiff{one_frame("x.c", 3), 1536, 0, 2, 0}.str()),
            "x.c:3: size=1536 B (+0 B), count=2 (+0), average=768 B");
}

TEST(ModelStr, TracebackStrIsTheOldestFrame) {
  Frame oldest{"main.c", 7, "main", ""}, newest{"lib/b.c", 3, "", ""};
  EXPECT_EQ(Traceback({oldest, newest}, 3).str(), "main.c:7");
  EXPECT_EQ(oldest.str(), "main.c:7");
}

TEST(ModelFrame, IdentityIgnoresFunctionAndDirectory) {
  Frame a{"a.c", 1, "f", "/x"}, b{"a.c", 1, "g", "/y"}, c{"a.c", 2, "f", "/x"};
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_TRUE(a < c);
  EXPECT_EQ(Traceback({a}, 1), Traceback({b}, std::nullopt));
}

// python3:
//   import fnmatch; fnmatch.fnmatch(name, pattern)
struct MatchCase {
  const char *name;
  const char *pattern;
  bool expected;
};
const MatchCase kMatchCases[] = {
    {"a/b/c.c", "*.c", true},
    {"a/b/c.c", "a/*", true},
    {"abc", "a?c", true},
    {"ac", "a?c", false},
    {"a/c", "a?c", true},
    {"abc", "[abc]bc", true},
    {"dbc", "[!abc]bc", true},
    {"abc", "[!abc]bc", false},
    {"]", "[]]", true},
    {"a", "[]a]", true},
    {"!", "[!]", false},
    {"x", "[!]", false},
    {"[", "[", true},
    {"[a", "[a", true},
    {"a]", "a]", true},
    {"-", "[a-]", true},
    {"b", "[a-c]", true},
    {"d", "[a-c]", false},
    {"-", "[-a]", true},
    {"b", "[b-a]", false},
    {"a", "[b-a]", false},
    {"x", "[!b-a]", true},
    {"-", "[a---b]", true},
    {"b", "[a---b]", true},
    {"c", "[a---b]", false},
    {"e", "[a-c-e]", true},
    {"-", "[a-c-e]", true},
    {"d", "[a-c-e]", false},
    {"\\", "[\\]", true},
    {"a\\b", "a\\b", true},
    {"a*b", "a\\*b", false},
    {"axb", "a\\*b", false},
    {"&", "[&~|]", true},
    {"^", "[^a]", true},
    {"b", "[^a]", false},
    {".hidden", "*", true},
    {"", "*", true},
    {"", "?", false},
    {"abc", "*?*", true},
    {"ab", "a**b", true},
    {"a\nb", "a?b", true},
    {"a\nb", "a*", true},
    {"\xc3\xa9", "?", true},
    {"\xc3\xa9.c", "?.c", true},
    {"abc", "ABC", false},
    {"x.pyc", "x.py", false},
    {"a-b", "a[!]-]b", false},
    {"]", "[!]-]", false},
    {"c", "[c-!!]", true},
    {"!", "[c-!!a]", true},
    {"a", "[c-!!a]", false},
    {"z", "[c-!!a]", true},
    {"abcabd", "*abd", true},
    {"mississippi", "*sip*i", true},
    {"mississippi", "m*iss*ppi", true},
    {"[!]", "[[]!]", true},
    {"aaa", "a*a*a*a", false},
    {"{a}", "{a}", true},
    {"a.c", "a.c", true},
    {"abc", "a.c", false},
    {"(x)", "(x)", true},
    {"a+", "a+", true},
    {"[z-a]", "[z-a]", false},
};

TEST(ModelFnmatch, CornerCasesMatchPython) {
  for (const MatchCase &c : kMatchCases)
    EXPECT_EQ(fnmatch(c.name, c.pattern), c.expected)
        << "name=" << c.name << " pattern=" << c.pattern;
}

TEST(ModelFnmatch, NonAsciiRangesCompareCodePoints) {
  // python3: fnmatch.fnmatch('\u00e9', '[a-\u00ff]') -> True; ('\u0100', '[a-\u00ff]') -> False
  EXPECT_TRUE(fnmatch("\xc3\xa9", "[a-\xc3\xbf]"));
  EXPECT_FALSE(fnmatch("\xc4\x80", "[a-\xc3\xbf]"));
}

class ModelTracebackFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/tm-model-format-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/src.c";
    std::ofstream out(path_, std::ios::binary);
    out << "int main() {\r\n  \tint *p = malloc(4);  \r\n\n\x0c  return 0;\x1c\r}\n";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  Frame frame(uint32_t line) { return Frame{path_, line, "", ""}; }
  std::string file_line(uint32_t line) {
    return "  File \"" + path_ + "\", line " + std::to_string(line);
  }
  std::string dir_, path_;
};

// python3 (SRC = the same file):
//   tb = tracemalloc.Traceback(((SRC,2),(SRC,3),(SRC,4),('<unknown>',0),(SRC,1)))
//   tb.format(limit, most_recent_first)
TEST_F(ModelTracebackFormat, MatchesCPythonLimitsAndOrder) {
  Frame unknown{"<unknown>", 0, "", ""};
  Traceback tb({frame(1), unknown, frame(4), frame(3), frame(2)}, std::nullopt);
  const std::string l1 = "    int main() {", l2 = "    int *p = malloc(4);", l4 = "    return 0;",
                    u = "  File \"<unknown>\", line 0";
  using V = std::vector<std::string>;
  EXPECT_EQ(tb.format(),
            (V{file_line(1), l1, u, file_line(4), l4, file_line(3), file_line(2), l2}));
  EXPECT_EQ(tb.format(std::nullopt, true),
            (V{file_line(2), l2, file_line(3), file_line(4), l4, u, file_line(1), l1}));
  EXPECT_EQ(tb.format(0), V{});
  EXPECT_EQ(tb.format(0, true), V{});
  EXPECT_EQ(tb.format(1), (V{file_line(2), l2}));
  EXPECT_EQ(tb.format(2), (V{file_line(3), file_line(2), l2}));
  EXPECT_EQ(tb.format(2, true), (V{file_line(2), l2, file_line(3)}));
  EXPECT_EQ(tb.format(-1), (V{file_line(1), l1, u, file_line(4), l4, file_line(3)}));
  EXPECT_EQ(tb.format(-2, true), (V{file_line(4), l4, u, file_line(1), l1}));
  EXPECT_EQ(tb.format(-10), V{});
  EXPECT_EQ(tb.format(10), tb.format());
}

TEST_F(ModelTracebackFormat, RelativeFilenameIsReadFromDirectory) {
  Frame f{"src.c", 2, "main", dir_};
  EXPECT_EQ(Traceback({f}, 1).format(),
            (std::vector<std::string>{"  File \"src.c\", line 2", "    int *p = malloc(4);"}));
  Frame missing{"src.c", 2, "main", dir_ + "/nowhere"};
  EXPECT_EQ(Traceback({missing}, 1).format(),
            (std::vector<std::string>{"  File \"src.c\", line 2"}));
}

TEST_F(ModelTracebackFormat, InvalidUtf8FileHasNoLines) {
  // linecache: a UnicodeDecodeError gives no lines at all.
  std::string bad = dir_ + "/bad.c";
  {
    std::ofstream out(bad, std::ios::binary);
    out << "int x;\n\xff\xfe\n";
  }
  EXPECT_EQ(Traceback({Frame{bad, 1, "", ""}}, 1).format().size(), 1u);
  std::remove(bad.c_str());
}

}  // namespace
