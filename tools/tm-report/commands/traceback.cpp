// traceback.cpp - `tm-report traceback SNAPSHOT`: the "Get the traceback of a
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
    app_->add_option("SNAPSHOT", path_, "Snapshot file (binary dump or JSON)")->required();
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
    tracemalloc::Snapshot snapshot = read_snapshot(path_, filters_.build(*app_));
    std::vector<tracemalloc::Statistic> stats = computed_from(
        path_, [&] { return snapshot.statistics(tracemalloc::KeyType::Traceback, false, 1); });
    if (stats.empty()) return outcome.fail(path_ + ": no memory blocks to show", kExitNothing);
    outcome.out = biggest_block_text(stats.front(), frame_limit, most_recent_first_);
    return 0;
  }

 private:
  std::string path_, limit_;
  bool most_recent_first_ = false;
  CLI::Option *limit_opt_ = nullptr;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_traceback_command(CLI::App &parent) {
  return std::make_unique<TracebackCommand>(parent);
}

}  // namespace tmreport
