// diagnostics.cpp - tm-report's error and warning lines.
#include "diagnostics.hpp"

#include <cstdio>

namespace tmreport {

std::string diagnostic_line(std::string_view message) {
  // A message quotes input (a path, a field); keep the line readable.
  constexpr size_t kMaxMessage = 1000;
  std::string text(message.substr(0, kMaxMessage));
  if (message.size() > kMaxMessage) {
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    text += "...";
  }
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
