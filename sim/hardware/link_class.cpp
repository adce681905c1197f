// The catalog is a constant table: adding a vendor's link (AMD's xGMI, Google's ICI, RoCE as a
// class of its own) is one row here plus its fraction in that vendor's efficiency file.
#include "hardware/link_class.hpp"

#include <array>
#include <stdexcept>

namespace tcsim::hardware {
namespace {

constexpr std::array<LinkClassInfo, 3> kLinkClasses{{
    {"nvlink", "NVLink between a GPU and its NVSwitch (scale-up domain)", true},
    {"pcie", "PCIe between a GPU and its NIC (never the bottleneck for the NICs modelled)", false},
    {"network", "NIC <-> switch and switch <-> switch (scale-out fabric)", true},
}};

} // namespace

std::span<const LinkClassInfo> link_classes() { return kLinkClasses; }

std::string_view LinkClass::name() const { return kLinkClasses.at(index_).name; }
bool LinkClass::contended() const { return kLinkClasses.at(index_).contended; }

std::optional<LinkClass> find_link_class(std::string_view name) {
    for (std::size_t i = 0; i < kLinkClasses.size(); ++i)
        if (kLinkClasses[i].name == name) return LinkClass(static_cast<std::uint8_t>(i));
    return std::nullopt;
}

std::string known_link_class_names() {
    std::string out;
    for (const LinkClassInfo& c : kLinkClasses) {
        if (!out.empty()) out += ", ";
        out += c.name;
    }
    return out;
}

LinkClass link_class(std::string_view name) {
    if (auto c = find_link_class(name)) return *c;
    throw std::invalid_argument("unknown link class '" + std::string(name) + "' (known: " + known_link_class_names() +
                                ")");
}

} // namespace tcsim::hardware
