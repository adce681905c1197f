#include "config/disk_or_builtin_files.hpp"

#include "config/builtin_files.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace tcsim::config {
namespace {

/// The built-in file of the same name as `path`, if it is a support file.
std::optional<std::string> builtin_name(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string name = p.filename().generic_string();
    std::string candidate;
    if (name == "gpus.toml" || name == "prices.toml" || name == "datacenter.toml" || name == "mfu_records.toml" ||
        name == "model_uncertainty.toml")
        candidate = "topologies/" + name;
    else if (p.parent_path().filename() == "efficiency")
        candidate = "topologies/efficiency/" + name;
    if (candidate.empty() || !builtin_files().contains(candidate)) return std::nullopt;
    return candidate;
}

} // namespace

DiskOrBuiltinFiles::DiskOrBuiltinFiles(const DiskOrBuiltinFiles& other)
    : DiskFiles(other), named_(other.named_), stand_ins_(other.builtin_stand_ins()) {}

void DiskOrBuiltinFiles::named_by_user(const std::string& path) { named_.insert(path); }

std::string DiskOrBuiltinFiles::read(const std::string& path) const {
    std::error_code ec;
    const bool on_disk = path.empty() || std::filesystem::exists(path, ec) || ec;
    const auto name = on_disk || named_.contains(path) ? std::nullopt : builtin_name(path);
    if (!name) return DiskFiles::read(path);
    {
        const std::lock_guard lock(mutex_);
        const std::string entry = path + " (built-in " + *name + ")";
        if (std::find(stand_ins_.begin(), stand_ins_.end(), entry) == stand_ins_.end()) stand_ins_.push_back(entry);
    }
    return builtin_files().read(*name);
}

std::vector<std::string> DiskOrBuiltinFiles::builtin_stand_ins() const {
    const std::lock_guard lock(mutex_);
    return stand_ins_;
}

} // namespace tcsim::config
