// collapsed.cpp - `tm-report collapsed SNAPSHOT... [--peak|--allocated|
// --temporary] [-o FILE]`: folded stacks for flamegraph.pl, inferno and
// speedscope (exports/collapsed.cpp).
#include "command.hpp"

#include "../exports/collapsed.hpp"

namespace tmreport {
namespace {

class CollapsedCommand : public Command {
 public:
  explicit CollapsedCommand(CLI::App &parent)
      : Command(parent.add_subcommand(
            "collapsed",
            "Folded stacks, one line per traceback with its bytes (flamegraph.pl, inferno, "
            "speedscope)")) {
    inputs_.add_to(*app_, false);
    app_->add_option("-o,--output", output_, "File to write (default: stdout)")->type_name("FILE");
    views_.add_to(*app_);
    filters_.add_to(*app_);
  }

  int run(Outcome &outcome) override {
    const tracemalloc::Snapshot snapshot =
        read_snapshots(inputs_.paths(), filters_.selection(*app_), views_.view());
    write_export(outcome, output_.empty() ? "-" : output_, "folded stacks",
                 computed_from(inputs_.label(), [&] { return collapsed_stacks(snapshot); }));
    return 0;
  }

 private:
  SnapshotArgs inputs_;
  std::string output_;
  ViewFlags views_;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_collapsed_command(CLI::App &parent) {
  return std::make_unique<CollapsedCommand>(parent);
}

}  // namespace tmreport
