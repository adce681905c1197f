// Where configuration files come from: the disk, or a map held in memory.
//
// Contract: `read(path)` returns the whole text of `path` or throws ConfigError
// "PATH: cannot open: REASON" naming the path as given. `resolve(from_file, relative)` turns a
// path written inside `from_file` (e.g. `catalog = "gpus.toml"`) into a path `read` accepts:
// relative paths are taken against the directory of `from_file`, absolute ones are kept, and
// the result is lexically normalised ("topologies/efficiency/../gpus.toml" becomes
// "topologies/gpus.toml"). Loaders reach files only through this interface, so tests and the
// built-in scenario can supply files without touching the disk.
//
// The files also carry the command line's key overrides (overrides.hpp): each loader applies
// those of its own kind to the file it reads, so that an override meets the file value's checks.
// They collect the uncertain values (ranges, distributions; uncertain_value.hpp) that the
// loaders of cluster, workload, price-list and datacenter files meet, for the caller to sample.
#pragma once

#include "config/overrides.hpp"
#include "config/uncertain_value.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tcsim::config {

class ConfigFiles {
public:
    ConfigFiles() = default;
    // A copy carries the overrides but starts a record of uncertain values of its own.
    ConfigFiles(const ConfigFiles& other) : overrides_(other.overrides_) {}
    ConfigFiles& operator=(const ConfigFiles& other) {
        overrides_ = other.overrides_;
        return *this;
    }
    ConfigFiles(ConfigFiles&& other) noexcept : overrides_(std::move(other.overrides_)) {}
    ConfigFiles& operator=(ConfigFiles&& other) noexcept {
        overrides_ = std::move(other.overrides_);
        return *this;
    }
    virtual ~ConfigFiles() = default;

    [[nodiscard]] virtual std::string read(const std::string& path) const = 0;
    [[nodiscard]] virtual std::string resolve(const std::string& from_file, const std::string& relative) const;

    /// Paths that were read from a built-in copy because they were not on disk, each as
    /// "PATH (built-in NAME)" (none here; see disk_or_builtin_files.hpp).
    [[nodiscard]] virtual std::vector<std::string> builtin_stand_ins() const { return {}; }

    /// The key overrides every loader applies to the files of its kind (none by default).
    [[nodiscard]] const Overrides& overrides() const { return overrides_; }
    void set_overrides(Overrides overrides) { overrides_ = std::move(overrides); }

    /// The uncertain values the loaders met reading these files (a record kept beside the files,
    /// so loaders that take the files `const` can add to it; each copy has its own).
    [[nodiscard]] UncertainValues& uncertain() const { return *uncertain_; }

private:
    Overrides overrides_;
    std::shared_ptr<UncertainValues> uncertain_ = std::make_shared<UncertainValues>();
};

/// Another ConfigFiles read as it is, with more key overrides after its own (a later override of
/// the same key wins) and a record of uncertain values of its own. `base` must outlive it.
class FilesWithOverrides : public ConfigFiles {
public:
    FilesWithOverrides(const ConfigFiles& base, const std::vector<KeyOverride>& more);

    [[nodiscard]] std::string read(const std::string& path) const override { return base_->read(path); }
    [[nodiscard]] std::string resolve(const std::string& from_file, const std::string& relative) const override {
        return base_->resolve(from_file, relative);
    }
    [[nodiscard]] std::vector<std::string> builtin_stand_ins() const override { return base_->builtin_stand_ins(); }

private:
    const ConfigFiles* base_;
};

/// Files on disk. Relative paths are taken against `base_directory` (default: the working
/// directory); messages name paths as the caller wrote them.
class DiskFiles : public ConfigFiles {
public:
    DiskFiles() = default;
    explicit DiskFiles(std::string base_directory);

    [[nodiscard]] std::string read(const std::string& path) const override;

private:
    std::string base_;
};

/// Files held in memory, keyed by normalised relative path ("topologies/gpus.toml").
class EmbeddedFiles : public ConfigFiles {
public:
    EmbeddedFiles() = default;
    explicit EmbeddedFiles(std::map<std::string, std::string, std::less<>> files);

    /// Adds or replaces one file.
    void add(const std::string& path, std::string content);

    [[nodiscard]] std::string read(const std::string& path) const override;
    [[nodiscard]] bool contains(const std::string& path) const;
    [[nodiscard]] std::vector<std::string> paths() const;

private:
    std::map<std::string, std::string, std::less<>> files_;
};

} // namespace tcsim::config
