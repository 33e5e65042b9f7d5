// fuzz_tm_report.cpp - tm-report's command line, run_command() as main()
// runs it.  The input's first line is the argument list (split on spaces,
// the program name left out); the rest is the snapshot's bytes, written to a
// file the token SNAP names (diff may name it twice).  The commands run in
// the harness's scratch directory, and an argument with a '/' or "-"
// (standard input) is refused, as is batch (its lines would name any file):
// what a command writes (convert's OUT) stays in that directory.
//
// Besides crashes, a finding is a broken promise of tm-report: an exit
// status other than 0, 1 or 2; a failure that is not exactly one line
// "tm-report: ..."; or "unexpected error" (an exception the commands do not
// expect).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "tools/tm-report/commands/command.hpp"

namespace {

constexpr size_t kMaxArguments = 32;

void fail(const char *what, const tmreport::Outcome &outcome) {
  std::fprintf(stderr, "finding: %s (status %d)\nstderr: %s\n", what, outcome.status,
               outcome.err.c_str());
  std::abort();
}

// Empties the scratch directory the previous input may have written into.
void clear_scratch() {
  for (const auto &entry : std::filesystem::directory_iterator(tmfuzz::scratch_directory()))
    std::filesystem::remove_all(entry.path());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool in_scratch = chdir(tmfuzz::scratch_directory().c_str()) == 0;
  if (!in_scratch) std::abort();
  std::string_view input(reinterpret_cast<const char *>(data), size);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string_view line = input.substr(0, newline), snapshot = input.substr(newline + 1);

  std::vector<std::string> args{"tm-report"};
  for (size_t at = 0; at <= line.size() && args.size() <= kMaxArguments;) {
    size_t end = line.find(' ', at);
    if (end == std::string_view::npos) end = line.size();
    std::string arg(line.substr(at, end - at));
    at = end + 1;
    if (arg.empty()) continue;
    if (arg.find('/') != std::string::npos || arg == "-" || arg == "batch" ||
        arg.find('\0') != std::string::npos)
      return 0;
    args.push_back(arg == "SNAP" ? "snapshot" : arg);
  }
  if (args.size() > kMaxArguments) return 0;

  clear_scratch();
  tmfuzz::write_file("snapshot", snapshot);
  std::vector<const char *> argv;
  for (const std::string &arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  tmreport::Outcome outcome = tmreport::run_command(int(args.size()), argv.data());

  if (outcome.status < 0 || outcome.status > 2) fail("exit status out of range", outcome);
  if (outcome.status != 0) {
    const std::string &err = outcome.err;
    if (err.rfind("tm-report: ", 0) != 0 || err.empty() || err.back() != '\n' ||
        err.find('\n') != err.size() - 1)
      fail("a failure is not one line", outcome);
    // (The input's own text may follow "tm-report: FILE: ".)
    if (err.rfind("tm-report: unexpected error", 0) == 0) fail("unexpected exception", outcome);
  }
  return 0;
}
