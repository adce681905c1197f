// Disk reads go through C stdio so that the operating system's own reason ("No such file or
// directory", "Permission denied", "Is a directory") reaches the message through errno.
#include "config/config_files.hpp"

#include "config/config_error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

namespace tcsim::config {
namespace {

std::string normal(const std::filesystem::path& p) { return p.lexically_normal().generic_string(); }

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

} // namespace

FilesWithOverrides::FilesWithOverrides(const ConfigFiles& base, const std::vector<KeyOverride>& more) : base_(&base) {
    Overrides all = base.overrides();
    for (const KeyOverride& o : more) all.add(o);
    set_overrides(std::move(all));
}

std::string ConfigFiles::resolve(const std::string& from_file, const std::string& relative) const {
    const std::filesystem::path target(relative);
    if (target.is_absolute()) return normal(target);
    return normal(std::filesystem::path(from_file).parent_path() / target);
}

DiskFiles::DiskFiles(std::string base_directory) : base_(std::move(base_directory)) {}

std::string DiskFiles::read(const std::string& path) const {
    std::filesystem::path full(path);
    if (!base_.empty() && full.is_relative()) full = std::filesystem::path(base_) / full;
    if (path.empty()) throw ConfigError("(empty path)", "cannot open: no file named");
    // Only regular files: a FIFO with no writer would block the open forever and a device such
    // as /dev/zero never ends; stat() answers without opening either.
    std::error_code ec;
    const auto status = std::filesystem::status(full, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        const char* what = std::filesystem::is_directory(status) ? "a directory" : "a device, FIFO or socket";
        throw ConfigError(path, std::string("cannot open: not a regular file (") + what + ")");
    }
    errno = 0;
    const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(full.c_str(), "rb"));
    if (!file) throw ConfigError(path, std::string("cannot open: ") + std::strerror(errno));
    std::string content;
    char buffer[65536];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
        content.append(buffer, n);
        if (n < sizeof buffer) break;
    }
    if (std::ferror(file.get()) != 0) throw ConfigError(path, std::string("cannot read: ") + std::strerror(errno));
    return content;
}

EmbeddedFiles::EmbeddedFiles(std::map<std::string, std::string, std::less<>> files) {
    for (auto& [path, content] : files) add(path, std::move(content));
}

void EmbeddedFiles::add(const std::string& path, std::string content) {
    files_.insert_or_assign(normal(path), std::move(content));
}

std::string EmbeddedFiles::read(const std::string& path) const {
    const auto it = files_.find(normal(path));
    if (it == files_.end()) {
        std::string known;
        for (const auto& [name, content] : files_) known += (known.empty() ? "" : ", ") + name;
        throw ConfigError(path, "cannot open: No such file among the built-in files (they are: " +
                                    (known.empty() ? std::string("none") : known) + ")");
    }
    return it->second;
}

bool EmbeddedFiles::contains(const std::string& path) const { return files_.find(normal(path)) != files_.end(); }

std::vector<std::string> EmbeddedFiles::paths() const {
    std::vector<std::string> out;
    for (const auto& [name, content] : files_) out.push_back(name);
    return out;
}

} // namespace tcsim::config
