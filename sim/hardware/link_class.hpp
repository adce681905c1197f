// Link classes: what a link is, as data. A class is a name ("nvlink", "pcie", "network"; later
// "xgmi", "ici", "roce") and a line of the catalog below; nothing in tcsim switches on it.
//
// Contract
// - `link_classes()` is the catalog, in a fixed order; a `LinkClass` is an index into it, so
//   tables keyed by class (a planner's scale factors) are vectors sized by the catalog.
// - Links of one contended class share one achievable-bandwidth fraction, read by its name from
//   the efficiency file's [links] table (hardware::LinkEfficiency). A class that is not
//   contended (PCIe between a GPU and its NIC: Gen5 x16 carries about 63 GB/s per direction,
//   32 GT/s x 16 lanes x 128b/130b encoding (PCI-SIG, PCI Express Base Specification 5.0),
//   above a 400 Gb/s NIC's 50 GB/s) carries traffic at line rate and takes no part in sharing.
// - `find_link_class` answers nullopt for a name the catalog does not know; `link_class` throws
//   std::invalid_argument naming it and the known names.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tcsim::hardware {

struct LinkClassInfo {
    std::string_view name; ///< as written in efficiency files
    std::string_view what; ///< one line for people
    bool contended = true; ///< flows share its bandwidth; its fraction is calibrated
};

class LinkClass {
public:
    constexpr LinkClass() = default;
    constexpr explicit LinkClass(std::uint8_t index) : index_(index) {}
    [[nodiscard]] constexpr std::uint8_t index() const { return index_; }
    [[nodiscard]] std::string_view name() const;
    [[nodiscard]] bool contended() const;
    friend constexpr bool operator==(LinkClass, LinkClass) = default;

private:
    std::uint8_t index_ = 0;
};

/// The catalog of link classes.
[[nodiscard]] std::span<const LinkClassInfo> link_classes();
[[nodiscard]] std::optional<LinkClass> find_link_class(std::string_view name);
[[nodiscard]] LinkClass link_class(std::string_view name);
/// "nvlink, pcie, network": the known names, for error messages.
[[nodiscard]] std::string known_link_class_names();

} // namespace tcsim::hardware
