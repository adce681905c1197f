#include "config/overrides.hpp"

#include "config/config_error.hpp"
#include "config/spelling.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace tcsim::config {
namespace {

constexpr std::array<std::pair<std::string_view, FileKind>, 8> kKinds{{
    {"cluster", FileKind::cluster},
    {"workload", FileKind::workload},
    {"claim", FileKind::claim},
    {"prices", FileKind::prices},
    {"datacenter", FileKind::datacenter},
    {"gpus", FileKind::gpus},
    {"efficiency", FileKind::efficiency},
    {"mfu_records", FileKind::mfu_records},
}};

std::vector<std::string> kind_names() {
    std::vector<std::string> out;
    for (const auto& [name, kind] : kKinds) out.emplace_back(name);
    return out;
}

} // namespace

std::string_view to_string(FileKind kind) {
    for (const auto& [name, k] : kKinds)
        if (k == kind) return name;
    return "?";
}

void Overrides::add(KeyOverride o) {
    std::erase_if(all_, [&o](const KeyOverride& x) { return x.kind == o.kind && x.key == o.key; });
    all_.push_back(std::move(o));
}

void Overrides::add_set(const std::string& text) {
    const std::string origin = "--set " + text;
    const auto fail = [&origin](const std::string& problem) { throw ConfigError(origin, problem); };
    const auto equals = text.find('=');
    const auto dot = text.find('.');
    if (equals == std::string::npos || dot == std::string::npos || dot > equals)
        fail("expected KIND.KEY=VALUE, e.g. workload.parallel.tp=4 (KIND is one of " + quoted_list(kind_names()) + ")");
    const std::string kind_text = text.substr(0, dot);
    const auto it = std::find_if(kKinds.begin(), kKinds.end(), [&](const auto& k) { return k.first == kind_text; });
    if (it == kKinds.end()) {
        std::string problem =
            "unknown kind of input file \"" + kind_text + "\"; expected one of " + quoted_list(kind_names());
        if (const auto near = closest_spelling(kind_text, kind_names()))
            problem += " (did you mean \"" + *near + "\"?)";
        fail(problem);
    }
    std::string key = text.substr(dot + 1, equals - dot - 1);
    if (key.empty() || key.front() == '.' || key.back() == '.')
        fail("expected a key path after \"" + kind_text + ".\", e.g. " + kind_text + ".name=...");
    std::string value = text.substr(equals + 1);
    if (value.empty()) fail("expected a value after '=' (a string is written \"...\")");
    add({it->second, std::move(key), std::move(value), origin});
}

std::vector<KeyOverride> Overrides::of(FileKind kind) const {
    std::vector<KeyOverride> out;
    for (const auto& o : all_)
        if (o.kind == kind) out.push_back(o);
    return out;
}

bool Overrides::sets(FileKind kind, std::string_view key) const {
    return std::any_of(all_.begin(), all_.end(), [&](const KeyOverride& o) { return o.kind == kind && o.key == key; });
}

} // namespace tcsim::config
