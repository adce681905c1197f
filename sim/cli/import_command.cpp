#include "cli/import_command.hpp"

#include "cli/write_whole_file.hpp"
#include "config/config_files.hpp"
#include "config/import_hf.hpp"

#include <memory>
#include <string>

namespace tcsim::cli {

namespace {

struct Options {
    std::string hf;
    std::string out;
    config::HfRecipe recipe;
};

std::string import(const Options& o) {
    const config::HfRecipe& r = o.recipe;
    const bool any =
        r.tokens > 0 || r.seq_len > 0 || r.global_batch_sequences > 0 || r.tp > 0 || r.pp > 0 || r.dp > 0 || r.ep > 0;
    if (any && !r.complete())
        throw InputError("--tokens, --seq-len, --global-batch, --tp, --pp and --dp go together (the [training] and "
                         "[parallel] tables need all of them); give all or none");
    const config::DiskFiles files;
    const std::string text = config::import_hf(files, o.hf, r);
    if (o.out.empty()) return text;
    write_whole_file(o.out, "workload file", [&text](std::ostream& out) { out << text; });
    return "";
}

} // namespace

void add_import_command(CLI::App& app, Commands& commands) {
    auto options = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("import", "Write a workload file's model section from a Hugging Face config.json");
    cmd->add_option("--hf", options->hf, "Hugging Face config.json")->required();
    cmd->add_option("-o,--out", options->out, "Write the workload TOML here instead of stdout");
    cmd->add_option("--name", options->recipe.name, "Workload and model name (default: the config's _name_or_path)");
    cmd->add_option("--tokens", options->recipe.tokens, "[training] tokens")->check(CLI::PositiveNumber);
    cmd->add_option("--seq-len", options->recipe.seq_len, "[training] seq_len")->check(CLI::PositiveNumber);
    cmd->add_option("--global-batch", options->recipe.global_batch_sequences, "[training] global_batch_sequences")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--tp", options->recipe.tp, "[parallel] tp")->check(CLI::PositiveNumber);
    cmd->add_option("--pp", options->recipe.pp, "[parallel] pp")->check(CLI::PositiveNumber);
    cmd->add_option("--dp", options->recipe.dp, "[parallel] dp")->check(CLI::PositiveNumber);
    cmd->add_option("--ep", options->recipe.ep, "[parallel] ep (MoE)")->check(CLI::PositiveNumber);
    commands.push_back({cmd, [options] { return import(*options); }});
}

} // namespace tcsim::cli
