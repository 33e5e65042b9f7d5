// Environment variables (flags.inc): parsing and the warning behaviour.
#include <unistd.h>

#include <map>
#include <string>

#include "runtime/config/flags.h"
#include "runtime/snapshots/dump.h"
#include "runtime_test_support.h"

namespace {

std::string tm_test_cwd() {
  char cwd[4096];
  return getcwd(cwd, sizeof cwd) ? cwd : "";
}

class RuntimeEnv : public tm_test::RuntimeTest {};

TEST(RuntimeEnvParse, AcceptsFrameCountsInRange) {
  int nframe = -1;
  const char *problem = nullptr;
  EXPECT_TRUE(tm_rt::parse_nframe_setting("1", &nframe, &problem));
  EXPECT_EQ(nframe, 1);
  EXPECT_TRUE(tm_rt::parse_nframe_setting("25", &nframe, &problem));
  EXPECT_EQ(nframe, 25);
  EXPECT_TRUE(tm_rt::parse_nframe_setting("65535", &nframe, &problem));
  EXPECT_EQ(nframe, 65535);
  // Unset and empty both mean "do not start".
  EXPECT_TRUE(tm_rt::parse_nframe_setting(nullptr, &nframe, &problem));
  EXPECT_EQ(nframe, 0);
  EXPECT_TRUE(tm_rt::parse_nframe_setting("", &nframe, &problem));
  EXPECT_EQ(nframe, 0);
}

TEST(RuntimeEnvParse, RejectsBadValues) {
  int nframe = -1;
  const char *problem = nullptr;
  for (const char *bad :
       {"abc", "0", "-1", "65536", "99999999999999999999", "5x", " 5", "+5", "1.5"}) {
    problem = nullptr;
    EXPECT_FALSE(tm_rt::parse_nframe_setting(bad, &nframe, &problem)) << bad;
    EXPECT_NE(problem, nullptr) << bad;
    EXPECT_EQ(nframe, 0) << bad;
  }
}

TEST(RuntimeEnvParse, ExpandsDumpPath) {
  const std::string pid = std::to_string(getpid());
  EXPECT_EQ(tm_rt::expand_dump_path("out.tmd"), "out.tmd");
  EXPECT_EQ(tm_rt::expand_dump_path("out-%p.tmd"), "out-" + pid + ".tmd");
  EXPECT_EQ(tm_rt::expand_dump_path("100%%-%p"), "100%-" + pid);
  EXPECT_EQ(tm_rt::expand_dump_path("%x%"), "%x%");
}

std::map<std::string, std::string> g_fake_environment;
const char *fake_lookup(const char *name) {
  auto found = g_fake_environment.find(name);
  return found == g_fake_environment.end() ? nullptr : found->second.c_str();
}

TEST_F(RuntimeEnv, ValidValueStartsTracing) {
  g_fake_environment = {{"TRACEMALLOC", "7"}};
  tm_test::capture_warnings();
  tm_rt::apply_environment(fake_lookup);
  EXPECT_EQ(tm_test::captured_warnings(), "");
  EXPECT_TRUE(tm_is_tracing());
  EXPECT_EQ(tm_get_traceback_limit(), 7);
  EXPECT_STREQ(tm_rt::dump_path_setting(), "");
}

TEST_F(RuntimeEnv, BadValueOnlyWarnsOnce) {
  for (const char *bad : {"abc", "0", "-4", "70000"}) {
    g_fake_environment = {{"TRACEMALLOC", bad}, {"TRACEMALLOC_DUMP", "x-%p.tmd"}};
    tm_test::capture_warnings();
    tm_rt::apply_environment(fake_lookup);
    const std::string warning = tm_test::captured_warnings();
    EXPECT_FALSE(tm_is_tracing()) << bad;
    EXPECT_EQ(warning.find("tracemalloc: tracing not started: "), 0u) << warning;
    const std::string tail = " in TRACEMALLOC=" + std::string(bad) + "\n";
    ASSERT_GE(warning.size(), tail.size());
    EXPECT_EQ(warning.substr(warning.size() - tail.size()), tail) << warning;
    // Exactly one line.
    EXPECT_EQ(warning.find('\n'), warning.size() - 1) << warning;
    // The dump path is independent of TRACEMALLOC.
    // (resolved in the directory at start-up).
    EXPECT_EQ(std::string(tm_rt::dump_path_setting()), tm_test_cwd() + "/x-%p.tmd");
  }
  g_fake_environment.clear();
  tm_rt::apply_environment(fake_lookup);
  EXPECT_STREQ(tm_rt::dump_path_setting(), "");
}

}  // namespace
