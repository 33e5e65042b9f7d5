// Workload 6: the read path of a C++ library, call-heavy and rarely
// allocating.
//
//   parser [passes=400] [document_kib=256]
//
// A document of words, numbers and punctuation is tokenised, each token
// classified through a small virtual call, each word looked up in a symbol
// table through a reused key string, each line's numbers summed by a small
// expression tree evaluated through virtual calls, and each line's tokens
// sorted with a comparator.  As in real libraries, most of these functions
// can reach an allocation (a vector or a string that grows, a new symbol)
// although they almost never do once the first pass has sized the buffers:
// the compiler cannot prove them allocation-free, so the instrumented build
// keeps their shadow-stack frames, and the cost measured not tracing is what
// a program of that kind pays.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench_common.h"

static const char kUsage[] = "parser [passes] [document_kib]";

namespace {

enum class Kind : uint8_t { Word, Number, Punct };

struct Token {
  std::string_view text;
  Kind kind;
};

// A strategy object, as libraries configure their scanners.
class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual Kind classify(char c) const = 0;
};

class AsciiClassifier final : public Classifier {
 public:
  Kind classify(char c) const override {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return Kind::Word;
    if (c >= '0' && c <= '9') return Kind::Number;
    return Kind::Punct;
  }
};

// Appends the tokens of `line` to `out` (reused: it grows only on the first
// lines that need more room).
__attribute__((noinline)) void tokenize(std::string_view line, const Classifier &classifier,
                                        std::vector<Token> &out) {
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    const Kind kind = classifier.classify(line[i]);
    size_t j = i + 1;
    // A word goes on through letters and digits (an identifier), a number
    // through digits.
    if (kind != Kind::Punct)
      while (j < line.size()) {
        const Kind next = classifier.classify(line[j]);
        if (next != kind && !(kind == Kind::Word && next == Kind::Number)) break;
        ++j;
      }
    out.push_back(Token{line.substr(i, j - i), kind});
    i = j;
  }
}

class SymbolTable {
 public:
  // The symbol's id; a new symbol allocates (only in the first pass).
  __attribute__((noinline)) uint32_t intern(std::string_view name) {
    key_.assign(name.data(), name.size());  // reused: allocates only for a longer name
    auto found = ids_.find(key_);
    if (found != ids_.end()) return found->second;
    const uint32_t id = uint32_t(ids_.size());
    ids_.emplace(key_, id);
    return id;
  }
  size_t size() const { return ids_.size(); }

 private:
  std::string key_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// A small expression tree, rebuilt per line into a reused pool of nodes.
class Expr {
 public:
  virtual ~Expr() = default;
  virtual uint64_t eval() const = 0;
};

class Literal final : public Expr {
 public:
  uint64_t value = 0;
  uint64_t eval() const override { return value; }
};

class Add final : public Expr {
 public:
  const Expr *left = nullptr, *right = nullptr;
  uint64_t eval() const override { return left->eval() + right->eval(); }
};

class Mix final : public Expr {
 public:
  const Expr *inner = nullptr;
  uint64_t eval() const override { return inner->eval() * 31 + 7; }
};

class ExprPool {
 public:
  // Node `i` of its kind, created on first use.
  template <typename T>
  __attribute__((noinline)) T *get(std::vector<std::unique_ptr<T>> &nodes, size_t i) {
    while (nodes.size() <= i) nodes.push_back(std::make_unique<T>());
    return nodes[i].get();
  }
  std::vector<std::unique_ptr<Literal>> literals;
  std::vector<std::unique_ptr<Add>> adds;
  std::vector<std::unique_ptr<Mix>> mixes;
};

__attribute__((noinline)) uint64_t parse_number(std::string_view text) {
  uint64_t v = 0;
  for (char c : text) v = v * 10 + uint64_t(c - '0');
  return v;
}

// The numbers of a line folded into a left-leaning tree, then evaluated.
__attribute__((noinline)) uint64_t evaluate_line(const std::vector<Token> &tokens, ExprPool &pool) {
  const Expr *tree = nullptr;
  size_t literals = 0, adds = 0, mixes = 0;
  for (const Token &t : tokens) {
    if (t.kind != Kind::Number) continue;
    Literal *lit = pool.get(pool.literals, literals++);
    lit->value = parse_number(t.text);
    if (tree == nullptr) {
      tree = lit;
      continue;
    }
    Add *add = pool.get(pool.adds, adds++);
    add->left = tree;
    add->right = lit;
    Mix *mix = pool.get(pool.mixes, mixes++);
    mix->inner = add;
    tree = mix;
  }
  return tree ? tree->eval() : 0;
}

__attribute__((noinline)) uint64_t line_order_digest(std::vector<Token> &tokens) {
  std::sort(tokens.begin(), tokens.end(), [](const Token &a, const Token &b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.text < b.text;
  });
  uint64_t digest = 0;
  for (const Token &t : tokens) digest = digest * 131 + uint8_t(t.text[0]);
  return digest;
}

struct Parser {
  AsciiClassifier classifier;
  SymbolTable symbols;
  ExprPool pool;
  std::vector<Token> tokens;

  __attribute__((noinline)) uint64_t parse_line(std::string_view line) {
    tokens.clear();
    tokenize(line, classifier, tokens);
    uint64_t sum = 0;
    for (const Token &t : tokens)
      if (t.kind == Kind::Word) sum += symbols.intern(t.text);
    sum += evaluate_line(tokens, pool);
    return sum ^ line_order_digest(tokens);
  }

  __attribute__((noinline)) uint64_t parse(std::string_view document) {
    uint64_t checksum = 0;
    size_t start = 0;
    while (start < document.size()) {
      size_t end = document.find('\n', start);
      if (end == std::string_view::npos) end = document.size();
      checksum = checksum * 1099511628211ULL + parse_line(document.substr(start, end - start));
      start = end + 1;
    }
    return checksum;
  }
};

// Lines of words from a vocabulary of a few thousand, numbers and
// punctuation: the same text for every variant.
std::string make_document(size_t bytes) {
  static const char *const kPunct[] = {"(", ")", ",", ";", "=", "+", "{", "}"};
  uint64_t rng = 0x243F6A8885A308D3ULL;
  std::string doc;
  doc.reserve(bytes + 128);
  size_t line_length = 0;
  while (doc.size() < bytes) {
    const uint64_t r = bench_next_random(&rng);
    switch (r % 5) {
      case 0:
      case 1:
      case 2: {
        const uint64_t word = (r >> 8) % 3000;
        doc += "sym";
        doc += std::to_string(word);
        break;
      }
      case 3:
        doc += std::to_string((r >> 8) % 100000);
        break;
      default:
        doc += kPunct[(r >> 8) % 8];
        break;
    }
    line_length += 1;
    if (line_length == 12) {
      doc += '\n';
      line_length = 0;
    } else {
      doc += ' ';
    }
  }
  return doc;
}

}  // namespace

int main(int argc, char **argv) {
  const uint64_t passes = bench_count_arg(argc, argv, 1, 400, kUsage);
  const uint64_t document_kib = bench_count_arg(argc, argv, 2, 256, kUsage);
  const std::string document = make_document(size_t(document_kib) * 1024);
  Parser parser;
  uint64_t checksum = 0;
  for (uint64_t pass = 0; pass < passes; ++pass)
    checksum = checksum * 31 + parser.parse(document) + pass;
  std::printf("parser checksum=%llu symbols=%zu\n", static_cast<unsigned long long>(checksum),
              parser.symbols.size());
  return 0;
}
