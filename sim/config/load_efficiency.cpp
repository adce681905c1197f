// Each parameter is read through one helper so that the rule "a value without a source is
// refused" cannot be forgotten for a new key.
#include "config/load_efficiency.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"
#include "hardware/link_class.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace tcsim::config {
namespace {

constexpr std::string_view kCitedNumber = "an inline table like { value = 0.80, source = \"...\" }";
constexpr std::string_view kCitedDuration = "an inline table like { value = \"4 us\", source = \"...\" }";

/// The `source` of one cited value: present and non-empty.
void require_source(TableReader& cited) {
    if (!cited.has("source"))
        cited.fail("source", "required key is missing: every efficiency value must say where it comes from "
                             "(source = \"...\")");
    (void)cited.string("source");
}

double cited_fraction(TableReader& parent, std::string_view key) {
    TableReader cited = parent.table(key, kCitedNumber);
    const double x = cited.number("value", Bound::positive);
    if (x > 1.0) {
        std::ostringstream found;
        found << x;
        cited.fail("value", "expected a fraction in (0, 1], found " + found.str());
    }
    require_source(cited);
    return x;
}

double cited_size(TableReader& parent, std::string_view key, Range range = limits::gemm_half_size) {
    TableReader cited = parent.table(key, kCitedNumber);
    const double x = cited.number("value", range);
    require_source(cited);
    return x;
}

units::Seconds cited_duration(TableReader& parent, std::string_view key) {
    TableReader cited = parent.table(key, kCitedDuration);
    const auto t = cited.quantity<units::Seconds>("value", limits::overhead);
    require_source(cited);
    return t;
}

hardware::GemmEfficiency read_gemm(TableReader& gemm) {
    hardware::GemmEfficiency g;
    g.peak_fraction = cited_fraction(gemm, "peak_fraction");
    if (gemm.has("mn_half")) {
        // The output-tile form: s(m n) in place of s(m) s(n); one form per curve.
        for (const char* separable : {"m_half", "n_half"})
            if (gemm.has(separable))
                gemm.fail(separable, "mn_half (the output-tile form) takes the place of m_half and n_half; give "
                                     "either mn_half or both m_half and n_half");
        g.mn_half = cited_size(gemm, "mn_half", limits::gemm_output_half_size);
    } else {
        g.m_half = cited_size(gemm, "m_half");
        g.n_half = cited_size(gemm, "n_half");
    }
    g.k_half = cited_size(gemm, "k_half");
    if (gemm.has("ceiling")) g.ceiling = cited_fraction(gemm, "ceiling");
    return g;
}

/// `lender`: true when another file borrows this one's parameters, which must then be its own.
hardware::EfficiencyParameters load(const ConfigFiles& files, const std::string& path, bool lender) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::efficiency));
    TableReader root = document.root();
    if (root.has("assumed_from") && lender)
        root.fail("assumed_from", "this file is borrowed from, so its parameters must be its own, but it borrows "
                                  "them too; name the file that has them");
    if (root.has("assumed_from")) {
        // A family without component benchmarks of its own: another file's parameters, said so.
        const std::string name = root.string("name");
        const std::string from = root.string("assumed_from");
        const std::string reason = root.string("reason");
        if (reason.empty()) root.fail("reason", "expected why the parameters are borrowed, found \"\"");
        const std::string from_path = files.resolve(path, from);
        if (from_path == path) root.fail("assumed_from", "a file cannot borrow from itself");
        hardware::EfficiencyParameters p;
        try {
            p = load(files, from_path, true);
        } catch (const ConfigError& e) {
            if (e.file() == from_path && e.line() == 0)
                root.fail("assumed_from", "cannot load \"" + from_path + "\": " + e.problem());
            throw;
        }
        // NVLink SHARP belongs to NVIDIA's NVSwitch, not to the calibration: never inherited.
        p.links.nvls.reset();
        // What the family has measured of its own replaces the borrowed value: a whole BF16 GEMM
        // curve, or a link class's fraction. Everything else stays borrowed, and the warning
        // names both.
        std::vector<std::string> own;
        if (auto bf16 = root.optional_table("gemm_bf16")) {
            p.compute.gemm_bf16 = read_gemm(*bf16);
            own.emplace_back("BF16 GEMM curve");
        }
        if (auto links = root.optional_table("links")) {
            for (const std::string& key : links->keys()) {
                const auto lc = hardware::find_link_class(key);
                if (!lc || !lc->contended())
                    links->fail(key, "a borrowing file may give its own fraction of a contended link class (" +
                                         hardware::known_link_class_names() + "), found '" + key + "'");
                p.links.set_fraction(key, cited_fraction(*links, key));
                own.push_back(key + " link fraction");
            }
        }
        std::string own_text;
        for (std::size_t i = 0; i < own.size(); ++i)
            own_text += (i == 0 ? "" : i + 1 == own.size() ? " and " : ", ") + own[i];
        p.borrowed = own.empty()
                         ? name + " has no component benchmarks: its efficiency is " + from_path + "'s (" + reason + ")"
                         : name + "'s efficiency is " + from_path + "'s (" + reason + "), except its own " + own_text +
                               " (" + path + ")";
        p.compute.source = path + " (" + name + ", assumed from " + from_path + ")";
        p.links.source = p.compute.source;
        document.finish();
        return p;
    }
    hardware::EfficiencyParameters p;
    const std::string source = path + " (" + root.string("name") + ")";

    auto& c = p.compute;
    c.attention_forward = cited_fraction(root, "attention_forward");
    c.attention_backward = cited_fraction(root, "attention_backward");
    c.memory = cited_fraction(root, "memory");
    c.kernel_launch = cited_duration(root, "kernel_launch");
    c.sustained = cited_fraction(root, "sustained");
    TableReader bf16 = root.table("gemm_bf16");
    c.gemm_bf16 = read_gemm(bf16);
    if (auto fp8 = root.optional_table("gemm_fp8")) {
        c.gemm_fp8 = read_gemm(*fp8);
        if (fp8->has("deepgemm_ceiling")) c.gemm_fp8.deepgemm_ceiling = cited_fraction(*fp8, "deepgemm_ceiling");
    }
    c.source = source;

    TableReader links = root.table("links");
    // Every contended link class of the catalog is required (every fabric built today uses them
    // all), in catalog order; any other plain key must name a known class.
    for (const hardware::LinkClassInfo& lc : hardware::link_classes())
        if (lc.contended) p.links.set_fraction(lc.name, cited_fraction(links, lc.name));
    if (auto nvls = links.optional_table("nvls")) {
        hardware::NvlsEfficiency n;
        n.nvlink = cited_fraction(*nvls, "nvlink");
        n.latency = cited_duration(*nvls, "latency");
        p.links.nvls = n;
    }
    TableReader deepep = links.table("deepep");
    p.links.deepep.nvlink = cited_fraction(deepep, "nvlink");
    p.links.deepep.network = cited_fraction(deepep, "network");
    p.links.deepep.low_latency_overhead = cited_duration(deepep, "low_latency_overhead");
    p.links.source = source;
    for (const std::string& key : links.keys()) {
        if (key == "nvls" || key == "deepep" || p.links.find_fraction(key)) continue;
        if (!hardware::find_link_class(key))
            links.fail(key, "unknown link class '" + key + "' (known: " + hardware::known_link_class_names() + ")");
        links.fail(key, "link class '" + key + "' is never a bottleneck here and takes no achievable fraction");
    }

    document.finish();
    return p;
}

} // namespace

hardware::EfficiencyParameters load_efficiency(const ConfigFiles& files, const std::string& path) {
    return load(files, path, false);
}

} // namespace tcsim::config
