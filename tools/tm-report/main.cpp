// tm-report - reads TraceMalloc snapshots (binary dumps or JSON) and prints
// what CPython's tracemalloc would print for the same traces.
//
// Exit status: 0 success, 1 nothing to report (traceback of an empty
// snapshot), 2 bad input or bad command line, always with one line on stderr.
//
// `tm-report batch` runs many command lines in one process (one JSON array of
// arguments per input line, one JSON result per output line): the
// differential test issues thousands of queries, and process start-up would
// dominate its run time.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "render.hpp"
#include "snapshot_io.hpp"
#include "tracemalloc/snapshot.hpp"

namespace tmreport {
namespace {

constexpr int kExitNothing = 1;
constexpr int kExitBadInput = 2;

// Raw filter flags of one subcommand; turned into model filters after
// parsing, in command-line order (CLI11 keeps each flag's values apart).
struct FilterFlags {
  std::vector<std::string> include, exclude, include_domain, exclude_domain;
  bool all_frames = false;
  std::string domain;
  CLI::Option *include_opt = nullptr, *exclude_opt = nullptr;
  CLI::Option *include_domain_opt = nullptr, *exclude_domain_opt = nullptr;
  CLI::Option *domain_opt = nullptr;

  void add_to(CLI::App &cmd) {
    include_opt = cmd.add_option("--include", include,
                                 "Keep traces whose most recent frame (any frame with --all-frames) "
                                 "matches PATTERN[:LINENO] (fnmatch pattern); repeatable")
                      ->allow_extra_args(false)
                      ->type_name("PATTERN[:LINENO]");
    exclude_opt = cmd.add_option("--exclude", exclude,
                                 "Drop traces whose most recent frame (any frame with --all-frames) "
                                 "matches PATTERN[:LINENO]; repeatable")
                      ->allow_extra_args(false)
                      ->type_name("PATTERN[:LINENO]");
    cmd.add_flag("--all-frames", all_frames,
                 "--include/--exclude patterns test every frame of the traceback");
    domain_opt = cmd.add_option("--domain", domain,
                                "--include/--exclude patterns only concern traces of domain N "
                                "(tracemalloc.Filter's domain)")
                     ->type_name("N");
    include_domain_opt = cmd.add_option("--include-domain", include_domain,
                                        "Keep traces of domain N (DomainFilter); repeatable")
                             ->allow_extra_args(false)
                             ->type_name("N");
    exclude_domain_opt = cmd.add_option("--exclude-domain", exclude_domain,
                                        "Drop traces of domain N (DomainFilter); repeatable")
                             ->allow_extra_args(false)
                             ->type_name("N");
  }

  std::vector<tracemalloc::AnyFilter> build(const CLI::App &cmd) const {
    std::vector<FilterArg> args;
    size_t next_include = 0, next_exclude = 0, next_include_domain = 0, next_exclude_domain = 0;
    for (const CLI::Option *opt : cmd.parse_order()) {
      if (opt == include_opt)
        args.push_back({FilterArg::Kind::Include, include.at(next_include++)});
      else if (opt == exclude_opt)
        args.push_back({FilterArg::Kind::Exclude, exclude.at(next_exclude++)});
      else if (opt == include_domain_opt)
        args.push_back({FilterArg::Kind::IncludeDomain, include_domain.at(next_include_domain++)});
      else if (opt == exclude_domain_opt)
        args.push_back({FilterArg::Kind::ExcludeDomain, exclude_domain.at(next_exclude_domain++)});
    }
    std::optional<uint64_t> pattern_domain;
    if (domain_opt->count() > 0) pattern_domain = parse_domain(domain, "--domain");
    return build_filters(args, all_frames, pattern_domain);
  }
};

// Options shared by top and diff.
struct StatisticsFlags {
  std::string key_type = "lineno";
  bool cumulative = false;
  std::string limit = "10";
  std::string format = "text";
  FilterFlags filters;

  void add_to(CLI::App &cmd) {
    cmd.add_option("--key-type", key_type, "Group by lineno, filename or traceback (default lineno)")
        ->type_name("KEY");
    cmd.add_flag("--cumulative", cumulative,
                 "Count every frame of a traceback, not only the most recent "
                 "(lineno and filename only)");
    cmd.add_option("--limit", limit, "Number of statistics to list, 0 = all (default 10)")
        ->type_name("N");
    cmd.add_option("--format", format, "Output format: text or json (default text)")
        ->type_name("FORMAT");
    filters.add_to(cmd);
  }
};

struct Query {
  tracemalloc::KeyType key_type;
  bool cumulative;
  uint64_t limit;
  bool json;
};

Query validate(const StatisticsFlags &flags) {
  Query query;
  query.key_type = parse_key_type_flag(flags.key_type);
  query.cumulative = flags.cumulative;
  if (query.cumulative && query.key_type == tracemalloc::KeyType::Traceback)
    throw UsageError("--cumulative cannot be used with --key-type traceback");
  query.limit = parse_count_limit(flags.limit, "--limit");
  if (flags.format != "text" && flags.format != "json")
    throw UsageError("--format: unknown format '" + flags.format + "' (expected text or json)");
  query.json = flags.format == "json";
  return query;
}

tracemalloc::Snapshot read_snapshot(const std::string &path,
                                    const std::vector<tracemalloc::AnyFilter> &filters) {
  tracemalloc::Snapshot snapshot = tracemalloc::Snapshot::load(path);
  if (filters.empty()) return snapshot;
  return snapshot.filter_traces(filters);
}

// Errors raised after loading (a total beyond 64 bits) name the input too.
template <typename Compute>
auto computed_from(const std::string &what, Compute compute) -> decltype(compute()) {
  try {
    return compute();
  } catch (const tracemalloc::Error &e) {
    throw tracemalloc::Error(what + ": " + e.what());
  }
}

std::string one_line(std::string message) {
  for (char &c : message)
    if (c == '\n' || c == '\r') c = ' ';
  return message;
}

// What one command line produced; main() (or batch) decides where it goes.
struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

int fail(Outcome &outcome, const std::string &message, int status) {
  outcome.err = "tm-report: " + one_line(message) + "\n";
  outcome.out.clear();
  outcome.status = status;
  return status;
}

const char *const kCommands[] = {"top", "diff", "convert", "traceback"};

int run(int argc, const char *const *argv, Outcome &outcome) {
  CLI::App app{"Report on TraceMalloc snapshots (binary .tmd dumps or JSON), "
               "with CPython tracemalloc's statistics and formats.",
               "tm-report"};
  app.require_subcommand(1);
  app.fallthrough(false);
  app.set_version_flag("--version", "tm-report " TM_VERSION);
  app.footer("tm-report batch: run many command lines read from stdin, one JSON array of "
             "arguments per line; prints one {\"status\", \"stdout\", \"stderr\"} JSON object per line.");

  // top
  CLI::App *top = app.add_subcommand("top", "Largest statistics of one snapshot (Snapshot.statistics)");
  StatisticsFlags top_flags;
  std::string top_path;
  bool top_source = false;
  top->add_option("SNAPSHOT", top_path, "Snapshot file (binary dump or JSON)")->required();
  top_flags.add_to(*top);
  top->add_flag("--source", top_source,
                "The seed's display_top(): sizes in KiB with the source line of each entry, "
                "the rest summed as 'other'");

  // diff
  CLI::App *diff = app.add_subcommand("diff", "Differences NEW.compare_to(OLD) (StatisticDiff)");
  StatisticsFlags diff_flags;
  std::string old_path, new_path;
  diff->add_option("OLD", old_path, "Older snapshot")->required();
  diff->add_option("NEW", new_path, "Newer snapshot")->required();
  diff_flags.add_to(*diff);

  // convert
  CLI::App *convert = app.add_subcommand("convert", "Rewrite a snapshot as a binary dump or JSON");
  std::string convert_in, convert_out, convert_to;
  FilterFlags convert_filters;
  convert->add_option("IN", convert_in, "Snapshot to read (binary dump or JSON)")->required();
  convert->add_option("OUT", convert_out, "File to write (format from its extension .json/.tmd)")
      ->required();
  convert->add_option("--to", convert_to, "Output format: json or tmd (default: OUT's extension)")
      ->type_name("FORMAT");
  convert_filters.add_to(*convert);

  // traceback
  CLI::App *traceback = app.add_subcommand(
      "traceback", "Traceback of the biggest group of memory blocks (statistics('traceback')[0])");
  std::string traceback_path, traceback_limit;
  bool most_recent_first = false;
  FilterFlags traceback_filters;
  traceback->add_option("SNAPSHOT", traceback_path, "Snapshot file (binary dump or JSON)")->required();
  CLI::Option *traceback_limit_opt =
      traceback
          ->add_option("--limit", traceback_limit,
                       "Format the N most recent frames (N > 0) or all but the |N| most recent "
                       "(N < 0), as Traceback.format(limit)")
          ->type_name("N");
  traceback->add_flag("--most-recent-first", most_recent_first, "List the most recent frame first");
  traceback_filters.add_to(*traceback);

  if (argc < 2)
    return fail(outcome, "missing command (expected top, diff, convert or traceback; see --help)",
                kExitBadInput);
  // CLI11 reports an unknown command as a missing one; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const char *command : kCommands) known = known || std::strcmp(argv[1], command) == 0;
    if (!known)
      return fail(outcome, std::string("unknown command '") + argv[1] +
                      "' (expected top, diff, convert or traceback; see --help)",
                  kExitBadInput);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success &e) {
    // --help, --help-all, --version: CLI11 formats them.
    std::ostringstream out, err;
    app.exit(e, out, err);
    outcome.out = out.str();
    return 0;
  } catch (const CLI::ParseError &e) {
    std::string where;
    for (CLI::App *sub : app.get_subcommands()) where = sub->get_name() + ": ";
    return fail(outcome, where + e.what(), kExitBadInput);
  }

  if (top->parsed()) {
    Query query = validate(top_flags);
    if (top_source && query.json) throw UsageError("--source cannot be used with --format json");
    std::vector<tracemalloc::AnyFilter> filters = top_flags.filters.build(*top);
    if (top_source) {
      // display_top() hides the interpreter's bootstrap frames and unknown
      // frames before grouping.
      filters.push_back(tracemalloc::Filter{false, "<frozen importlib._bootstrap>", std::nullopt,
                                            false, std::nullopt});
      filters.push_back(tracemalloc::Filter{false, "<unknown>", std::nullopt, false, std::nullopt});
    }
    tracemalloc::Snapshot snapshot = read_snapshot(top_path, filters);
    std::vector<tracemalloc::Statistic> stats = computed_from(
        top_path, [&] { return snapshot.statistics(query.key_type, query.cumulative); });
    if (top_source)
      outcome.out = display_top_text(stats, query.limit);
    else if (query.json)
      outcome.out = top_json(stats, query.limit, query.key_type, query.cumulative);
    else
      outcome.out = top_text(stats, query.limit, query.key_type);
    return 0;
  }

  if (diff->parsed()) {
    Query query = validate(diff_flags);
    std::vector<tracemalloc::AnyFilter> filters = diff_flags.filters.build(*diff);
    tracemalloc::Snapshot old_snapshot = read_snapshot(old_path, filters);
    tracemalloc::Snapshot new_snapshot = read_snapshot(new_path, filters);
    std::vector<tracemalloc::StatisticDiff> stats = computed_from(new_path + " vs " + old_path, [&] {
      return new_snapshot.compare_to(old_snapshot, query.key_type, query.cumulative);
    });
    if (query.json)
      outcome.out = diff_json(stats, query.limit, query.key_type, query.cumulative);
    else
      outcome.out = diff_text(stats, query.limit, query.key_type);
    return 0;
  }

  if (convert->parsed()) {
    SnapshotFormat format = output_format(convert_out, convert_to);
    std::vector<tracemalloc::AnyFilter> filters = convert_filters.build(*convert);
    tracemalloc::Snapshot snapshot = read_snapshot(convert_in, filters);
    write_snapshot(snapshot, convert_out, format);
    return 0;
  }

  if (traceback->parsed()) {
    std::optional<int> frame_limit;
    if (traceback_limit_opt->count() > 0) frame_limit = parse_frame_limit(traceback_limit, "--limit");
    std::vector<tracemalloc::AnyFilter> filters = traceback_filters.build(*traceback);
    tracemalloc::Snapshot snapshot = read_snapshot(traceback_path, filters);
    std::vector<tracemalloc::Statistic> stats = computed_from(
        traceback_path, [&] { return snapshot.statistics(tracemalloc::KeyType::Traceback); });
    if (stats.empty()) return fail(outcome, traceback_path + ": no memory blocks to show", kExitNothing);
    outcome.out = biggest_block_text(stats.front(), frame_limit, most_recent_first);
    return 0;
  }
  return fail(outcome, "missing command (expected top, diff, convert or traceback; see --help)",
              kExitBadInput);
}

Outcome run_command(int argc, const char *const *argv) {
  Outcome outcome;
  try {
    outcome.status = run(argc, argv, outcome);
  } catch (const UsageError &e) {
    fail(outcome, e.what(), kExitBadInput);
  } catch (const tracemalloc::Error &e) {
    fail(outcome, e.what(), kExitBadInput);
  } catch (const std::bad_alloc &) {
    fail(outcome, "out of memory", kExitBadInput);
  } catch (const std::exception &e) {
    fail(outcome, std::string("unexpected error: ") + e.what(), kExitBadInput);
  }
  return outcome;
}

bool write_all(FILE *stream, const std::string &text) {
  return std::fwrite(text.data(), 1, text.size(), stream) == text.size() && std::fflush(stream) == 0;
}

// Each input line: a JSON array of argument strings (without "tm-report").
// Each output line: {"status": N, "stdout": "...", "stderr": "..."}.
int run_batch() {
  std::string line;
  size_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    nlohmann::json args;
    try {
      args = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception &) {
      std::fprintf(stderr, "tm-report: batch: line %zu: not a JSON array of strings\n", line_number);
      return kExitBadInput;
    }
    std::vector<std::string> words{"tm-report"};
    bool valid = args.is_array();
    for (const auto &arg : args) {
      valid = valid && arg.is_string();
      if (valid) words.push_back(arg.get<std::string>());
    }
    if (!valid || words.size() < 2 || words[1] == "batch") {
      std::fprintf(stderr, "tm-report: batch: line %zu: not a JSON array of strings naming a command\n",
                   line_number);
      return kExitBadInput;
    }
    std::vector<const char *> argv;
    for (const std::string &word : words) argv.push_back(word.c_str());
    argv.push_back(nullptr);
    Outcome outcome = run_command(int(words.size()), argv.data());
    nlohmann::ordered_json result;
    result["status"] = outcome.status;
    result["stdout"] = outcome.out;
    result["stderr"] = outcome.err;
    std::string text = result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (!write_all(stdout, text)) {
      std::fprintf(stderr, "tm-report: cannot write to standard output: %s\n", std::strerror(errno));
      return kExitBadInput;
    }
  }
  return 0;
}

}  // namespace
}  // namespace tmreport

int main(int argc, char **argv) {
  if (argc == 2 && std::strcmp(argv[1], "batch") == 0) return tmreport::run_batch();
  tmreport::Outcome outcome = tmreport::run_command(argc, argv);
  if (!tmreport::write_all(stdout, outcome.out)) {
    std::fprintf(stderr, "tm-report: cannot write to standard output: %s\n", std::strerror(errno));
    return tmreport::kExitBadInput;
  }
  tmreport::write_all(stderr, outcome.err);
  return outcome.status;
}
