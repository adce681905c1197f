// What every tcsim subcommand shares: how it plugs into the command line and how it reports
// bad input. A command registers its CLI11 options and an `execute` that returns the text to
// print on success and throws on failure; only main.cpp turns exceptions into exit codes.
#pragma once

#include "scenario/input_error.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tcsim::cli {

constexpr int exit_ok = 0;
constexpr int exit_internal_error = 1;
constexpr int exit_bad_input = 2;
constexpr int exit_out_of_tolerance = 3;  ///< ran to the end, but a check failed (tcsim validate)
constexpr int exit_claim_unsupported = 4; ///< ran to the end; a claim is optimistic or inconsistent
constexpr int exit_output_failed = 5;     ///< ran, but stdout could not be written (closed, disk full)

/// A problem with what the user gave that no loader reports (e.g. no price for the GPU): the
/// library's own (scenario/input_error.hpp), so that commands and the pipeline throw one type.
using InputError = scenario::InputError;

/// A command that ran but whose outcome is a failure, e.g. a calibration record outside its
/// tolerance: main prints `output` on stdout as for a success, the message on stderr, and
/// exits with `exit_code`.
class FailedOutcome : public std::runtime_error {
public:
    FailedOutcome(const std::string& message, std::string output, int exit_code)
        : std::runtime_error(message), output_(std::move(output)), exit_code_(exit_code) {}
    [[nodiscard]] const std::string& output() const { return output_; }
    [[nodiscard]] int exit_code() const { return exit_code_; }

private:
    std::string output_;
    int exit_code_;
};

struct Command {
    CLI::App* app = nullptr;              ///< the (sub)command's parser; the top-level app for the default
    std::function<std::string()> execute; ///< runs it, returning what to print
};

using Commands = std::vector<Command>;

} // namespace tcsim::cli
