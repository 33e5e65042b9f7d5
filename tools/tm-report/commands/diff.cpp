// diff.cpp - `tm-report diff OLD NEW`: NEW.compare_to(OLD); with
// --max-growth, a CI gate on the growth.
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
    max_growth_opt_ =
        app_->add_option("--max-growth", max_growth_,
                         "CI gate: exit status 1 when the sizes grew by more than SIZE in all "
                         "(the sum of size_diff, after filters, in the view read)")
            ->type_name("SIZE");
  }

  int run(Outcome &outcome) override {
    Query query = flags_.query();
    std::optional<uint64_t> max_growth;
    if (max_growth_opt_->count() > 0)
      max_growth = parse_size(max_growth_, max_growth_opt_->get_name());
    const Selection selection = flags_.filters().selection(*app_);
    tracemalloc::Snapshot old_snapshot = read_snapshot(old_path_, selection, query.view);
    tracemalloc::Snapshot new_snapshot = read_snapshot(new_path_, selection, query.view);
    const std::string what = new_path_ + " vs " + old_path_;
    std::vector<tracemalloc::StatisticDiff> stats = computed_from(what, [&] {
      return new_snapshot.compare_to(old_snapshot, query.key_type, query.cumulative, query.limit);
    });
    // Each side is scaled by its own rate; the report names the newer one's.
    const uint64_t rate =
        new_snapshot.sample_bytes() ? new_snapshot.sample_bytes() : old_snapshot.sample_bytes();
    if (query.json)
      outcome.out = diff_json(stats, query.limit, query.key_type, query.cumulative, rate);
    else
      outcome.out = sampled_note(rate) + diff_text(stats, query.limit, query.key_type);
    if (!max_growth) return 0;
    // The sum of size_diff over every statistic of a key type without
    // --cumulative: NEW's total less OLD's, whatever the grouping.
    const uint64_t old_total = computed_from(old_path_, [&] { return old_snapshot.total_size(); });
    const uint64_t new_total = computed_from(new_path_, [&] { return new_snapshot.total_size(); });
    if (new_total <= old_total) return 0;
    std::string subject = "diff: growth";
    if (query.view != tracemalloc::View::Live)
      subject += std::string(" of the ") + tracemalloc::view_name(query.view) + " view";
    return check_gate(outcome, subject, new_total - old_total, true, max_growth_opt_->get_name(),
                      *max_growth);
  }

 private:
  std::string old_path_, new_path_, max_growth_;
  StatisticsFlags flags_;
  CLI::Option *max_growth_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> add_diff_command(CLI::App &parent) {
  return std::make_unique<DiffCommand>(parent);
}

}  // namespace tmreport
