// Unit tests of tm-report's option parsing (tools/tm-report/cli_options.cpp):
// the edge cases of filter specs and numbers that lit tests would need one
// process each to reach.
#include "tools/tm-report/cli_options.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace {

using tmreport::FilterArg;
using tmreport::UsageError;
using tracemalloc::DomainFilter;
using tracemalloc::Filter;

TEST(FilterSpec, PatternOnly) {
  Filter f = tmreport::parse_filter_spec("src/*.c", true, "--include");
  EXPECT_TRUE(f.inclusive);
  EXPECT_EQ(f.filename_pattern, "src/*.c");
  EXPECT_FALSE(f.lineno.has_value());
  EXPECT_FALSE(f.all_frames);
  EXPECT_FALSE(f.domain.has_value());
}

TEST(FilterSpec, TrailingDigitsAreTheLineNumber) {
  Filter f = tmreport::parse_filter_spec("a.c:12", false, "--exclude");
  EXPECT_FALSE(f.inclusive);
  EXPECT_EQ(f.filename_pattern, "a.c");
  ASSERT_TRUE(f.lineno.has_value());
  EXPECT_EQ(*f.lineno, 12u);
}

TEST(FilterSpec, OnlyTheLastColonCounts) {
  Filter f = tmreport::parse_filter_spec("C:dir/a.c:7", true, "--include");
  EXPECT_EQ(f.filename_pattern, "C:dir/a.c");
  EXPECT_EQ(f.lineno, 7u);
}

TEST(FilterSpec, ColonFollowedByNonDigitsIsPartOfThePattern) {
  Filter f = tmreport::parse_filter_spec("a:b.c", true, "--include");
  EXPECT_EQ(f.filename_pattern, "a:b.c");
  EXPECT_FALSE(f.lineno.has_value());
  EXPECT_EQ(tmreport::parse_filter_spec("a.c:1x", true, "--include").filename_pattern, "a.c:1x");
}

TEST(FilterSpec, LineNumberRange) {
  EXPECT_EQ(tmreport::parse_filter_spec("a.c:0", true, "--include").lineno, 0u);
  EXPECT_EQ(tmreport::parse_filter_spec("a.c:4294967295", true, "--include").lineno, 4294967295u);
  EXPECT_THROW(tmreport::parse_filter_spec("a.c:4294967296", true, "--include"), UsageError);
}

TEST(FilterSpec, Rejected) {
  for (const char *spec : {"", ":3", "a.c:"}) {
    try {
      tmreport::parse_filter_spec(spec, true, "--include");
      ADD_FAILURE() << "accepted '" << spec << "'";
    } catch (const UsageError &e) {
      EXPECT_EQ(std::string(e.what()).rfind("--include: bad filter '", 0), 0u) << e.what();
    }
  }
}

TEST(CountLimit, Accepted) {
  EXPECT_EQ(tmreport::parse_count_limit("0", "--limit"), 0u);
  EXPECT_EQ(tmreport::parse_count_limit("10", "--limit"), 10u);
  EXPECT_EQ(tmreport::parse_count_limit("18446744073709551615", "--limit"),
            std::numeric_limits<uint64_t>::max());
}

TEST(CountLimit, Rejected) {
  for (const char *text : {"", "-1", "+1", " 1", "1 ", "0x10", "1e3", "18446744073709551616", "ten"})
    EXPECT_THROW(tmreport::parse_count_limit(text, "--limit"), UsageError) << text;
}

TEST(FrameLimit, SignedRange) {
  EXPECT_EQ(tmreport::parse_frame_limit("-1", "--limit"), -1);
  EXPECT_EQ(tmreport::parse_frame_limit("0", "--limit"), 0);
  EXPECT_EQ(tmreport::parse_frame_limit("2147483647", "--limit"), std::numeric_limits<int>::max());
  EXPECT_EQ(tmreport::parse_frame_limit("-2147483648", "--limit"), std::numeric_limits<int>::min());
  for (const char *text : {"2147483648", "-2147483649", "-", "--1", "1.5", ""})
    EXPECT_THROW(tmreport::parse_frame_limit(text, "--limit"), UsageError) << text;
}

TEST(KeyType, Names) {
  EXPECT_EQ(tmreport::parse_key_type_flag("lineno"), tracemalloc::KeyType::Lineno);
  EXPECT_EQ(tmreport::parse_key_type_flag("filename"), tracemalloc::KeyType::Filename);
  EXPECT_EQ(tmreport::parse_key_type_flag("traceback"), tracemalloc::KeyType::Traceback);
  EXPECT_THROW(tmreport::parse_key_type_flag("Lineno"), UsageError);
}

TEST(KeyType, ChoicesListEveryAcceptedName) {
  // --key-type's help is built from this list: every name in it must parse.
  EXPECT_EQ(tmreport::key_type_choices(), "lineno, filename or traceback");
  for (const char *name : {"lineno", "filename", "traceback"}) EXPECT_NO_THROW(tmreport::parse_key_type_flag(name));
}

TEST(FilterFlags, OneNamePerKind) {
  // The options are declared under these names and errors cite them.
  EXPECT_STREQ(tmreport::filter_flag_name(FilterArg::Kind::Include), "--include");
  EXPECT_STREQ(tmreport::filter_flag_name(FilterArg::Kind::Exclude), "--exclude");
  EXPECT_STREQ(tmreport::filter_flag_name(FilterArg::Kind::IncludeDomain), "--include-domain");
  EXPECT_STREQ(tmreport::filter_flag_name(FilterArg::Kind::ExcludeDomain), "--exclude-domain");
}

TEST(BuildFilters, KeepsCommandLineOrderAndAppliesSharedFlags) {
  std::vector<FilterArg> args = {
      {FilterArg::Kind::ExcludeDomain, "3"},
      {FilterArg::Kind::Include, "a*.c:5"},
      {FilterArg::Kind::IncludeDomain, "0"},
      {FilterArg::Kind::Exclude, "b.c"},
  };
  auto filters = tmreport::build_filters(args, true, 7);
  ASSERT_EQ(filters.size(), 4u);
  const auto &d0 = std::get<DomainFilter>(filters[0]);
  EXPECT_FALSE(d0.inclusive);
  EXPECT_EQ(d0.domain, 3u);
  const auto &f1 = std::get<Filter>(filters[1]);
  EXPECT_TRUE(f1.inclusive);
  EXPECT_EQ(f1.filename_pattern, "a*.c");
  EXPECT_EQ(f1.lineno, 5u);
  EXPECT_TRUE(f1.all_frames);
  EXPECT_EQ(f1.domain, 7u);
  const auto &d2 = std::get<DomainFilter>(filters[2]);
  EXPECT_TRUE(d2.inclusive);
  EXPECT_EQ(d2.domain, 0u);
  const auto &f3 = std::get<Filter>(filters[3]);
  EXPECT_FALSE(f3.inclusive);
  EXPECT_EQ(f3.domain, 7u);
}

TEST(BuildFilters, BadDomainNamesItsFlag) {
  try {
    tmreport::build_filters({{FilterArg::Kind::IncludeDomain, "-2"}}, false, std::nullopt);
    ADD_FAILURE() << "accepted -2";
  } catch (const UsageError &e) {
    EXPECT_STREQ(e.what(), "--include-domain: invalid domain '-2' (expected a non-negative integer)");
  }
}

TEST(Size, PlainBytesAndUnits) {
  EXPECT_EQ(tmreport::parse_size("1048576", "--max-size"), 1048576u);
  EXPECT_EQ(tmreport::parse_size("0", "--max-size"), 0u);
  EXPECT_EQ(tmreport::parse_size("1MiB", "--max-size"), 1048576u);
  EXPECT_EQ(tmreport::parse_size("512 KiB", "--max-size"), 524288u);
  EXPECT_EQ(tmreport::parse_size("1.5MiB", "--max-size"), 1572864u);
  EXPECT_EQ(tmreport::parse_size("10MB", "--max-size"), 10000000u);
  EXPECT_EQ(tmreport::parse_size("2kB", "--max-size"), 2000u);
  EXPECT_EQ(tmreport::parse_size("3 GiB", "--max-size"), 3ull << 30);
  EXPECT_EQ(tmreport::parse_size("1GB", "--max-size"), 1000000000u);
  EXPECT_EQ(tmreport::parse_size("1 TiB", "--max-size"), 1ull << 40);
  EXPECT_EQ(tmreport::parse_size("7B", "--max-size"), 7u);
  EXPECT_EQ(tmreport::parse_size("1mib", "--max-size"), 1048576u);
}

TEST(Size, FractionsAreExactAndDropPartialBytes) {
  EXPECT_EQ(tmreport::parse_size("0.5KiB", "--max-size"), 512u);
  EXPECT_EQ(tmreport::parse_size("1.0001KiB", "--max-size"), 1024u);  // 1024.1024
  EXPECT_EQ(tmreport::parse_size("2.5", "--max-size"), 2u);
  EXPECT_EQ(tmreport::parse_size("0.000000000000000001TiB", "--max-size"), 0u);
  EXPECT_EQ(tmreport::parse_size("16777215.5TiB", "--max-size"), (16777215ull << 40) + (1ull << 39));
}

TEST(Size, LimitsOfTheRange) {
  EXPECT_EQ(tmreport::parse_size("18446744073709551615", "--max-size"), UINT64_MAX);
  EXPECT_THROW(tmreport::parse_size("18446744073709551616", "--max-size"), UsageError);
  EXPECT_THROW(tmreport::parse_size("16777216TiB", "--max-size"), UsageError);  // 2^64
}

TEST(Size, RejectsWhatIsNotASize) {
  for (const char *bad : {"", "abc", "-1", "+1", " 1", "1 ", "1.", ".5", "1..5", "1.5.5", "0x10",
                          "1 K", "1KB/s", "1 MiB ", "1e6", "MiB", "1	KiB"})
    EXPECT_THROW(tmreport::parse_size(bad, "--max-growth"), UsageError) << "'" << bad << "'";
  try {
    tmreport::parse_size("abc", "--max-growth");
  } catch (const UsageError &e) {
    EXPECT_STREQ(e.what(),
                 "--max-growth: invalid size 'abc' (expected bytes with an optional unit: "
                 "1048576, 512 KiB, 1.5MiB, 10MB)");
  }
}

TEST(FrameRegex, EcmaScriptSyntaxAndOneLineErrors) {
  EXPECT_TRUE(std::regex_search("/usr/include/c++/12/bits/new_allocator.h",
                                tmreport::parse_frame_regex("bits/(new|stl)_", "--hide")));
  EXPECT_FALSE(std::regex_search("src/main.cpp", tmreport::parse_frame_regex("^bits/", "--hide")));
  try {
    tmreport::parse_frame_regex("(", "--show");
    ADD_FAILURE() << "accepted (";
  } catch (const UsageError &e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("--show: bad regular expression '(' (", 0), 0u) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
  EXPECT_THROW(tmreport::parse_frame_regex("(a)\\1", "--hide"), UsageError);
}

TEST(FrameRegex, NestedRepetitionTakesPolynomialTime) {
  // A backtracking matcher needs about 2^40 steps here.
  const std::string name(40, 'a');
  EXPECT_FALSE(std::regex_search(name, tmreport::parse_frame_regex("(a*)*b", "--hide")));
}

}  // namespace
