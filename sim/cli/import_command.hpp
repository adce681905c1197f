// `tcsim import --hf CONFIG.json [-o OUT.toml] [--name NAME] [--tokens N --seq-len N
// --global-batch N --tp N --pp N --dp N [--ep N]]`: a Hugging Face config.json as a workload
// file's model section (config/import_hf.hpp), with [training] and [parallel] from the flags
// when all of them are given, else a commented template. Writes the text to OUT (nothing on
// stdout) or, without -o, to stdout.
#pragma once

#include "cli/command.hpp"

namespace tcsim::cli {

void add_import_command(CLI::App& app, Commands& commands);

} // namespace tcsim::cli
