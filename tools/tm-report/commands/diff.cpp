// diff.cpp - `tm-report diff OLD NEW`: NEW.compare_to(OLD).
#include "command.hpp"

#include "../render.hpp"

namespace tmreport {
namespace {

class DiffCommand : public Command {
 public:
  explicit DiffCommand(CLI::App &parent)
      : Command(parent.add_subcommand("diff", "Differences NEW.compare_to(OLD) (StatisticDiff)")) {
    app_->add_option("OLD", old_path_, "Older snapshot")->required();
    app_->add_option("NEW", new_path_, "Newer snapshot")->required();
    flags_.add_to(*app_);
  }

  int run(Outcome &outcome) override {
    Query query = flags_.query();
    std::vector<tracemalloc::AnyFilter> filters = flags_.filters().build(*app_);
    tracemalloc::Snapshot old_snapshot = read_snapshot(old_path_, filters, query.view);
    tracemalloc::Snapshot new_snapshot = read_snapshot(new_path_, filters, query.view);
    std::vector<tracemalloc::StatisticDiff> stats =
        computed_from(new_path_ + " vs " + old_path_, [&] {
          return new_snapshot.compare_to(old_snapshot, query.key_type, query.cumulative,
                                         query.limit);
        });
    // Each side is scaled by its own rate; the report names the newer one's.
    const uint64_t rate =
        new_snapshot.sample_bytes() ? new_snapshot.sample_bytes() : old_snapshot.sample_bytes();
    if (query.json)
      outcome.out = diff_json(stats, query.limit, query.key_type, query.cumulative, rate);
    else
      outcome.out = sampled_note(rate) + diff_text(stats, query.limit, query.key_type);
    return 0;
  }

 private:
  std::string old_path_, new_path_;
  StatisticsFlags flags_;
};

}  // namespace

std::unique_ptr<Command> add_diff_command(CLI::App &parent) {
  return std::make_unique<DiffCommand>(parent);
}

}  // namespace tmreport
