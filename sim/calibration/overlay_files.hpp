// Configuration files with some of them swapped out: how a validation runs against a parameter
// file other than the one the clusters name (a fit's candidate values, a deliberately broken
// file in a test) without copying or editing anything on disk.
//
// Contract: read(path) returns the replacement registered for that file if there is one, else
// the base's content. Paths are compared after making them absolute and lexically normal
// (relative to the working directory), so "topologies/efficiency/ampere.toml" and
// "calibrations/../topologies/efficiency/ampere.toml" name the same file. resolve() is the
// base's. Read-only once set up, so it may be shared between threads.
#pragma once

#include "config/config_files.hpp"

#include <map>
#include <string>

namespace tcsim::calibration {

class OverlayFiles final : public config::ConfigFiles {
public:
    explicit OverlayFiles(const config::ConfigFiles& base) : base_(&base) {}

    /// From now on, reading `path` yields `content`.
    void replace(const std::string& path, std::string content);
    /// Whether `path` has a replacement.
    [[nodiscard]] bool replaces(const std::string& path) const;

    [[nodiscard]] std::string read(const std::string& path) const override;
    [[nodiscard]] std::string resolve(const std::string& from_file, const std::string& relative) const override;

    /// The key under which `path` is compared.
    [[nodiscard]] static std::string normal(const std::string& path);

private:
    const config::ConfigFiles* base_;
    std::map<std::string, std::string, std::less<>> replaced_;
};

} // namespace tcsim::calibration
