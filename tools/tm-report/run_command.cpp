// run_command.cpp - one tm-report command line, from argv to its Outcome:
// the commands (commands/*.cpp) declare their options on one CLI11 app,
// CLI11 parses, the selected command runs.  main.cpp writes the outcome; the
// command-line fuzzer (test/fuzz/) calls run_command() directly.
#include <CLI/CLI.hpp>

#include <exception>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "commands/command.hpp"
#include "diagnostics.hpp"
#include "tracemalloc/snapshot.hpp"

namespace tmreport {
namespace {

using Commands = std::vector<std::unique_ptr<Command>>;

// In the order --help lists them.
Commands add_commands(CLI::App &app) {
  Commands commands;
  commands.push_back(add_top_command(app));
  commands.push_back(add_diff_command(app));
  commands.push_back(add_convert_command(app));
  commands.push_back(add_traceback_command(app));
  commands.push_back(add_timeline_command(app));
  commands.push_back(add_html_command(app));
  commands.push_back(add_pprof_command(app));
  commands.push_back(add_collapsed_command(app));
  commands.push_back(add_batch_command(app));
  return commands;
}

void configure(CLI::App &app) {
  app.require_subcommand(1);
  app.fallthrough(false);
  app.set_version_flag("--version", "tm-report " TM_VERSION);
}

// "top, diff, convert or traceback": the commands --help lists.
std::string command_choices(const CLI::App &app) {
  std::vector<const CLI::App *> listed =
      app.get_subcommands([](const CLI::App *sub) { return !sub->get_group().empty(); });
  std::string choices;
  for (size_t i = 0; i < listed.size(); ++i) {
    if (i > 0) choices += i + 1 == listed.size() ? " or " : ", ";
    choices += listed[i]->get_name();
  }
  return choices;
}

std::string expected_commands(const CLI::App &app) {
  return "(expected " + command_choices(app) + "; see --help)";
}

// CLI11 reports an unknown command as a missing one; name it instead.
// Returns false, with `outcome` failed, when argv names no known command.
bool check_command_word(const CLI::App &app, int argc, const char *const *argv, Outcome &outcome) {
  if (argc < 2) {
    outcome.fail("missing command " + expected_commands(app), kExitBadInput);
    return false;
  }
  if (argv[1][0] == '-') return true;  // --help, --version, or an error CLI11 names
  std::vector<const CLI::App *> known =
      app.get_subcommands([&](const CLI::App *sub) { return sub->get_name() == argv[1]; });
  if (!known.empty()) return true;
  outcome.fail(std::string("unknown command '") + argv[1] + "' " + expected_commands(app),
               kExitBadInput);
  return false;
}

// Returns false when parsing already decided the outcome: --help and
// --version (CLI11 formats them), or a parse error named after its command.
bool parse_command_line(CLI::App &app, int argc, const char *const *argv, Outcome &outcome) {
  try {
    app.parse(argc, argv);
    return true;
  } catch (const CLI::Success &e) {
    std::ostringstream out, err;
    app.exit(e, out, err);
    outcome.out = out.str();
    outcome.status = 0;
  } catch (const CLI::ExtrasError &e) {
    // CLI11 lists every extra argument: a glob of many dumps given to a
    // command of one snapshot would make a line of kilobytes.  Name one.
    CLI::App *command = &app;
    for (CLI::App *sub : app.get_subcommands()) command = sub;
    std::vector<std::string> extra = command->remaining();
    if (extra.empty()) extra = app.remaining(true);
    std::string message = command == &app ? "" : command->get_name() + ": ";
    if (extra.empty()) {
      message += e.what();
    } else {
      message += "unexpected argument '" + extra.front() + "'";
      if (extra.size() > 1) message += " (and " + std::to_string(extra.size() - 1) + " more)";
    }
    outcome.fail(message, kExitBadInput);
  } catch (const CLI::ParseError &e) {
    std::string where;
    for (CLI::App *sub : app.get_subcommands()) where = sub->get_name() + ": ";
    outcome.fail(where + e.what(), kExitBadInput);
  }
  return false;
}

int run(int argc, const char *const *argv, Outcome &outcome) {
  CLI::App app{
      "Report on TraceMalloc snapshots (binary .tmd dumps or JSON), "
      "with CPython tracemalloc's statistics and formats.",
      "tm-report"};
  configure(app);
  Commands commands = add_commands(app);
  if (!check_command_word(app, argc, argv, outcome)) return outcome.status;
  if (!parse_command_line(app, argc, argv, outcome)) return outcome.status;
  for (const std::unique_ptr<Command> &command : commands)
    if (command->selected()) return command->run(outcome);
  return outcome.fail("missing command " + expected_commands(app), kExitBadInput);
}

}  // namespace

Outcome run_command(int argc, const char *const *argv) {
  Outcome outcome;
  try {
    outcome.status = run(argc, argv, outcome);
  } catch (const UsageError &e) {
    outcome.fail(e.what(), kExitBadInput);
  } catch (const tracemalloc::Error &e) {
    outcome.fail(e.what(), kExitBadInput);
  } catch (const std::bad_alloc &) {
    outcome.fail("out of memory", kExitBadInput);
  } catch (const std::exception &e) {
    outcome.fail(std::string("unexpected error: ") + e.what(), kExitBadInput);
  }
  return outcome;
}

}  // namespace tmreport
