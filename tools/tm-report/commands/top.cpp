// top.cpp - `tm-report top SNAPSHOT`: Snapshot.statistics(), or with
// --source the display_top() of CPython's tracemalloc documentation.
#include "command.hpp"

#include "../render.hpp"

namespace tmreport {
namespace {

class TopCommand : public Command {
 public:
  explicit TopCommand(CLI::App &parent)
      : Command(parent.add_subcommand("top",
                                      "Largest statistics of one snapshot (Snapshot.statistics)")) {
    app_->add_option("SNAPSHOT", path_, "Snapshot file (binary dump or JSON)")->required();
    flags_.add_to(*app_);
    source_opt_ =
        app_->add_flag("--source", source_,
                       "display_top() of the \"Pretty top\" recipe: sizes in KiB with the source "
                       "line of each entry, the rest summed as 'other'");
  }

  int run(Outcome &outcome) override {
    Query query = flags_.query();
    if (source_ && query.json)
      throw UsageError(source_opt_->get_name() + " cannot be used with " + flags_.format_flag() +
                       " json");
    std::vector<tracemalloc::AnyFilter> filters = flags_.filters().build(*app_);
    // display_top() drops unknown frames before grouping.  (It drops
    // CPython's "<frozen importlib._bootstrap>" frames too, which C and C++
    // programs do not have.)
    if (source_)
      filters.push_back(tracemalloc::Filter{false, "<unknown>", std::nullopt, false, std::nullopt});
    tracemalloc::Snapshot snapshot = read_snapshot(path_, filters, query.view);
    std::vector<tracemalloc::Statistic> stats = computed_from(
        path_, [&] { return snapshot.statistics(query.key_type, query.cumulative, query.limit); });
    const uint64_t rate = snapshot.sample_bytes();
    if (source_)
      outcome.out = sampled_note(rate) + display_top_text(stats, query.limit);
    else if (query.json)
      outcome.out = top_json(stats, query.limit, query.key_type, query.cumulative, rate);
    else
      outcome.out = sampled_note(rate) + top_text(stats, query.limit, query.key_type);
    return 0;
  }

 private:
  std::string path_;
  StatisticsFlags flags_;
  bool source_ = false;
  CLI::Option *source_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> add_top_command(CLI::App &parent) {
  return std::make_unique<TopCommand>(parent);
}

}  // namespace tmreport
