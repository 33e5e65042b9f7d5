// top.cpp - `tm-report top SNAPSHOT...`: Snapshot.statistics(), or with
// --source the display_top() of CPython's tracemalloc documentation; with
// --max-size, a CI gate on the total.
#include "command.hpp"

#include "../render.hpp"

namespace tmreport {
namespace {

class TopCommand : public Command {
 public:
  explicit TopCommand(CLI::App &parent)
      : Command(parent.add_subcommand("top",
                                      "Largest statistics of one snapshot (Snapshot.statistics)")) {
    inputs_.add_to(*app_, true);
    flags_.add_to(*app_);
    source_opt_ =
        app_->add_flag("--source", source_,
                       "display_top() of the \"Pretty top\" recipe: sizes in KiB with the source "
                       "line of each entry, the rest summed as 'other'");
    max_size_opt_ = app_->add_option("--max-size", max_size_,
                                     "CI gate: exit status 1 when the total size (after filters, "
                                     "in the view read) exceeds SIZE (1048576, 512 KiB, 1.5MiB)")
                        ->type_name("SIZE");
  }

  int run(Outcome &outcome) override {
    Query query = flags_.query();
    if (source_ && query.json)
      throw UsageError(source_opt_->get_name() + " cannot be used with " + flags_.format_flag() +
                       " json");
    std::optional<uint64_t> max_size;
    if (max_size_opt_->count() > 0) max_size = parse_size(max_size_, max_size_opt_->get_name());
    Selection selection = flags_.filters().selection(*app_);
    // display_top() drops unknown frames before grouping.  (It drops
    // CPython's "<frozen importlib._bootstrap>" frames too, which C and C++
    // programs do not have.)
    if (source_)
      selection.filters.push_back(
          tracemalloc::Filter{false, "<unknown>", std::nullopt, false, std::nullopt});
    return report_inputs(
        inputs_, outcome,
        [&](const std::vector<std::string> &paths, const std::string &label) {
          tracemalloc::Snapshot snapshot = read_snapshots(paths, selection, query.view);
          std::vector<tracemalloc::Statistic> stats = computed_from(label, [&] {
            return snapshot.statistics(query.key_type, query.cumulative, query.limit);
          });
          const uint64_t rate = snapshot.sample_bytes();
          if (source_)
            outcome.out += sampled_note(rate) + display_top_text(stats, query.limit);
          else if (query.json)
            outcome.out += top_json(stats, query.limit, query.key_type, query.cumulative,
                                    inputs_.each() ? &label : nullptr, rate);
          else
            outcome.out += sampled_note(rate) + top_text(stats, query.limit, query.key_type);
          if (!max_size) return 0;
          std::string subject = "top: ";
          if (inputs_.each()) subject += label + ": ";
          subject += "total size";
          if (query.view != tracemalloc::View::Live)
            subject += std::string(" of the ") + tracemalloc::view_name(query.view) + " view";
          const uint64_t total = computed_from(label, [&] { return snapshot.total_size(); });
          return check_gate(outcome, subject, total, false, max_size_opt_->get_name(), *max_size);
        },
        !query.json);
  }

 private:
  SnapshotArgs inputs_;
  StatisticsFlags flags_;
  bool source_ = false;
  std::string max_size_;
  CLI::Option *source_opt_ = nullptr, *max_size_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> add_top_command(CLI::App &parent) {
  return std::make_unique<TopCommand>(parent);
}

}  // namespace tmreport
