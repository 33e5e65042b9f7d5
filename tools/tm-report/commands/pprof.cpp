// pprof.cpp - `tm-report pprof SNAPSHOT... [--peak|--allocated] -o FILE`:
// the snapshot (several merged) as a gzip-compressed pprof profile (exports/pprof.cpp).
#include "command.hpp"

#include "../exports/pprof.hpp"

namespace tmreport {
namespace {

class PprofCommand : public Command {
 public:
  explicit PprofCommand(CLI::App &parent)
      : Command(parent.add_subcommand(
            "pprof", "The snapshot as a pprof profile (go tool pprof, Pyroscope, Parca...)")) {
    inputs_.add_to(*app_, false);
    app_->add_option("-o,--output", output_,
                     "Profile to write (gzip-compressed protobuf); - = stdout")
        ->required()
        ->type_name("FILE");
    views_.add_to(*app_, false);
    filters_.add_to(*app_);
  }

  int run(Outcome &outcome) override {
    const tracemalloc::View view = views_.view();
    const std::string label = inputs_.label();
    const tracemalloc::Snapshot snapshot =
        read_snapshots(inputs_.paths(), filters_.selection(*app_), view, true);
    // inuse_* from the live traces, or from the peak view with --peak;
    // alloc_* whenever the snapshot has the allocated view.
    const tracemalloc::Snapshot inuse =
        view == tracemalloc::View::Peak ? snapshot.view(view) : snapshot;
    std::optional<tracemalloc::Snapshot> allocated;
    if (snapshot.has_view(tracemalloc::View::Allocated))
      allocated = snapshot.view(tracemalloc::View::Allocated);
    PprofInput input;
    input.inuse = &inuse;
    input.allocated = allocated ? &*allocated : nullptr;
    input.default_allocated = view == tracemalloc::View::Allocated;
    write_export(outcome, output_, "profile",
                 computed_from(label, [&] { return pprof_profile(input); }));
    return 0;
  }

 private:
  SnapshotArgs inputs_;
  std::string output_;
  ViewFlags views_;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_pprof_command(CLI::App &parent) {
  return std::make_unique<PprofCommand>(parent);
}

}  // namespace tmreport
