// Files on disk, with the built-in copies of the support files standing in for missing ones, so
// that a cluster or workload file copied anywhere (e.g. to /tmp) still finds the GPU catalog,
// the efficiency files, the price list, the datacenter assumptions and the MFU records.
//
// Contract: read(path) reads `path` from disk when it exists there. When it does not, and its
// name is one of the support files' (gpus.toml, prices.toml, datacenter.toml, mfu_records.toml,
// or efficiency/NAME.toml for a built-in efficiency file), the built-in copy of that name
// (builtin_files.hpp) is read instead and the substitution is recorded; any other missing path
// (or one the caller marked as named by the user) is refused as DiskFiles refuses it. A file
// that exists but cannot be read is never replaced.
#pragma once

#include "config/config_files.hpp"

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace tcsim::config {

class DiskOrBuiltinFiles : public DiskFiles {
public:
    DiskOrBuiltinFiles() = default;
    DiskOrBuiltinFiles(const DiskOrBuiltinFiles& other);
    DiskOrBuiltinFiles& operator=(const DiskOrBuiltinFiles&) = delete;
    ~DiskOrBuiltinFiles() override = default;

    /// Paths the user named (--prices, --datacenter): read from disk or refused, never replaced.
    void named_by_user(const std::string& path);

    [[nodiscard]] std::string read(const std::string& path) const override;
    /// The substitutions made so far, in the order made, each as "PATH (built-in NAME)".
    [[nodiscard]] std::vector<std::string> builtin_stand_ins() const override;

private:
    std::set<std::string, std::less<>> named_;
    mutable std::mutex mutex_;
    mutable std::vector<std::string> stand_ins_;
};

} // namespace tcsim::config
