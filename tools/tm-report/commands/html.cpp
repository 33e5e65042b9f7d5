// html.cpp - `tm-report html SNAPSHOT [--baseline OLD] -o FILE`: one
// self-contained HTML page (summary, flame graph, top table, memory over
// time, growth since a baseline) that opens from disk with no network.
//
// The page's scripts and styles were bundled into tm-report at build time
// (html/build.mjs, report_page.cpp); this command computes the data
// (html_report.cpp) and writes page + data atomically: a temporary file in
// the destination directory renamed over FILE, so a failed run never leaves
// a partial page under the final name.
#include "command.hpp"

#include "../html_report.hpp"
#include "../report_page.hpp"

namespace tmreport {
namespace {

class HtmlCommand : public Command {
 public:
  explicit HtmlCommand(CLI::App &parent)
      : Command(parent.add_subcommand(
            "html",
            "One self-contained HTML page: summary, flame graph, top table, memory over time")) {
    app_->add_option("SNAPSHOT", path_, "Snapshot file (binary dump or JSON)")->required();
    app_->add_option("-o,--output", output_, "HTML file to write; - = stdout")
        ->required()
        ->type_name("FILE");
    app_->add_option("--baseline", baseline_,
                     "Older snapshot: adds the growth by line and a flame graph coloured by growth")
        ->type_name("OLD");
    limit_opt_ = app_->add_option("--limit", limit_,
                                  "Rows kept per table (by line, file, traceback), 0 = all")
                     ->type_name("N")
                     ->capture_default_str();
    filters_.add_to(*app_);
  }

  int run(Outcome &outcome) override {
    const uint64_t rows = parse_count_limit(limit_, limit_opt_->get_name());
    const std::string_view page = report_page();
    if (page.empty())
      throw UsageError(
          "html: this tm-report was built without its report page (it needs node and npm "
          "at build time and TM_HTML_PAGE=ON)");
    const std::vector<tracemalloc::AnyFilter> filters = filters_.build(*app_);
    const tracemalloc::Snapshot snapshot = read_snapshot(path_, filters);
    std::optional<tracemalloc::Snapshot> baseline;
    if (!baseline_.empty()) baseline = read_snapshot(baseline_, filters);
    HtmlReportInput input;
    input.path = path_;
    input.snapshot = &snapshot;
    input.baseline_path = baseline_;
    input.baseline = baseline ? &*baseline : nullptr;
    input.filters = filters_.describe(*app_);
    input.rows = rows;
    write_export(outcome, output_, "report", html_page(page, html_report_json(input)));
    return 0;
  }

 private:
  std::string path_, output_, baseline_;
  std::string limit_ = "2000";
  CLI::Option *limit_opt_ = nullptr;
  FilterFlags filters_;
};

}  // namespace

std::unique_ptr<Command> add_html_command(CLI::App &parent) {
  return std::make_unique<HtmlCommand>(parent);
}

}  // namespace tmreport
