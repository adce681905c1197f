// tcsim: the command line. Each command lives in its own file (see command.hpp); this file
// parses, dispatches and turns exceptions into exit codes:
//   0 success; 2 bad input (command line, configuration, infeasible plan, no price): the
//   message goes to stderr and nothing to stdout; 3 ran to the end but a check failed (tcsim
//   validate: an unexplained value outside its tolerance, or a record it could not evaluate;
//   the report still goes to stdout); 4 a
//   checked claim is optimistic or inconsistent (tcsim, tcsim check; the report goes to stdout);
//   5 the output could not be written (stdout closed or full: the message says so); 1 internal
//   error.
#include "cli/calibrate_command.hpp"
#include "cli/check_command.hpp"
#include "cli/collective_command.hpp"
#include "cli/command.hpp"
#include "cli/explain_command.hpp"
#include "cli/import_command.hpp"
#include "cli/run_command.hpp"
#include "cli/search_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/sweep_command.hpp"
#include "cli/validate_command.hpp"
#include "config/config_error.hpp"
#include "engine/sim_time.hpp"
#include "workload/plan_check.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#ifndef TCSIM_VERSION
#define TCSIM_VERSION "unknown"
#endif

namespace {

int bad_input(const std::string& message) {
    std::cerr << "tcsim: " << message << '\n';
    return tcsim::cli::exit_bad_input;
}

} // namespace

int main(int argc, char** argv) {
    using namespace tcsim::cli;
    CLI::App app{"tcsim: discrete-event simulator of large-model training on GPU clusters.\n"
                 "With no command: is DeepSeek-V3's published training cost physically consistent? (the claim check)",
                 "tcsim"};
    app.set_version_flag("--version", std::string("tcsim ") + TCSIM_VERSION);
    Commands commands;
    add_run_commands(app, commands);
    add_explain_command(app, commands);
    add_collective_command(app, commands);
    add_validate_command(app, commands);
    add_calibrate_command(app, commands);
    add_check_command(app, commands);
    add_import_command(app, commands);
    add_search_command(app, commands);
    add_sweep_command(app, commands);
    add_serve_command(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version are "errors" with exit code 0; everything else is bad input.
        const int code = app.exit(e, std::cout, std::cerr);
        return code == 0 ? exit_ok : exit_bad_input;
    }

    // The parsed subcommand, else the default (registered on the top-level app).
    const Command* chosen = nullptr;
    for (const Command& c : commands) {
        if (c.app == &app && chosen == nullptr) chosen = &c;
        if (c.app != &app && c.app->parsed()) chosen = &c;
    }
    try {
        if (chosen == nullptr) throw InputError("no command to run");
        const std::string text = chosen->execute();
        errno = 0;
        std::cout << text << std::flush;
        if (!std::cout) {
            const int error = errno;
            std::cerr << "tcsim: cannot write the output (" << text.size() << " bytes) to stdout"
                      << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << '\n';
            return exit_output_failed;
        }
        return exit_ok;
    } catch (const FailedOutcome& e) {
        std::cout << e.output() << std::flush;
        std::cerr << "tcsim: " << e.what() << '\n';
        if (!std::cout) {
            std::cerr << "tcsim: cannot write the output to stdout\n";
            return exit_output_failed;
        }
        return e.exit_code();
    } catch (const tcsim::config::ConfigError& e) {
        return bad_input(e.what());
    } catch (const tcsim::workload::PlanError& e) {
        return bad_input(e.what());
    } catch (const InputError& e) {
        return bad_input(e.what());
    } catch (const tcsim::engine::DurationOutOfRange& e) {
        return bad_input("these inputs cannot be simulated: " + std::string(e.what()) +
                         " (a model, batch or run far beyond what the cluster can train)");
    } catch (const std::exception& e) {
        std::cerr << "tcsim: internal error: " << e.what() << '\n';
        return exit_internal_error;
    } catch (...) {
        std::cerr << "tcsim: internal error\n";
        return exit_internal_error;
    }
}
