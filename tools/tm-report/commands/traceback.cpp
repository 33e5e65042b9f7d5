// traceback.cpp - `tm-report traceback SNAPSHOT...`: the "Get the traceback of a
// memory block" recipe, for the biggest group of blocks.
#include "command.hpp"

#include "../render.hpp"

namespace tmreport {
namespace {

class TracebackCommand : public Command {
 public:
  explicit TracebackCommand(CLI::App &parent)
      : Command(parent.add_subcommand(
            "traceback",
            "Traceback of the biggest group of memory blocks (statistics('traceback')[0])")) {
    inputs_.add_to(*app_, true);
    limit_opt_ =
        app_->add_option("--limit", limit_,
                         "Format the N most recent frames (N > 0) or all but the |N| most recent "
                         "(N < 0), as Traceback.format(limit)")
            ->type_name("N");
    app_->add_flag("--most-recent-first", most_recent_first_, "List the most recent frame first");
    filters_.add_to(*app_);
  }

  int run(Outcome &outcome) override {
    std::optional<int> frame_limit;
    if (limit_opt_->count() > 0) frame_limit = parse_frame_limit(limit_, limit_opt_->get_name());
    const Selection selection = filters_.selection(*app_);
    return report_inputs(
        inputs_, outcome, [&](const std::vector<std::string> &paths, const std::string &label) {
          tracemalloc::Snapshot snapshot = read_snapshots(paths, selection);
          std::vector<tracemalloc::Statistic> stats = computed_from(label, [&] {
            return snapshot.statistics(tracemalloc::KeyType::Traceback, false, 1);
          });
          // With --each, the other snapshots' reports stay.
          if (stats.empty())
            return outcome.note(label + ": no memory blocks to show", kExitNothing);
          outcome.out += sampled_note(snapshot.sample_bytes()) +
                         biggest_block_text(stats.front(), frame_limit, most_recent_first_);
          return 0;
        });
  }

 private:
  SnapshotArgs inputs_;
  std::string limit_;
  bool most_recent_first_ = false;
  CLI::Option *limit_opt_ = nullptr;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_traceback_command(CLI::App &parent) {
  return std::make_unique<TracebackCommand>(parent);
}

}  // namespace tmreport
