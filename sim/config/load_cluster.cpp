// The catalog and efficiency files are loaded through their own loaders; only "cannot open"
// failures (which have no position of their own) are re-reported at the referring key, so the
// user sees which line named the missing file.
#include "config/load_cluster.hpp"

#include "config/limits.hpp"
#include "config/load_efficiency.hpp"
#include "config/load_gpu_catalog.hpp"
#include "config/spelling.hpp"
#include "config/toml_reader.hpp"
#include "hardware/nvswitch.hpp"

#include <algorithm>
#include <array>
#include <sstream>

namespace tcsim::config {
namespace {

constexpr std::array<Spelling<topology::FabricKind>, 3> kFabricKinds{{
    {"fat_tree", topology::FabricKind::fat_tree},
    {"rail_optimized", topology::FabricKind::rail_optimized},
    {"multi_plane", topology::FabricKind::multi_plane},
}};

constexpr std::array<Spelling<topology::ScaleUpKind>, 3> kScaleUpKinds{{
    {"switch", topology::ScaleUpKind::switched},
    {"full_mesh", topology::ScaleUpKind::full_mesh},
    {"torus", topology::ScaleUpKind::torus},
}};

/// The TPU generations Cloud TPU offers twisted slices of (docs.cloud.google.com/tpu/docs/v4:
/// "Twisted tori topologies", 4x4x8_twisted; /tpu/docs/v5p: the "Supports twisted tori" column);
/// v5e, v6e and v7 pages offer none.
bool twistable_generation(const std::string& gpu) { return gpu == "TPU-v4" || gpu == "TPU-v5p"; }

/// `[scale_up]`: kind = "switch" (default, also when the table is absent), "full_mesh" or
/// "torus" with `torus = "XxYxZ"` (Google's own spelling of a slice's topology, e.g. "4x4x4";
/// 2 or 3 extents multiplying to gpus_per_node) and optionally `twisted = true` (scale_up.hpp).
topology::ScaleUpSpec read_scale_up(TableReader& table, int gpus_per_node, const std::string& gpu) {
    topology::ScaleUpSpec s;
    s.kind = table.choice_or("kind", kScaleUpKinds, topology::ScaleUpKind::switched);
    if (s.kind != topology::ScaleUpKind::torus) {
        if (table.has("twisted"))
            table.fail("twisted", "twisted applies only to kind = \"torus\"; found kind = \"" +
                                      std::string(topology::to_string(s.kind)) + "\"");
        if (table.has("torus"))
            table.fail("torus", "torus applies only to kind = \"torus\"; found kind = \"" +
                                    std::string(topology::to_string(s.kind)) + "\"");
        return s;
    }
    const std::string text = table.string("torus");
    const std::string expected = "expected 2 or 3 extents of at least 1 joined by 'x' whose product is "
                                 "gpus_per_node (" +
                                 std::to_string(gpus_per_node) + "), e.g. \"4x4x4\"; found \"" + text + "\"";
    long long product = 1;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t x = std::min(text.find('x', at), text.size());
        const std::string part = text.substr(at, x - at);
        if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
            table.fail("torus", expected);
        const int extent = std::stoi(part);
        if (extent < 1) table.fail("torus", expected);
        s.torus.push_back(extent);
        product *= extent;
        at = x + 1;
    }
    if (s.torus.size() < 2 || s.torus.size() > 3 || product != gpus_per_node) table.fail("torus", expected);
    s.twisted = table.optional_boolean("twisted").value_or(false);
    if (s.twisted) {
        if (const std::string why = topology::twist_refusal(s.torus); !why.empty()) table.fail("twisted", why);
        if (!twistable_generation(gpu))
            table.fail("twisted", "a twisted torus is an option of TPU v4 and v5p slices (Cloud TPU docs); " + gpu +
                                      " slices are not offered twisted");
    }
    return s;
}

/// `[scale_up] job_gpus`: the job uses that many accelerators of each switched domain (Slurm
/// block scheduling's `--segment`, scale_up.hpp), and the NICs that serve them: the cluster the
/// models see has job_gpus GPUs per node, the domain's own size kept in scale_up.domain_gpus.
void use_part_of_domain(TableReader& table, topology::ClusterSpec& c) {
    const auto job = table.optional_integer("job_gpus", limits::gpus_per_node);
    if (!job) return;
    const std::string domain = std::to_string(c.gpus_per_node);
    if (c.scale_up.kind != topology::ScaleUpKind::switched)
        table.fail("job_gpus", "job_gpus applies only to kind = \"switch\" (a switched domain such as NVL72, where "
                               "an idle GPU carries no one's traffic); a " +
                                   std::string(topology::to_string(c.scale_up.kind)) +
                                   " domain needs all its accelerators (each one's links are sized for all of them): "
                                   "describe the smaller domain with gpus_per_node instead");
    if (*job > c.gpus_per_node)
        table.fail("job_gpus", "expected at most the domain's gpus_per_node (" + domain + ") accelerators, found " +
                                   std::to_string(*job));
    if (*job == c.gpus_per_node) return;
    const long long nic_slots = static_cast<long long>(c.nics_per_node) * *job;
    if (nic_slots % c.gpus_per_node != 0)
        table.fail("job_gpus", "the job's " + std::to_string(*job) + " of " + domain + " GPUs must have a whole " +
                                   "number of the domain's " + std::to_string(c.nics_per_node) +
                                   " NICs (nics_per_node x job_gpus / gpus_per_node), found " +
                                   std::to_string(nic_slots) + " / " + domain);
    c.scale_up.domain_gpus = c.gpus_per_node;
    c.nics_per_node = static_cast<int>(nic_slots / c.gpus_per_node);
    c.gpus_per_node = *job;
    c.name += " (" + std::to_string(*job) + " of " + domain + " GPUs per scale-up domain used: scale_up.job_gpus)";
}

/// Runs `load(target)`; a failure to open `target` itself is reported at `key` of `table`.
template <class Load>
auto load_referenced(TableReader& table, std::string_view key, const std::string& target, Load load) {
    try {
        return load(target);
    } catch (const ConfigError& e) {
        if (e.file() == target && e.line() == 0) table.fail(key, "cannot load \"" + target + "\": " + e.problem());
        throw;
    }
}

topology::FabricSpec read_fabric(TableReader& fabric, int nics_per_node) {
    topology::FabricSpec f;
    f.kind = fabric.choice("kind", kFabricKinds);
    f.tiers = fabric.integer("tiers", limits::tiers);
    f.switch_radix = fabric.integer("switch_radix", limits::switch_radix);
    if (f.switch_radix < 2) fabric.fail("switch_radix", "expected at least 2 ports per switch, found 1");
    f.oversubscription = fabric.number_or("oversubscription", 1.0, limits::oversubscription);
    if (f.oversubscription < 1.0) {
        std::ostringstream found;
        found << f.oversubscription;
        fabric.fail("oversubscription",
                    "expected a downlink:uplink ratio of at least 1 (1 = non-blocking), found " + found.str());
    }
    if (f.kind == topology::FabricKind::multi_plane) {
        f.planes = fabric.integer("planes", limits::planes);
        if (f.planes < 2) fabric.fail("planes", "expected at least 2 planes for a multi_plane fabric, found 1");
        if (nics_per_node % f.planes != 0)
            fabric.fail("planes", "each NIC belongs to one plane, so planes must divide nics_per_node (" +
                                      std::to_string(nics_per_node) + "), found " + std::to_string(f.planes));
    } else {
        const int planes = fabric.integer_or("planes", 1, limits::planes);
        if (planes != 1)
            fabric.fail("planes", "planes applies only to kind = \"multi_plane\"; found " + std::to_string(planes) +
                                      " for kind = \"" + std::string(topology::to_string(f.kind)) + "\"");
    }
    f.latency = fabric.quantity<units::Seconds>("latency", limits::latency);
    const std::string routing = fabric.string_or("routing", "adaptive");
    if (routing != "adaptive" && routing != "ecmp")
        fabric.fail("routing",
                    "expected \"adaptive\" (flows spread over equal-cost paths) or \"ecmp\" (one hashed path "
                    "per source and destination), found \"" +
                        routing + "\"");
    f.adaptive_routing = routing == "adaptive";
    return f;
}

} // namespace

topology::ClusterSpec load_cluster(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::cluster));
    document.accept_uncertain(FileKind::cluster, files.uncertain());
    TableReader root = document.root();
    // A workload file passed for a cluster: say so instead of listing what a cluster lacks.
    if (!root.has("gpu") && root.has("model"))
        root.fail("gpu", "required key is missing: this is a workload file (it has [model]); a cluster file names "
                         "a gpu, its nodes and a fabric (see topologies/)");
    topology::ClusterSpec c;
    c.name = root.string("name");
    c.source = root.string("source");

    const std::string catalog_path = files.resolve(path, root.string("catalog"));
    const hardware::GpuCatalog catalog = load_referenced(
        root, "catalog", catalog_path, [&](const std::string& p) { return load_gpu_catalog(files, p); });
    const std::string gpu = root.string("gpu");
    if (!catalog.contains(gpu)) {
        std::string problem = "unknown GPU \"" + gpu + "\"";
        if (const auto near = closest_spelling(gpu, catalog.names())) problem += " (did you mean \"" + *near + "\"?)";
        problem += "; " + catalog_path + " has: " + catalog.names_joined();
        root.fail("gpu", problem);
    }
    c.catalog_gpus = catalog.names();
    c.gpu = catalog.find(gpu);

    const std::string efficiency_path = files.resolve(path, root.string("efficiency"));
    c.efficiency = load_referenced(root, "efficiency", efficiency_path,
                                   [&](const std::string& p) { return load_efficiency(files, p); });
    // NVLS runs exactly where the switch can reduce; the efficiency file must agree with the GPU.
    // A GPU swapped by an override usually needs its own generation's file: say how to give it.
    std::string swapped;
    for (const auto& o : files.overrides().of(FileKind::cluster))
        if (o.key == "gpu")
            swapped =
                " (the GPU comes from " + o.origin +
                ": name its generation's efficiency file too, e.g. --set cluster.efficiency=efficiency/ampere.toml)";
    if (hardware::supports_nvls(c.gpu) && !c.efficiency.links.nvls)
        root.fail("efficiency", efficiency_path + " has no [links.nvls], but " + c.gpu.name +
                                    "'s NVSwitch reduces in the switch (NVLink SHARP): NVLS all-reduce needs its "
                                    "calibration there" +
                                    swapped);
    if (!hardware::supports_nvls(c.gpu) && c.efficiency.links.nvls)
        root.fail("efficiency",
                  efficiency_path + " has [links.nvls], but " + c.gpu.name +
                      (c.gpu.vendor == "NVIDIA"
                           ? "'s NVSwitch does no in-switch reduction (NVLS needs NVSwitch gen3 or later)"
                           : " (" + c.gpu.vendor + ") has no NVSwitch: its scale-up (" + c.gpu.scale_up_link +
                                 ") does no in-switch reduction; [links.nvls] is NVIDIA's NVLink SHARP") +
                      swapped);

    c.nodes = root.integer("nodes", limits::nodes);
    c.gpus_per_node = root.integer("gpus_per_node", limits::gpus_per_node);
    // An override keeps the catalog's convention (both directions summed) and replaces the GPU
    // spec's figure too, so that no model can see two different NVLink speeds.
    if (const auto nvlink = root.optional_quantity<units::Bandwidth>("nvlink", limits::link_bandwidth))
        c.gpu.nvlink_bidirectional = *nvlink;
    c.nvlink_per_direction = c.gpu.nvlink_per_direction();
    c.nvlink_latency = root.quantity<units::Seconds>("nvlink_latency", limits::latency);
    if (auto scale_up = root.optional_table("scale_up"))
        c.scale_up = read_scale_up(*scale_up, c.gpus_per_node, c.gpu.name);
    c.nics_per_node = root.integer("nics_per_node", limits::nics_per_node);
    c.nic_bandwidth = root.quantity<units::Bandwidth>("nic_bandwidth", limits::link_bandwidth);
    if (auto scale_up = root.optional_table("scale_up")) use_part_of_domain(*scale_up, c);
    TableReader fabric = root.table("fabric");
    c.fabric = read_fabric(fabric, c.nics_per_node);

    document.finish();
    return c;
}

} // namespace tcsim::config
