// tm-report - reads TraceMalloc snapshots (binary dumps or JSON) and prints
// what CPython's tracemalloc would print for the same traces.
//
// Exit status: 0 success, 1 nothing to report (traceback of an empty
// snapshot), 2 bad input or bad command line, always with one line on stderr.
//
// run_command() (run_command.cpp) runs the command line; main() writes what
// it produced.
#include <cerrno>
#include <cstring>
#include <string>

#include "commands/command.hpp"
#include "diagnostics.hpp"

int main(int argc, char **argv) {
  tmreport::Outcome outcome = tmreport::run_command(argc, argv);
  if (!tmreport::write_all(stdout, outcome.out)) {
    tmreport::print_diagnostic(std::string("cannot write to standard output: ") +
                               std::strerror(errno));
    return tmreport::kExitBadInput;
  }
  tmreport::write_all(stderr, outcome.err);
  return outcome.status;
}
