#include "calibration/overlay_files.hpp"

#include <filesystem>

namespace tcsim::calibration {

std::string OverlayFiles::normal(const std::string& path) {
    return std::filesystem::absolute(std::filesystem::path(path)).lexically_normal().generic_string();
}

void OverlayFiles::replace(const std::string& path, std::string content) {
    replaced_.insert_or_assign(normal(path), std::move(content));
}

bool OverlayFiles::replaces(const std::string& path) const { return replaced_.find(normal(path)) != replaced_.end(); }

std::string OverlayFiles::read(const std::string& path) const {
    const auto it = replaced_.find(normal(path));
    return it != replaced_.end() ? it->second : base_->read(path);
}

std::string OverlayFiles::resolve(const std::string& from_file, const std::string& relative) const {
    return base_->resolve(from_file, relative);
}

} // namespace tcsim::calibration
