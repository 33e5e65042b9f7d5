// diagnostics.hpp - the one form of tm-report's errors and warnings.
#ifndef TM_REPORT_DIAGNOSTICS_HPP
#define TM_REPORT_DIAGNOSTICS_HPP

#include <string>
#include <string_view>

namespace tmreport {

// "tm-report: MESSAGE\n".  Line breaks inside MESSAGE (a file name may hold
// one) become spaces, so every problem is exactly one line that scripts can
// match.
std::string diagnostic_line(std::string_view message);

// Writes diagnostic_line(message) to stderr now; for what happens outside a
// command's Outcome (main() failing to write the output itself).
void print_diagnostic(std::string_view message);

}  // namespace tmreport

#endif  // TM_REPORT_DIAGNOSTICS_HPP
