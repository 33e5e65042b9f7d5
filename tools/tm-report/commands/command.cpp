// command.cpp - what the commands share: outcomes, output, the filter and
// statistics flags, reading a snapshot.
#include "command.hpp"

#include "../diagnostics.hpp"
#include "model/file_io.hpp"

namespace tmreport {

int Outcome::fail(std::string_view message, int exit_status) {
  err = diagnostic_line(message);
  out.clear();
  status = exit_status;
  return exit_status;
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

std::vector<tracemalloc::AnyFilter> FilterFlags::build(const CLI::App &cmd) const {
  std::optional<uint64_t> pattern_domain;
  if (domain_opt_->count() > 0) pattern_domain = parse_domain(domain_, domain_opt_->get_name());
  return build_filters(ordered_args(cmd), all_frames_, pattern_domain);
}

std::vector<std::string> FilterFlags::describe(const CLI::App &cmd) const {
  std::vector<std::string> flags;
  for (const FilterArg &arg : ordered_args(cmd))
    flags.push_back(std::string(filter_flag_name(arg.kind)) + " " + arg.value);
  if (all_frames_) flags.push_back("--all-frames");
  if (domain_opt_->count() > 0) flags.push_back("--domain " + domain_);
  return flags;
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

tracemalloc::Snapshot read_snapshot(const std::string &path,
                                    const std::vector<tracemalloc::AnyFilter> &filters,
                                    tracemalloc::View view) {
  tracemalloc::Snapshot snapshot = tracemalloc::Snapshot::load(path);
  if (view != tracemalloc::View::Live) snapshot = view_of(snapshot, path, view);
  if (filters.empty()) return snapshot;
  return snapshot.filter_traces(filters);
}

void write_export(Outcome &outcome, const std::string &path, const char *what, std::string bytes) {
  if (path == "-")
    outcome.out = std::move(bytes);
  else
    tracemalloc::model::write_file_atomically(path, bytes, what, true);
}

tracemalloc::Snapshot view_of(const tracemalloc::Snapshot &snapshot, const std::string &path,
                              tracemalloc::View view) {
  if (!snapshot.has_view(view))
    throw tracemalloc::Error(path + ": the snapshot has no " + tracemalloc::view_name(view) +
                             " view (written before views existed, format version 1)");
  return snapshot.view(view);
}

}  // namespace tmreport
