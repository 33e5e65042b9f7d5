// command.cpp - what the commands share: outcomes, output, the filter and
// statistics flags, reading a snapshot.
#include "command.hpp"

#include "../diagnostics.hpp"
#include "model/file_io.hpp"

#include <algorithm>
#include <regex>

namespace tmreport {

int Outcome::fail(std::string_view message, int exit_status) {
  err = diagnostic_line(message);
  out.clear();
  status = exit_status;
  return exit_status;
}

int Outcome::note(std::string_view message, int exit_status) {
  if (notes_++ == 0) first_note_ = message;
  std::string line = first_note_;
  if (notes_ > 1)
    line += " (and " + std::to_string(notes_ - 1) +
            (notes_ == 2 ? " more snapshot)" : " more snapshots)");
  err = diagnostic_line(line);
  status = std::max(status, exit_status);
  return status;
}

bool write_all(std::FILE *stream, std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), stream) == text.size() &&
         std::fflush(stream) == 0;
}

void FilterFlags::add_to(CLI::App &cmd) {
  auto add_repeated = [&](Repeated &flag, const char *help, const char *value_name) {
    flag.option = cmd.add_option(filter_flag_name(flag.kind), flag.values, help)
                      ->allow_extra_args(false)
                      ->type_name(value_name);
  };
  add_repeated(repeated_[0],
               "Keep traces whose most recent frame (any frame with --all-frames) "
               "matches PATTERN[:LINENO] (fnmatch pattern); repeatable",
               "PATTERN[:LINENO]");
  add_repeated(repeated_[1],
               "Drop traces whose most recent frame (any frame with --all-frames) "
               "matches PATTERN[:LINENO]; repeatable",
               "PATTERN[:LINENO]");
  cmd.add_flag("--all-frames", all_frames_,
               "--include/--exclude patterns test every frame of the traceback");
  domain_opt_ = cmd.add_option("--domain", domain_,
                               "--include/--exclude patterns only concern traces of domain N "
                               "(tracemalloc.Filter's domain)")
                    ->type_name("N");
  add_repeated(repeated_[2], "Keep traces of domain N (DomainFilter); repeatable", "N");
  add_repeated(repeated_[3], "Drop traces of domain N (DomainFilter); repeatable", "N");
  hide_opt_ = cmd.add_option("--hide", hide_,
                             "Beyond CPython (pprof's -hide): drop the frames whose file or "
                             "function matches REGEX, before grouping; repeatable")
                  ->allow_extra_args(false)
                  ->type_name("REGEX");
  show_opt_ = cmd.add_option("--show", show_,
                             "Beyond CPython (pprof's -show): keep only the frames whose file or "
                             "function matches REGEX (a traceback left with none keeps its most "
                             "recent frame); repeatable")
                  ->allow_extra_args(false)
                  ->type_name("REGEX");
}

std::vector<FilterArg> FilterFlags::ordered_args(const CLI::App &cmd) const {
  std::vector<FilterArg> args;
  size_t next[4] = {0, 0, 0, 0};
  for (const CLI::Option *opt : cmd.parse_order())
    for (size_t i = 0; i < 4; ++i)
      if (opt == repeated_[i].option)
        args.push_back({repeated_[i].kind, repeated_[i].values.at(next[i]++)});
  return args;
}

Selection FilterFlags::selection(const CLI::App &cmd) const {
  Selection selection;
  std::optional<uint64_t> pattern_domain;
  if (domain_opt_->count() > 0) pattern_domain = parse_domain(domain_, domain_opt_->get_name());
  selection.filters = build_filters(ordered_args(cmd), all_frames_, pattern_domain);
  if (hide_.empty() && show_.empty()) return selection;
  auto compiled = [](const std::vector<std::string> &texts, const CLI::Option *opt) {
    std::vector<std::regex> regexes;
    for (const std::string &text : texts)
      regexes.push_back(parse_frame_regex(text, opt->get_name()));
    return regexes;
  };
  selection.keep_frame = [hide = compiled(hide_, hide_opt_),
                          show = compiled(show_, show_opt_)](const tracemalloc::Frame &frame) {
    auto matches = [&](const std::vector<std::regex> &regexes) {
      for (const std::regex &re : regexes)
        if (std::regex_search(frame.filename, re) || std::regex_search(frame.function, re))
          return true;
      return false;
    };
    return (show.empty() || matches(show)) && !matches(hide);
  };
  return selection;
}

std::vector<std::string> FilterFlags::describe(const CLI::App &cmd) const {
  std::vector<std::string> flags;
  for (const FilterArg &arg : ordered_args(cmd))
    flags.push_back(std::string(filter_flag_name(arg.kind)) + " " + arg.value);
  if (all_frames_) flags.push_back("--all-frames");
  if (domain_opt_->count() > 0) flags.push_back("--domain " + domain_);
  for (const std::string &regex : hide_) flags.push_back("--hide " + regex);
  for (const std::string &regex : show_) flags.push_back("--show " + regex);
  return flags;
}

void SnapshotArgs::add_to(CLI::App &cmd, bool with_each) {
  cmd.add_option("SNAPSHOT", paths_,
                 "Snapshot files (binary dumps or JSON); several are merged, their traces summed")
      ->required();
  if (with_each)
    cmd.add_flag("--each", each_,
                 "One report per snapshot, each under a \"==> SNAPSHOT <==\" line, instead of "
                 "one of them all merged");
}

std::string SnapshotArgs::label() const {
  if (paths_.size() == 1) return paths_.front();
  return paths_.front() + " (and " + std::to_string(paths_.size() - 1) + " more)";
}

void StatisticsFlags::add_to(CLI::App &cmd) {
  key_type_opt_ = cmd.add_option(kKeyTypeFlag, key_type_, "Group by " + key_type_choices())
                      ->type_name("KEY")
                      ->capture_default_str();
  cumulative_opt_ = cmd.add_flag("--cumulative", cumulative_,
                                 "Count every frame of a traceback, not only the most recent "
                                 "(lineno and filename only)");
  limit_opt_ = cmd.add_option("--limit", limit_, "Number of statistics to list, 0 = all")
                   ->type_name("N")
                   ->capture_default_str();
  format_opt_ = cmd.add_option("--format", format_, "Output format: text or json")
                    ->type_name("FORMAT")
                    ->capture_default_str();
  views_.add_to(cmd);
  filters_.add_to(cmd);
}

void ViewFlags::add_to(CLI::App &cmd, bool with_temporary) {
  peak_opt_ = cmd.add_flag("--peak", peak_,
                           "What was live when traced memory reached its peak, not what is live "
                           "now");
  allocated_opt_ = cmd.add_flag("--allocated", allocated_,
                                "Every allocation since tracing started, freed ones included "
                                "(size: bytes allocated, count: allocations)");
  peak_opt_->excludes(allocated_opt_);
  if (!with_temporary) return;
  temporary_opt_ = cmd.add_flag("--temporary", temporary_,
                                "Allocations freed by their thread before its next allocation");
  peak_opt_->excludes(temporary_opt_);
  allocated_opt_->excludes(temporary_opt_);
}

tracemalloc::View ViewFlags::view() const {
  if (peak_) return tracemalloc::View::Peak;
  if (allocated_) return tracemalloc::View::Allocated;
  if (temporary_) return tracemalloc::View::Temporary;
  return tracemalloc::View::Live;
}

Query StatisticsFlags::query() const {
  Query query;
  query.key_type = parse_key_type_flag(key_type_);
  query.cumulative = cumulative_;
  if (query.cumulative && query.key_type == tracemalloc::KeyType::Traceback)
    throw UsageError(cumulative_opt_->get_name() + " cannot be used with " +
                     key_type_opt_->get_name() + " traceback");
  query.limit = parse_count_limit(limit_, limit_opt_->get_name());
  if (format_ != "text" && format_ != "json")
    throw UsageError(format_opt_->get_name() + ": unknown format '" + format_ +
                     "' (expected text or json)");
  query.json = format_ == "json";
  query.view = views_.view();
  return query;
}

tracemalloc::Snapshot read_snapshots(const std::vector<std::string> &paths,
                                     const Selection &selection, tracemalloc::View view,
                                     bool keep_views) {
  auto read = [&](const std::string &path) {
    tracemalloc::Snapshot snapshot = tracemalloc::Snapshot::load(path);
    if (!snapshot.has_view(view))
      throw tracemalloc::Error(path + ": the snapshot has no " + tracemalloc::view_name(view) +
                               " view (written before views existed, format version 1)");
    if (view != tracemalloc::View::Live && !keep_views) snapshot = snapshot.view(view);
    if (selection.filters.empty()) return snapshot;
    return snapshot.filter_traces(selection.filters);
  };
  tracemalloc::Snapshot snapshot;
  if (paths.size() == 1) {
    snapshot = read(paths.front());
  } else {
    // One at a time: a merge of a test suite's dumps holds one file's bytes.
    tracemalloc::SnapshotMerger merger;
    for (const std::string &path : paths) merger.add(read(path));
    snapshot = merger.build();
  }
  if (!selection.keep_frame) return snapshot;
  return snapshot.keep_frames(selection.keep_frame);
}

int check_gate(Outcome &outcome, const std::string &subject, uint64_t value, bool growth,
               const std::string &flag, uint64_t limit) {
  if (value <= limit) return 0;
  return outcome.note(subject + " " + std::to_string(value) + " B (" +
                          tracemalloc::format_size_unsigned(value, growth) + ") exceeds " + flag +
                          " " + std::to_string(limit) + " B (" +
                          tracemalloc::format_size_unsigned(limit, false) + ")",
                      kExitGate);
}

void write_export(Outcome &outcome, const std::string &path, const char *what, std::string bytes) {
  if (path == "-")
    outcome.out = std::move(bytes);
  else
    tracemalloc::model::write_file_atomically(path, bytes, what, true);
}

}  // namespace tmreport
