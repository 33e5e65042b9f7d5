// html_report.hpp - the data of `tm-report html`'s page: everything the page
// shows, computed here in C++ and embedded in the page as one JSON document.
#ifndef TM_REPORT_HTML_REPORT_HPP
#define TM_REPORT_HTML_REPORT_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

struct HtmlReportInput {
  std::string path;                                 // shown as the report's subject
  const tracemalloc::Snapshot *snapshot = nullptr;  // filtered, with its views
  std::string baseline_path;
  const tracemalloc::Snapshot *baseline = nullptr;  // nullptr without --baseline
  std::vector<std::string> filters;                 // the filter flags, for display
  uint64_t rows = 2000;                             // per table; 0 = all
};

// Limits that keep a page on 100k traceback groups fast to open: the flame
// graph keeps its largest nodes down to kMinShare of the total, at most
// kMaxNodes of them and kMaxDepth levels deep; what is cut below a node is
// one "other" node.
struct FlameLimits {
  static constexpr double kMinShare = 1e-4;
  static constexpr size_t kMaxNodes = 20000;
  static constexpr size_t kMaxDepth = 512;
};

// The report's JSON (see the top of html/src/app.js for how it is read),
// invalid UTF-8 replaced by U+FFFD, every '<' written as \u003c so that it
// can stand inside a <script> element.  Throws tracemalloc::Error.
std::string html_report_json(const HtmlReportInput &input);

// `page` with its TM_REPORT_DATA marker replaced by `json`.
std::string html_page(std::string_view page, const std::string &json);

}  // namespace tmreport

#endif  // TM_REPORT_HTML_REPORT_HPP
