// Reading a sweep file: the root keys, then each [[axis]], each refused at its own line when it
// is not what load_sweep.hpp describes. The axis values are kept as TOML text: the override
// machinery (config/overrides.hpp) and the loaders of the points' files check them.
#include "sweep/load_sweep.hpp"

#include "config/overrides.hpp"
#include "config/toml_reader.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace tcsim::sweep {

namespace {

constexpr std::array<config::Spelling<Combine>, 2> kCombine{{{"product", Combine::product}, {"zip", Combine::zip}}};

constexpr std::array<config::FileKind, 7> kReadKinds{
    config::FileKind::cluster, config::FileKind::workload,   config::FileKind::prices,     config::FileKind::datacenter,
    config::FileKind::gpus,    config::FileKind::efficiency, config::FileKind::mfu_records};

std::string kind_list() {
    std::string out;
    for (const auto kind : kReadKinds) out += (out.empty() ? "" : ", ") + std::string(config::to_string(kind));
    return out;
}

/// The target of an axis key, or a refusal at the key's line.
Target target_of(config::TableReader& axis, const std::string& key) {
    if (key == "gpus") return Target::gpus;
    if (key == "nodes") return Target::nodes;
    if (key == "price_per_gpu_hour") return Target::price_per_gpu_hour;
    if (key == "cluster") return Target::cluster_file;
    if (key == "workload") return Target::workload_file;
    const auto dot = key.find('.');
    const std::string kind = key.substr(0, dot);
    const std::string expected = "expected KIND.KEY (KIND one of " + kind_list() +
                                 ") or one of gpus, nodes, price_per_gpu_hour, cluster, workload, found '" + key + "'";
    if (kind == "claim") axis.fail("key", "a sweep runs `tcsim run` points, which read no claim file; " + expected);
    bool known = false;
    for (const auto k : kReadKinds) known = known || kind == config::to_string(k);
    if (!known || dot == std::string::npos || dot + 1 >= key.size() || key.back() == '.') axis.fail("key", expected);
    return Target::file_key;
}

/// Checks that every value suits the target (integers for counts, positive numbers for prices,
/// strings for files), refusing at the `values` key and naming the element.
void check_values(config::TableReader& axis, Target target, const std::vector<config::ScalarText>& values) {
    using Type = config::ScalarText::Type;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const config::ScalarText& v = values[i];
        const std::string element = "values[" + std::to_string(i) + "] = " + v.toml + ": ";
        switch (target) {
        case Target::gpus:
        case Target::nodes: {
            const long long n = v.type == Type::integer ? std::atoll(v.toml.c_str()) : 0;
            if (v.type != Type::integer || n < 1 || n > 100'000'000)
                axis.fail("values", element + "expected a positive integer (a " +
                                        (target == Target::gpus ? std::string("GPU") : std::string("node")) +
                                        " count) up to 100000000");
            break;
        }
        case Target::price_per_gpu_hour: {
            const double x = v.type == Type::integer || v.type == Type::floating_point ? std::atof(v.toml.c_str()) : 0;
            if (!(x > 0) || !std::isfinite(x) || x > 1e6)
                axis.fail("values", element + "expected a positive number of US dollars per GPU-hour (e.g. 2.5) up "
                                              "to 1000000");
            break;
        }
        case Target::cluster_file:
        case Target::workload_file:
            if (v.type != Type::string || v.plain.empty())
                axis.fail("values", element + "expected a file path (a string), relative to the sweep file");
            break;
        case Target::file_key: break;
        }
    }
}

} // namespace

SweepSpec load_sweep(const config::ConfigFiles& files, const std::string& path) {
    config::TomlDocument doc(path, files.read(path));
    config::TableReader root = doc.root();
    SweepSpec spec;
    spec.path = path;
    spec.name = root.string_or("name", "");
    auto file_key = [&](std::string_view key) {
        const auto given = root.optional_string(key);
        return given ? files.resolve(path, *given) : std::string();
    };
    spec.cluster = file_key("cluster");
    spec.workload = file_key("workload");
    spec.prices = file_key("prices");
    spec.datacenter = file_key("datacenter");
    spec.combine = root.choice_or("combine", kCombine, Combine::product);

    std::vector<config::TableReader> axes = root.tables("axis");
    if (axes.empty())
        root.fail("axis", "a sweep needs at least one [[axis]] table with `key` and `values` (see sweeps/README.md)");
    for (std::size_t a = 0; a < axes.size(); ++a) {
        config::TableReader& t = axes[a];
        Axis axis;
        axis.key = t.string("key");
        axis.target = target_of(t, axis.key);
        for (const Axis& earlier : spec.axes)
            if (earlier.key == axis.key) t.fail("key", "axis '" + axis.key + "' is given twice");
        if ((axis.target == Target::gpus || axis.target == Target::nodes))
            for (const Axis& earlier : spec.axes)
                if (earlier.target == Target::gpus || earlier.target == Target::nodes)
                    t.fail("key", "give a gpus axis or a nodes axis, not both (as --gpus and --nodes)");
        const std::vector<config::ScalarText> values = t.scalars("values");
        if (values.empty()) t.fail("values", "expected an array of at least one value, e.g. values = [1024, 2048]");
        check_values(t, axis.target, values);
        for (const config::ScalarText& v : values) {
            AxisValue value{v.toml, v.plain, v.where};
            if (axis.target == Target::cluster_file || axis.target == Target::workload_file)
                value.toml = files.resolve(path, v.plain);
            axis.values.push_back(std::move(value));
        }
        if (const auto zip = t.optional_string("zip")) {
            std::optional<std::size_t> with;
            for (std::size_t e = 0; e < spec.axes.size(); ++e)
                if (spec.axes[e].key == *zip) with = e;
            if (!with) t.fail("zip", "expected the key of an earlier axis to move with, found '" + *zip + "'");
            if (spec.combine == Combine::zip)
                t.fail("zip", "combine = \"zip\" already moves every axis together; leave out `zip`");
            const std::size_t want = spec.axes[*with].values.size();
            if (axis.values.size() != want)
                t.fail("values", "a zipped axis needs as many values as '" + *zip + "' (" + std::to_string(want) +
                                     "), found " + std::to_string(axis.values.size()));
            // Zip groups chain to their first axis.
            axis.zip_with = spec.axes[*with].zip_with.value_or(*with);
        }
        if (spec.combine == Combine::zip && !spec.axes.empty() && axis.values.size() != spec.axes.front().values.size())
            t.fail("values", "combine = \"zip\" needs every axis to have as many values as the first ('" +
                                 spec.axes.front().key + "', " + std::to_string(spec.axes.front().values.size()) +
                                 "), found " + std::to_string(axis.values.size()));
        spec.axes.push_back(std::move(axis));
    }
    doc.finish();

    bool cluster_axis = false, workload_axis = false;
    for (const Axis& axis : spec.axes) {
        cluster_axis = cluster_axis || axis.target == Target::cluster_file;
        workload_axis = workload_axis || axis.target == Target::workload_file;
    }
    if (spec.cluster.empty() && !cluster_axis)
        root.fail("cluster",
                  "expected a cluster file (cluster = \"PATH\", relative to the sweep file) or a cluster axis");
    if (spec.workload.empty() && !workload_axis)
        root.fail("workload",
                  "expected a workload file (workload = \"PATH\", relative to the sweep file) or a workload axis");

    // The number of points, refused above kMaxPoints before it is ever enumerated.
    double points = 1;
    for (const Axis& axis : spec.axes)
        if (!axis.zip_with && (spec.combine == Combine::product || &axis == &spec.axes.front()))
            points *= static_cast<double>(axis.values.size());
    if (points > static_cast<double>(kMaxPoints))
        root.fail("axis", "the axes make " + std::to_string(static_cast<long long>(points)) +
                              " points; a sweep takes at most " + std::to_string(kMaxPoints));
    return spec;
}

} // namespace tcsim::sweep
