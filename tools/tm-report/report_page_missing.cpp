// report_page_missing.cpp - report_page() of a tm-report built without node
// and npm: no page, so `tm-report html` says so and everything else works.
#include "report_page.hpp"

namespace tmreport {

std::string_view report_page() { return {}; }

}  // namespace tmreport
