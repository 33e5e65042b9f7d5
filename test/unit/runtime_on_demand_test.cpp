// Dumps on demand (TRACEMALLOC_DUMP_SIGNAL / _INTERVAL): parsing, numbered
// paths, the help table, and the table-allocation failure knob.  The thread
// and the signal themselves are tested end to end (test/e2e/rt-dump-*).
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "runtime/config/flags.h"
#include "runtime/snapshots/dump.h"
#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime_test_support.h"

namespace {

using tm_test::kSiteA;

TEST(RuntimeOnDemandParse, Signals) {
  int signal_number = -1;
  const char *problem = nullptr;
  EXPECT_TRUE(tm_rt::parse_signal_setting(nullptr, &signal_number, &problem));
  EXPECT_EQ(signal_number, 0);
  EXPECT_TRUE(tm_rt::parse_signal_setting("", &signal_number, &problem));
  EXPECT_EQ(signal_number, 0);
  for (const char *usr2 : {"USR2", "SIGUSR2", "sigusr2", "usr2", "12"}) {
    EXPECT_TRUE(tm_rt::parse_signal_setting(usr2, &signal_number, &problem)) << usr2;
    EXPECT_EQ(signal_number, SIGUSR2) << usr2;
  }
  EXPECT_TRUE(tm_rt::parse_signal_setting("USR1", &signal_number, &problem));
  EXPECT_EQ(signal_number, SIGUSR1);
  EXPECT_TRUE(tm_rt::parse_signal_setting("34", &signal_number, &problem));
  EXPECT_EQ(signal_number, 34);
  EXPECT_TRUE(
      tm_rt::parse_signal_setting(std::to_string(SIGRTMAX).c_str(), &signal_number, &problem));
  EXPECT_EQ(signal_number, SIGRTMAX);
  // Signals the program relies on to die, or that cannot be caught, are
  // refused: taking over SEGV would loop on the fault.
  for (const char *unsafe : {"SEGV", "SIGFPE", "BUS", "ILL", "PIPE", "TERM", "KILL", "STOP", "INT",
                             "HUP", "ABRT", "CHLD", "9", "11"}) {
    problem = nullptr;
    EXPECT_FALSE(tm_rt::parse_signal_setting(unsafe, &signal_number, &problem)) << unsafe;
    EXPECT_STREQ(problem, "not a signal that can be taken over (USR1, USR2 or a real-time signal)")
        << unsafe;
    EXPECT_EQ(signal_number, 0) << unsafe;
  }
  for (const char *bad : {"USR3", "SIG", "0", "-12", "12x", "999", " USR2"}) {
    problem = nullptr;
    EXPECT_FALSE(tm_rt::parse_signal_setting(bad, &signal_number, &problem)) << bad;
    EXPECT_NE(problem, nullptr) << bad;
    EXPECT_EQ(signal_number, 0) << bad;
  }
}

TEST(RuntimeOnDemandParse, Intervals) {
  uint32_t ms = 1;
  const char *problem = nullptr;
  EXPECT_TRUE(tm_rt::parse_interval_setting(nullptr, &ms, &problem));
  EXPECT_EQ(ms, 0u);
  const std::pair<const char *, uint32_t> good[] = {{"30", 30000}, {"0.5", 500},
                                                    {".25", 250},  {"1.001", 1001},
                                                    {"2.1", 2100}, {"1000000", 1000000000}};
  for (const auto &[text, expected] : good) {
    EXPECT_TRUE(tm_rt::parse_interval_setting(text, &ms, &problem)) << text;
    EXPECT_EQ(ms, expected) << text;
  }
  for (const char *bad : {"0", "0.0", "-1", "1.0001", "1.", "x", "1e3", "1000001", "1,5", "."}) {
    problem = nullptr;
    EXPECT_FALSE(tm_rt::parse_interval_setting(bad, &ms, &problem)) << bad;
    EXPECT_NE(problem, nullptr) << bad;
    EXPECT_EQ(ms, 0u) << bad;
  }
}

TEST(RuntimeOnDemandParse, NumberedPaths) {
  const std::string pid = std::to_string(getpid());
  EXPECT_EQ(tm_rt::numbered_dump_path("leak-%n.tmd", 3), "leak-3.tmd");
  EXPECT_EQ(tm_rt::numbered_dump_path("%p/%n-%n", 12), pid + "/12-12");
  // Without %n: ".N" before the extension of the file name.
  EXPECT_EQ(tm_rt::numbered_dump_path("out.tmd", 2), "out.2.tmd");
  EXPECT_EQ(tm_rt::numbered_dump_path("dir.d/out", 2), "dir.d/out.2");
  EXPECT_EQ(tm_rt::numbered_dump_path("dir/.hidden", 4), "dir/.hidden.4");
  EXPECT_EQ(tm_rt::numbered_dump_path("out-%p.tmd", 1), "out-" + pid + ".1.tmd");
  // "%%n" is a literal "%n", not a number field.
  EXPECT_FALSE(tm_rt::has_number_field("100%%n.tmd"));
  EXPECT_EQ(tm_rt::numbered_dump_path("100%%n.tmd", 5), "100%n.5.tmd");
  EXPECT_TRUE(tm_rt::has_number_field("a%%%n"));
  EXPECT_EQ(tm_rt::expand_dump_path("a%n"), "a%n");  // no number: kept
  const uint64_t first = tm_rt::next_dump_number();
  EXPECT_EQ(tm_rt::next_dump_number(), first + 1);
}

std::map<std::string, std::string> g_environment;
const char *lookup(const char *name) {
  auto found = g_environment.find(name);
  return found == g_environment.end() ? nullptr : found->second.c_str();
}

class RuntimeOnDemandEnv : public tm_test::RuntimeTest {
 protected:
  void TearDown() override {
    g_environment.clear();
    tm_rt::apply_environment(lookup);
    tm_rt::internal_alloc_fail_after(-1);
    tm_test::RuntimeTest::TearDown();
  }
};

TEST_F(RuntimeOnDemandEnv, SettingsNeedADumpPath) {
  g_environment = {{"TRACEMALLOC_DUMP_SIGNAL", "USR2"}, {"TRACEMALLOC_DUMP_INTERVAL", "2"}};
  tm_test::capture_warnings();
  tm_rt::apply_environment(lookup);
  std::string warning = tm_test::captured_warnings();
  EXPECT_EQ(warning,
            "tracemalloc: TRACEMALLOC_DUMP_SIGNAL/TRACEMALLOC_DUMP_INTERVAL need TRACEMALLOC_DUMP "
            "(where to write); no dumps on demand\n");
  EXPECT_EQ(tm_rt::dump_signal_setting(), 0);
  EXPECT_EQ(tm_rt::dump_interval_setting_ms(), 0u);

  g_environment["TRACEMALLOC_DUMP"] = "x-%n.tmd";
  tm_test::capture_warnings();
  tm_rt::apply_environment(lookup);
  EXPECT_EQ(tm_test::captured_warnings(), "");
  EXPECT_EQ(tm_rt::dump_signal_setting(), SIGUSR2);
  EXPECT_EQ(tm_rt::dump_interval_setting_ms(), 2000u);

  g_environment["TRACEMALLOC_DUMP_SIGNAL"] = "USR9";
  g_environment["TRACEMALLOC_DUMP_INTERVAL"] = "soon";
  tm_test::capture_warnings();
  tm_rt::apply_environment(lookup);
  warning = tm_test::captured_warnings();
  EXPECT_NE(warning.find("tracemalloc: no dumps on a signal (not a signal name) in "
                         "TRACEMALLOC_DUMP_SIGNAL=USR9\n"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning.find(") in TRACEMALLOC_DUMP_INTERVAL=soon\n"), std::string::npos) << warning;
  EXPECT_EQ(std::count(warning.begin(), warning.end(), '\n'), 2) << warning;
}

TEST_F(RuntimeOnDemandEnv, HelpTableListsEveryVariable) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  tm_rt::print_flag_table(fds[1]);
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(fds[0]);
  for (const char *name : {"TRACEMALLOC ", "TRACEMALLOC_DUMP ", "TRACEMALLOC_DUMP_SIGNAL ",
                           "TRACEMALLOC_DUMP_INTERVAL ", "TRACEMALLOC_HELP "}) {
    EXPECT_NE(text.find(std::string("\n  ") + name + "("), std::string::npos) << name << text;
  }
  EXPECT_NE(text.find("TRACEMALLOC (int, default: 0)"), std::string::npos) << text;
  EXPECT_NE(text.find("TRACEMALLOC_DUMP (path, default: unset)"), std::string::npos) << text;
  // Testing aids are left out of the user's table.
  EXPECT_EQ(text.find("TRACEMALLOC_TEST_"), std::string::npos) << text;
}

TEST_F(RuntimeOnDemandEnv, HelpTableWithTestingAidsListsThemToo) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  tm_rt::print_flag_table(fds[1], /*with_testing_aids=*/true);
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(fds[0]);
  EXPECT_NE(text.find("\n  TRACEMALLOC_HELP ("), std::string::npos) << text;
  EXPECT_NE(text.find("\n  TRACEMALLOC_TEST_TABLE_ALLOCATIONS (int, default: unset)"),
            std::string::npos)
      << text;
}

TEST_F(RuntimeOnDemandEnv, TableAllocationLimitStopsTracingOnce) {
  g_environment = {{"TRACEMALLOC", "1"}, {"TRACEMALLOC_TEST_TABLE_ALLOCATIONS", "3"}};
  std::vector<void *> blocks;
  blocks.reserve(5000);  // before tracing: the vector's own block is foreign
  tm_test::capture_warnings();
  {
    // As in the initialiser: the fake lookup's strings are not traced.
    tm_rt::ReentrancyGuard guard;
    tm_rt::apply_environment(lookup);
  }
  ASSERT_TRUE(tm_is_tracing());
  for (int i = 0; i < 5000; ++i) {
    void *block = __tm_malloc(24, &kSiteA);
    ASSERT_NE(block, nullptr);
    memset(block, i & 0xff, 24);
    blocks.push_back(block);
  }
  const std::string warnings = tm_test::captured_warnings();
  EXPECT_EQ(warnings, "tracemalloc: out of memory for the trace tables; tracing stopped\n");
  EXPECT_FALSE(tm_is_tracing());
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(static_cast<unsigned char *>(blocks[i])[23], i & 0xff);
    __tm_free(blocks[i], &kSiteA);
  }
}

}  // namespace
