// The one error type of the configuration layer.
//
// Contract: every problem found while reading a configuration file is thrown as a ConfigError
// whose message starts with where it is and which key it concerns, then says what was expected
// and what was found:
//
//     topologies/x.toml:12:17: key 'fabric.kind': expected one of "fat_tree", ... ; found "fat-tree"
//
// A problem without a position (a file that cannot be opened) reads "FILE: PROBLEM"; a syntax
// error has a position but no key ("FILE:LINE:COL: PROBLEM"). The parts stay available
// separately for tools that want them.
#pragma once

#include <stdexcept>
#include <string>

namespace tcsim::config {

class ConfigError : public std::runtime_error {
public:
    /// A problem at `line`:`column` (1-based; 0 = unknown) of `file`, about `key` (dotted path;
    /// empty when the problem is not about one key).
    ConfigError(std::string file, int line, int column, std::string key, std::string problem);

    /// A problem with the file as a whole, e.g. "cannot open: No such file or directory".
    ConfigError(std::string file, std::string problem);

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] int line() const { return line_; }
    [[nodiscard]] int column() const { return column_; }
    [[nodiscard]] const std::string& key() const { return key_; }
    /// The message without the location prefix.
    [[nodiscard]] const std::string& problem() const { return problem_; }

private:
    std::string file_;
    int line_ = 0;
    int column_ = 0;
    std::string key_;
    std::string problem_;
};

} // namespace tcsim::config
