// report_page.hpp - the page of `tm-report html`, compiled into tm-report.
#ifndef TM_REPORT_REPORT_PAGE_HPP
#define TM_REPORT_REPORT_PAGE_HPP

#include <string_view>

namespace tmreport {

// The self-contained HTML page (scripts and styles inlined) with the marker
// TM_REPORT_DATA where the report's JSON goes.  Generated at build time by
// html/build.mjs; empty when the build had no node and npm
// (report_page_missing.cpp).
std::string_view report_page();

}  // namespace tmreport

#endif  // TM_REPORT_REPORT_PAGE_HPP
