// convert.cpp - `tm-report convert IN OUT`: rewrite a snapshot as a binary
// dump or JSON, filtered or not.
#include "command.hpp"

#include "../snapshot_io.hpp"

namespace tmreport {
namespace {

class ConvertCommand : public Command {
 public:
  explicit ConvertCommand(CLI::App &parent)
      : Command(parent.add_subcommand("convert", "Rewrite a snapshot as a binary dump or JSON")) {
    app_->add_option("IN", in_path_, "Snapshot to read (binary dump or JSON)")->required();
    app_->add_option("OUT", out_path_, "File to write (format from its extension .json/.tmd)")
        ->required();
    app_->add_option("--to", to_, "Output format: json or tmd (default: OUT's extension)")
        ->type_name("FORMAT");
    filters_.add_to(*app_);
  }

  int run(Outcome &) override {
    SnapshotFormat format = output_format(out_path_, to_);
    tracemalloc::Snapshot snapshot = read_snapshot(in_path_, filters_.selection(*app_));
    write_snapshot(snapshot, out_path_, format);
    return 0;
  }

 private:
  std::string in_path_, out_path_, to_;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_convert_command(CLI::App &parent) {
  return std::make_unique<ConvertCommand>(parent);
}

}  // namespace tmreport
