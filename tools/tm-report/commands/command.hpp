// command.hpp - what tm-report's commands share: the outcome of a command
// line, the interface each command implements, and the flags several of them
// take.  Each command declares its own options on its CLI11 subcommand, so
// its help and its parsing come from that one declaration.
#ifndef TM_REPORT_COMMANDS_COMMAND_HPP
#define TM_REPORT_COMMANDS_COMMAND_HPP

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../cli_options.hpp"
#include "tracemalloc/snapshot.hpp"

namespace tmreport {

constexpr int kExitNothing = 1;   // nothing to report (traceback of no traces)
constexpr int kExitGate = 1;      // a CI gate's limit exceeded (--max-size, --max-growth)
constexpr int kExitBadInput = 2;  // bad input or bad command line

// What one command line produced; main() (or batch) decides where it goes.
struct Outcome {
  int status = 0;
  std::string out;
  std::string err;

  // Replaces any output by one diagnostic line; returns `exit_status`.
  int fail(std::string_view message, int exit_status);
  // Keeps the output and sets the diagnostic line to the first message
  // noted, with the number of later ones (a gate exceeded, or a report
  // empty, by several snapshots of --each): "... (and 2 more snapshots)".
  // The status becomes at least `exit_status`.
  int note(std::string_view message, int exit_status);

 private:
  size_t notes_ = 0;
  std::string first_note_;
};

// One subcommand.  The factories below declare it (options, help) on the
// parent app; after parsing, main() runs the one CLI11 selected.
class Command {
 public:
  explicit Command(CLI::App *app) : app_(app) {}
  virtual ~Command() = default;
  bool selected() const { return app_->parsed(); }
  // Returns the exit status; throws UsageError or tracemalloc::Error.
  virtual int run(Outcome &outcome) = 0;

 protected:
  CLI::App *app_;
};

std::unique_ptr<Command> add_top_command(CLI::App &parent);
std::unique_ptr<Command> add_diff_command(CLI::App &parent);
std::unique_ptr<Command> add_convert_command(CLI::App &parent);
std::unique_ptr<Command> add_traceback_command(CLI::App &parent);
std::unique_ptr<Command> add_timeline_command(CLI::App &parent);
std::unique_ptr<Command> add_pprof_command(CLI::App &parent);
std::unique_ptr<Command> add_collapsed_command(CLI::App &parent);
std::unique_ptr<Command> add_html_command(CLI::App &parent);
// Hidden from the help: a testing aid (see commands/batch.cpp).
std::unique_ptr<Command> add_batch_command(CLI::App &parent);

// One whole command line (argv[0] included), as main() runs it; batch runs
// each of its lines through it.
Outcome run_command(int argc, const char *const *argv);

// fwrite + fflush; false when the stream refused (e.g. a full disk).
bool write_all(std::FILE *stream, std::string_view text);

// What the filter flags select of a snapshot: its traces (filter_traces),
// then, with --hide/--show, the frames kept of each traceback.
struct Selection {
  std::vector<tracemalloc::AnyFilter> filters;
  std::function<bool(const tracemalloc::Frame &)> keep_frame;  // empty: every frame
};

// --include, --exclude, --all-frames, --domain, --include-domain,
// --exclude-domain: turned into model filters after parsing, in command-line
// order (CLI11 keeps each flag's values apart); --hide and --show.
class FilterFlags {
 public:
  void add_to(CLI::App &cmd);
  Selection selection(const CLI::App &cmd) const;  // throws UsageError
  // The filter flags as given ("--exclude <unknown>", "--all-frames"), for
  // reports that show what they were filtered by.
  std::vector<std::string> describe(const CLI::App &cmd) const;

 private:
  std::vector<FilterArg> ordered_args(const CLI::App &cmd) const;
  // The repeatable flags, one per FilterArg::Kind.
  struct Repeated {
    FilterArg::Kind kind;
    std::vector<std::string> values;
    CLI::Option *option = nullptr;
  };
  Repeated repeated_[4] = {{FilterArg::Kind::Include, {}},
                           {FilterArg::Kind::Exclude, {}},
                           {FilterArg::Kind::IncludeDomain, {}},
                           {FilterArg::Kind::ExcludeDomain, {}}};
  bool all_frames_ = false;
  std::string domain_;
  CLI::Option *domain_opt_ = nullptr;
  std::vector<std::string> hide_, show_;
  CLI::Option *hide_opt_ = nullptr, *show_opt_ = nullptr;
};

// SNAPSHOT...: the snapshots a command reads, merged into one
// (SnapshotMerger) unless --each asks for one report per snapshot.
class SnapshotArgs {
 public:
  void add_to(CLI::App &cmd, bool with_each);
  const std::vector<std::string> &paths() const { return paths_; }
  bool each() const { return each_; }
  // What errors call the inputs: the path, or "FIRST (and N more)".
  std::string label() const;

 private:
  std::vector<std::string> paths_;
  bool each_ = false;
};

// Runs `report(paths, label)` once on all the inputs (merged by the
// report), or with --each once per input; with `headers` each report comes
// under a "==> PATH <==" line, with a blank line between reports (as
// head(1) shows several files).
template <typename Report>
int report_inputs(const SnapshotArgs &args, Outcome &outcome, Report report, bool headers = true) {
  if (!args.each()) return report(args.paths(), args.label());
  int status = 0;
  for (const std::string &path : args.paths()) {
    if (headers)
      outcome.out += (&path == &args.paths().front() ? "==> " : "\n==> ") + path + " <==\n";
    status = std::max(status, report(std::vector<std::string>{path}, path));
  }
  return status;
}

// What top and diff compute: Snapshot.statistics() / compare_to() arguments
// and the output format.
struct Query {
  tracemalloc::KeyType key_type;
  bool cumulative;
  uint64_t limit;
  bool json;
  tracemalloc::View view;
};

// --peak, --allocated, --temporary: which view of the snapshots a command
// reads (the live traces without any).
class ViewFlags {
 public:
  // Without --temporary for the commands where it means nothing (pprof).
  void add_to(CLI::App &cmd, bool with_temporary = true);
  tracemalloc::View view() const;

 private:
  bool peak_ = false, allocated_ = false, temporary_ = false;
  CLI::Option *peak_opt_ = nullptr, *allocated_opt_ = nullptr, *temporary_opt_ = nullptr;
};

// Options shared by top and diff.
class StatisticsFlags {
 public:
  void add_to(CLI::App &cmd);
  Query query() const;  // throws UsageError
  const FilterFlags &filters() const { return filters_; }
  std::string format_flag() const { return format_opt_->get_name(); }

 private:
  std::string key_type_ = "lineno";
  bool cumulative_ = false;
  std::string limit_ = "10";
  std::string format_ = "text";
  CLI::Option *key_type_opt_ = nullptr, *cumulative_opt_ = nullptr, *limit_opt_ = nullptr,
              *format_opt_ = nullptr;
  FilterFlags filters_;
  ViewFlags views_;
};

// Snapshot::load() of each path, the view asked for (an error naming the
// file when it has none), filter_traces(); several are merged; then the
// frames --hide/--show keep.  With `keep_views`, every file must have
// `view` but the snapshot keeps all its views.
tracemalloc::Snapshot read_snapshots(const std::vector<std::string> &paths,
                                     const Selection &selection,
                                     tracemalloc::View view = tracemalloc::View::Live,
                                     bool keep_views = false);
inline tracemalloc::Snapshot read_snapshot(const std::string &path, const Selection &selection,
                                           tracemalloc::View view = tracemalloc::View::Live) {
  return read_snapshots({path}, selection, view);
}

// A CI gate: when `value` (bytes) exceeds `limit`, the one line "SUBJECT
// VALUE B (SIZE) exceeds FLAG LIMIT B (SIZE)" (SIZE as CPython formats it,
// signed for a `growth`) and the status kExitGate; the output stays.
int check_gate(Outcome &outcome, const std::string &subject, uint64_t value, bool growth,
               const std::string &flag, uint64_t limit);

// An export's bytes to stdout (`path` "-") or atomically to `path`
// (readable by others: a report, not a snapshot); `what` names it in errors.
void write_export(Outcome &outcome, const std::string &path, const char *what, std::string bytes);

// Errors raised after loading (a total beyond 64 bits) name the input too.
template <typename Compute>
auto computed_from(const std::string &what, Compute compute) -> decltype(compute()) {
  try {
    return compute();
  } catch (const tracemalloc::Error &e) {
    throw tracemalloc::Error(what + ": " + e.what());
  }
}

}  // namespace tmreport

#endif  // TM_REPORT_COMMANDS_COMMAND_HPP
