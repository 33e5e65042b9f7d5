// diagnostics.cpp - tm-report's error and warning lines.
#include "diagnostics.hpp"

#include <cstdio>

namespace tmreport {

std::string diagnostic_line(std::string_view message) {
  std::string text(message);
  for (char &c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return "tm-report: " + text + "\n";
}

void print_diagnostic(std::string_view message) {
  std::string line = diagnostic_line(message);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tmreport
