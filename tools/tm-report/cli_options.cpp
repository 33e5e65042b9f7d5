// cli_options.cpp - validation of tm-report's option values.
#include "cli_options.hpp"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace tmreport {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// Digits only (no sign, no spaces, no hex): strtoull alone accepts " 12",
// "-1" (wrapping) and "0x10", none of which a user means as a count.
std::optional<uint64_t> to_unsigned(std::string_view text, uint64_t max) {
  if (!all_digits(text)) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    unsigned digit = static_cast<unsigned>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

uint64_t parse_count_limit(std::string_view text, std::string_view flag) {
  if (auto value = to_unsigned(text, std::numeric_limits<uint64_t>::max())) return *value;
  throw UsageError(std::string(flag) + ": invalid value " + quoted(text) +
                   " (expected a non-negative integer, 0 = all)");
}

int parse_frame_limit(std::string_view text, std::string_view flag) {
  std::string_view digits = text;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  uint64_t max = negative ? uint64_t(std::numeric_limits<int>::max()) + 1
                          : uint64_t(std::numeric_limits<int>::max());
  if (auto value = to_unsigned(digits, max))
    return negative ? static_cast<int>(-static_cast<int64_t>(*value)) : static_cast<int>(*value);
  throw UsageError(std::string(flag) + ": invalid value " + quoted(text) +
                   " (expected an integer)");
}

uint64_t parse_domain(std::string_view text, std::string_view flag) {
  if (auto value = to_unsigned(text, std::numeric_limits<uint64_t>::max())) return *value;
  throw UsageError(std::string(flag) + ": invalid domain " + quoted(text) +
                   " (expected a non-negative integer)");
}

namespace {

struct SizeUnit {
  const char *name;
  uint64_t bytes;
};
constexpr SizeUnit kSizeUnits[] = {{"b", 1},
                                   {"kb", 1000},
                                   {"mb", 1000000},
                                   {"gb", 1000000000},
                                   {"tb", 1000000000000},
                                   {"kib", 1ull << 10},
                                   {"mib", 1ull << 20},
                                   {"gib", 1ull << 30},
                                   {"tib", 1ull << 40}};

std::optional<uint64_t> unit_bytes(std::string_view unit) {
  if (unit.empty()) return 1;
  std::string lower(unit);
  for (char &c : lower)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  for (const SizeUnit &u : kSizeUnits)
    if (lower == u.name) return u.bytes;
  return std::nullopt;
}

}  // namespace

uint64_t parse_size(std::string_view text, std::string_view flag) {
  auto invalid = [&](const char *why) {
    return UsageError(std::string(flag) + ": invalid size " + quoted(text) + " (" + why + ")");
  };
  size_t digits_end = text.find_first_not_of("0123456789");
  if (digits_end == std::string_view::npos) digits_end = text.size();
  std::string_view whole = text.substr(0, digits_end), fraction;
  std::string_view rest = text.substr(digits_end);
  if (!rest.empty() && rest.front() == '.') {
    size_t end = rest.find_first_not_of("0123456789", 1);
    if (end == std::string_view::npos) end = rest.size();
    fraction = rest.substr(1, end - 1);
    rest = rest.substr(end);
    if (fraction.empty()) whole = {};
  }
  const char *expected = "expected bytes with an optional unit: 1048576, 512 KiB, 1.5MiB, 10MB";
  if (whole.empty()) throw invalid(expected);
  const size_t unit_begin = rest.find_first_not_of(' ');
  if (unit_begin == std::string_view::npos && !rest.empty()) throw invalid(expected);
  rest.remove_prefix(std::min(rest.size(), unit_begin));
  const std::optional<uint64_t> unit = unit_bytes(rest);
  if (!unit) throw invalid(expected);
  // Exact arithmetic: the whole part times the unit, plus the fraction's
  // share of the unit (at most 18 digits of it count).
  fraction = fraction.substr(0, 18);
  unsigned __int128 bytes = 0, numerator = 0, denominator = 1;
  for (char c : whole) {
    bytes = bytes * 10 + unsigned(c - '0');
    if (bytes > std::numeric_limits<uint64_t>::max()) throw invalid("above 2^64-1 bytes");
  }
  for (char c : fraction) numerator = numerator * 10 + unsigned(c - '0'), denominator *= 10;
  bytes = bytes * *unit + numerator * *unit / denominator;
  if (bytes > std::numeric_limits<uint64_t>::max()) throw invalid("above 2^64-1 bytes");
  return uint64_t(bytes);
}

std::regex parse_frame_regex(std::string_view text, std::string_view flag) {
  std::regex::flag_type syntax = std::regex::ECMAScript;
#ifdef __GLIBCXX__
  // libstdc++ backtracks by default: "(a*)*b" takes exponential time on a
  // file name of 30 'a's.  Its polynomial mode matches with an NFA instead
  // and refuses back-references (a bad-REGEX error like any other).
  syntax |= std::regex_constants::__polynomial;
#endif
  try {
    return std::regex(text.begin(), text.end(), syntax);
  } catch (const std::regex_error &e) {
    throw UsageError(std::string(flag) + ": bad regular expression " + quoted(text) + " (" +
                     e.what() + ")");
  }
}

namespace {

struct KeyTypeName {
  const char *name;
  tracemalloc::KeyType key_type;
};
constexpr KeyTypeName kKeyTypes[] = {{"lineno", tracemalloc::KeyType::Lineno},
                                     {"filename", tracemalloc::KeyType::Filename},
                                     {"traceback", tracemalloc::KeyType::Traceback}};

}  // namespace

std::string key_type_choices() {
  std::string choices;
  constexpr size_t n = sizeof kKeyTypes / sizeof kKeyTypes[0];
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) choices += i + 1 == n ? " or " : ", ";
    choices += kKeyTypes[i].name;
  }
  return choices;
}

tracemalloc::KeyType parse_key_type_flag(std::string_view text) {
  for (const KeyTypeName &entry : kKeyTypes)
    if (text == entry.name) return entry.key_type;
  throw UsageError(std::string(kKeyTypeFlag) + ": unknown key type " + quoted(text) +
                   " (expected " + key_type_choices() + ")");
}

const char *filter_flag_name(FilterArg::Kind kind) {
  switch (kind) {
    case FilterArg::Kind::Include:
      return "--include";
    case FilterArg::Kind::Exclude:
      return "--exclude";
    case FilterArg::Kind::IncludeDomain:
      return "--include-domain";
    case FilterArg::Kind::ExcludeDomain:
      return "--exclude-domain";
  }
  return "?";
}

tracemalloc::Filter parse_filter_spec(std::string_view spec, bool inclusive,
                                      std::string_view flag) {
  tracemalloc::Filter filter;
  filter.inclusive = inclusive;
  std::string_view pattern = spec;
  size_t colon = spec.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view suffix = spec.substr(colon + 1);
    if (suffix.empty())
      throw UsageError(std::string(flag) + ": bad filter " + quoted(spec) +
                       " (':' must be followed by a line number)");
    // A colon followed by non-digits is part of the pattern (e.g. "a:b.c").
    if (all_digits(suffix)) {
      auto lineno = to_unsigned(suffix, std::numeric_limits<uint32_t>::max());
      if (!lineno)
        throw UsageError(std::string(flag) + ": bad filter " + quoted(spec) +
                         " (line number out of range)");
      filter.lineno = static_cast<uint32_t>(*lineno);
      pattern = spec.substr(0, colon);
    }
  }
  if (pattern.empty())
    throw UsageError(std::string(flag) + ": bad filter " + quoted(spec) +
                     " (empty filename pattern)");
  filter.filename_pattern = std::string(pattern);
  return filter;
}

std::vector<tracemalloc::AnyFilter> build_filters(const std::vector<FilterArg> &args,
                                                  bool all_frames,
                                                  std::optional<uint64_t> pattern_domain) {
  std::vector<tracemalloc::AnyFilter> filters;
  filters.reserve(args.size());
  for (const FilterArg &arg : args) {
    switch (arg.kind) {
      case FilterArg::Kind::Include:
      case FilterArg::Kind::Exclude: {
        bool inclusive = arg.kind == FilterArg::Kind::Include;
        tracemalloc::Filter filter =
            parse_filter_spec(arg.value, inclusive, filter_flag_name(arg.kind));
        filter.all_frames = all_frames;
        filter.domain = pattern_domain;
        filters.emplace_back(std::move(filter));
        break;
      }
      case FilterArg::Kind::IncludeDomain:
      case FilterArg::Kind::ExcludeDomain: {
        bool inclusive = arg.kind == FilterArg::Kind::IncludeDomain;
        tracemalloc::DomainFilter filter;
        filter.inclusive = inclusive;
        filter.domain = parse_domain(arg.value, filter_flag_name(arg.kind));
        filters.emplace_back(filter);
        break;
      }
    }
  }
  return filters;
}

}  // namespace tmreport
