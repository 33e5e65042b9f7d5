// batch.cpp - `tm-report batch`, a testing aid kept out of the help: it runs
// many command lines in one process, one JSON array of arguments (without
// "tm-report") per input line, and prints one {"status", "stdout", "stderr"}
// JSON object per line.  The differential test
// (test/report/Inputs/differential.py) issues thousands of queries, and
// process start-up would dominate its run time.
#include "command.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace tmreport {
namespace {

class BatchCommand : public Command {
 public:
  explicit BatchCommand(CLI::App &parent)
      : Command(parent.add_subcommand("batch", "Run command lines read from stdin (testing aid)")) {
    app_->group("");  // hidden: not a user feature
  }

  int run(Outcome &outcome) override {
    std::string line;
    size_t line_number = 0;
    while (std::getline(std::cin, line)) {
      ++line_number;
      std::string where = "batch: line " + std::to_string(line_number);
      nlohmann::json args;
      if (!parse_json(line, args))
        return outcome.fail(where + ": not a JSON array of strings", kExitBadInput);
      std::vector<std::string> words = command_words(args);
      if (words.size() < 2 || words[1] == "batch")
        return outcome.fail(where + ": not a JSON array of strings naming a command",
                            kExitBadInput);
      for (size_t i = 1; i < words.size(); ++i)
        if (words[i].find('\0') != std::string::npos)
          return outcome.fail(where + ": argument " + std::to_string(i) +
                                  " contains a NUL byte (a command-line argument cannot)",
                              kExitBadInput);
      if (!write_all(stdout, result_line(words)))
        return outcome.fail(std::string("cannot write to standard output: ") + std::strerror(errno),
                            kExitBadInput);
    }
    return 0;
  }

 private:
  static bool parse_json(const std::string &line, nlohmann::json &args) {
    try {
      args = nlohmann::json::parse(line);
      return true;
    } catch (const nlohmann::json::exception &) {
      return false;
    }
  }

  // "tm-report" then the array's strings; empty unless `args` is an array of
  // strings.
  static std::vector<std::string> command_words(const nlohmann::json &args) {
    if (!args.is_array()) return {};
    std::vector<std::string> words{"tm-report"};
    for (const auto &arg : args) {
      if (!arg.is_string()) return {};
      words.push_back(arg.get<std::string>());
    }
    return words;
  }

  static std::string result_line(const std::vector<std::string> &words) {
    std::vector<const char *> argv;
    for (const std::string &word : words) argv.push_back(word.c_str());
    argv.push_back(nullptr);
    Outcome outcome = run_command(int(words.size()), argv.data());
    nlohmann::ordered_json result;
    result["status"] = outcome.status;
    result["stdout"] = outcome.out;
    result["stderr"] = outcome.err;
    return result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
};

}  // namespace

std::unique_ptr<Command> add_batch_command(CLI::App &parent) {
  return std::make_unique<BatchCommand>(parent);
}

}  // namespace tmreport
