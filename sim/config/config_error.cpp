// The message is assembled once, in the constructor, so what() is cheap and never throws.
#include "config/config_error.hpp"

#include <utility>

namespace tcsim::config {
namespace {

std::string format(const std::string& file, int line, int column, const std::string& key, const std::string& problem) {
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
    if (!key.empty()) out += "key '" + key + "': ";
    out += problem;
    return out;
}

} // namespace

ConfigError::ConfigError(std::string file, int line, int column, std::string key, std::string problem)
    : std::runtime_error(format(file, line, column, key, problem)), file_(std::move(file)), line_(line),
      column_(column), key_(std::move(key)), problem_(std::move(problem)) {}

ConfigError::ConfigError(std::string file, std::string problem)
    : ConfigError(std::move(file), 0, 0, std::string(), std::move(problem)) {}

} // namespace tcsim::config
