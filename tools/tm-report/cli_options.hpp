// cli_options.hpp - turning tm-report's command-line strings into model
// values.  Kept apart from main.cpp so the rules (what a filter spec or a
// --limit may look like) are testable without running the program.
#ifndef TM_REPORT_CLI_OPTIONS_HPP
#define TM_REPORT_CLI_OPTIONS_HPP

#include <cstdint>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tracemalloc/snapshot.hpp"

namespace tmreport {

// A mistake on the command line.  what() is one line naming the flag and the
// problem; main() prefixes "tm-report: " and exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "--limit" of top/diff: a non-negative integer, 0 meaning "all".
uint64_t parse_count_limit(std::string_view text, std::string_view flag);

// "--limit" of traceback: Traceback.format()'s limit, which may be negative
// (negative keeps the oldest frames, as in CPython).
int parse_frame_limit(std::string_view text, std::string_view flag);

// A domain number (unsigned 64-bit).
uint64_t parse_domain(std::string_view text, std::string_view flag);

// A size in bytes for the CI gates: digits with an optional fraction, then
// optionally spaces and a unit, case-insensitive: B, kB, MB, GB, TB
// (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024, the KiB of
// CPython's size format).  "1048576", "1MiB", "512 KiB", "1.5MiB"; a
// fraction of a byte is dropped.
uint64_t parse_size(std::string_view text, std::string_view flag);

// --hide/--show: an ECMAScript regular expression without back-references
// (so that matching stays polynomial), searched for in a frame's file name
// and function name.
std::regex parse_frame_regex(std::string_view text, std::string_view flag);

// The flag parse_key_type_flag() reports errors under.
constexpr const char *kKeyTypeFlag = "--key-type";
tracemalloc::KeyType parse_key_type_flag(std::string_view text);
// "lineno, filename or traceback": the names parse_key_type_flag() accepts,
// for the help of --key-type.
std::string key_type_choices();

// PATTERN[:LINENO]: a trailing ":digits" is the line number.  The pattern must
// not be empty and a trailing ':' must be followed by digits.
tracemalloc::Filter parse_filter_spec(std::string_view spec, bool inclusive, std::string_view flag);

// One filter flag as it appeared on the command line.
struct FilterArg {
  enum class Kind { Include, Exclude, IncludeDomain, ExcludeDomain };
  Kind kind;
  std::string value;
};

// The flag of each kind ("--include"...): tm-report declares its options and
// names them in errors from this one table.
const char *filter_flag_name(FilterArg::Kind kind);

// Builds the filter list in command-line order.  --all-frames and --domain
// apply to every --include/--exclude pattern filter.
std::vector<tracemalloc::AnyFilter> build_filters(const std::vector<FilterArg> &args,
                                                  bool all_frames,
                                                  std::optional<uint64_t> pattern_domain);

}  // namespace tmreport

#endif  // TM_REPORT_CLI_OPTIONS_HPP
