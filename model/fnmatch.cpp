// fnmatch.cpp - Python's fnmatch.fnmatch() on POSIX, on code points.
//
// CPython translates the pattern to a regular expression (fnmatch.translate);
// this file reproduces the meaning of that expression, including the quirks
// of translate's bracket parsing (ranges whose ends are reversed are dropped,
// hyphens after a range are literal, `[]` / `[!]` open sets that a later `]`
// closes, an unclosed `[` is literal), and matches with the classic glob
// algorithm, which agrees with the regex because every other token matches
// exactly one character.
#include "utf8.hpp"

#include <tracemalloc/snapshot.hpp>

#include <string>

namespace tracemalloc {
namespace model {

bool decode_utf8(std::string_view s, std::vector<uint32_t> &out) {
  out.clear();
  bool valid = true;
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0, min = 0;
    if (c >= 0xC2 && c <= 0xDF)
      len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4, cp = c & 0x07, min = 0x10000;
    bool ok = len != 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80)
        ok = false;
      else
        cp = cp << 6 | (p[i + k] & 0x3F);
    }
    // Python's UTF-8 decoder rejects overlongs, surrogates and > U+10FFFF.
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0xDC00 + c);
      valid = false;
      ++i;
    }
  }
  return valid;
}

namespace {

struct Token {
  enum Kind { Literal, AnyChar, Star, Set, Never };
  explicit Token(Kind k, uint32_t literal = 0) : kind(k), ch(literal) {}
  Kind kind;
  uint32_t ch;                                        // Literal
  bool negated = false;                               // Set
  std::vector<std::pair<uint32_t, uint32_t>> ranges;  // Set: inclusive
};

using Chars = std::vector<uint32_t>;

// The bracket expression pat[i:j] (between '[' and its ']').
Token compile_set(const Chars &pat, size_t i, size_t j) {
  std::vector<Chars> chunks;
  bool has_hyphen = false;
  for (size_t k = i; k < j; ++k) has_hyphen |= pat[k] == '-';
  if (!has_hyphen) {
    chunks.emplace_back(pat.begin() + i, pat.begin() + j);
  } else {
    // Split at hyphens as translate() does: a hyphen first (or right after
    // '!') is a literal, and the character after a range's '-' can't start
    // another range.
    size_t k = pat[i] == '!' ? i + 2 : i + 1;
    for (;;) {
      size_t found = j;
      for (size_t m = k; m < j; ++m)
        if (pat[m] == '-') {
          found = m;
          break;
        }
      if (found == j) break;
      chunks.emplace_back(pat.begin() + i, pat.begin() + found);
      i = found + 1;
      k = found + 3;
    }
    if (i < j)
      chunks.emplace_back(pat.begin() + i, pat.begin() + j);
    else if (!chunks.empty())
      chunks.back().push_back('-');
    else
      chunks.push_back(Chars{'-'});
    // Ranges with reversed ends are removed together with their ends.
    for (size_t k2 = chunks.size() - 1; k2 > 0; --k2) {
      if (chunks[k2 - 1].back() > chunks[k2].front()) {
        Chars merged(chunks[k2 - 1].begin(), chunks[k2 - 1].end() - 1);
        merged.insert(merged.end(), chunks[k2].begin() + 1, chunks[k2].end());
        chunks[k2 - 1] = std::move(merged);
        chunks.erase(chunks.begin() + k2);
      }
    }
  }
  Token t(Token::Set);
  if (chunks.size() == 1 && chunks[0].empty()) return Token(Token::Never);
  if (chunks.size() == 1 && chunks[0] == Chars{'!'}) return Token(Token::AnyChar);
  if (!chunks[0].empty() && chunks[0][0] == '!') {
    t.negated = true;
    chunks[0].erase(chunks[0].begin());
  }
  for (size_t c = 0; c < chunks.size(); ++c) {
    for (uint32_t ch : chunks[c]) t.ranges.emplace_back(ch, ch);
    if (c == 0) continue;
    // The '-' between two chunks is a range, unless a side is empty, where
    // the regex reads it as a literal hyphen.
    if (chunks[c - 1].empty() || chunks[c].empty())
      t.ranges.emplace_back('-', '-');
    else
      t.ranges.emplace_back(chunks[c - 1].back(), chunks[c].front());
  }
  return t;
}

std::vector<Token> compile(const Chars &pat) {
  std::vector<Token> tokens;
  size_t i = 0, n = pat.size();
  while (i < n) {
    uint32_t c = pat[i++];
    if (c == '*') {
      if (tokens.empty() || tokens.back().kind != Token::Star) tokens.push_back(Token(Token::Star));
    } else if (c == '?') {
      tokens.push_back(Token(Token::AnyChar));
    } else if (c == '[') {
      size_t j = i;
      if (j < n && pat[j] == '!') ++j;
      if (j < n && pat[j] == ']') ++j;
      while (j < n && pat[j] != ']') ++j;
      if (j >= n) {
        tokens.push_back(Token(Token::Literal, '['));
      } else {
        tokens.push_back(compile_set(pat, i, j));
        i = j + 1;
      }
    } else {
      tokens.push_back(Token(Token::Literal, c));
    }
  }
  return tokens;
}

bool matches_one(const Token &t, uint32_t c) {
  switch (t.kind) {
    case Token::Literal:
      return t.ch == c;
    case Token::AnyChar:
      return true;
    case Token::Set: {
      bool in = false;
      for (const auto &r : t.ranges)
        if (r.first <= c && c <= r.second) {
          in = true;
          break;
        }
      return in != t.negated;
    }
    default:
      return false;
  }
}

}  // namespace
}  // namespace model

bool fnmatch(std::string_view name, std::string_view pattern) {
  std::vector<uint32_t> name_chars, pattern_chars;
  model::decode_utf8(name, name_chars);
  model::decode_utf8(pattern, pattern_chars);
  const std::vector<model::Token> tokens = model::compile(pattern_chars);
  const size_t npos = size_t(-1), n = name_chars.size(), nt = tokens.size();
  size_t p = 0, s = 0, star_p = npos, star_s = 0;
  while (s < n) {
    if (p < nt && tokens[p].kind == model::Token::Star) {
      star_p = p++;
      star_s = s;
    } else if (p < nt && model::matches_one(tokens[p], name_chars[s])) {
      ++p;
      ++s;
    } else if (star_p != npos) {
      p = star_p + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < nt && tokens[p].kind == model::Token::Star) ++p;
  return p == nt;
}

}  // namespace tracemalloc
