#include "config/load_datacenter.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"

#include <optional>

namespace tcsim::config {
namespace {

/// { value = <number>, source = "..." } with value in [lo, hi].
economics::Cited cited_number(TableReader& parent, std::string_view key, double lo, double hi) {
    TableReader cited = parent.table(key, "an inline table like { value = 0.5, source = \"...\" }");
    economics::Cited c;
    // The range goes to the reader, so that each end of an uncertain value is checked against it
    // and its draws stay within it.
    c.value = cited.number("value", Range{lo, hi});
    c.source = cited.string("source");
    return c;
}

/// { value = "<quantity>", source = "..." }, the value in the quantity's SI unit; with
/// `range`, also optional low and high (low <= value <= high) into *range.
template <class Q>
economics::Cited cited_quantity(TableReader& parent, std::string_view key, std::string_view example,
                                QuantityRange limits, std::optional<run::Range>* range = nullptr) {
    TableReader cited =
        parent.table(key, "an inline table like { value = \"" + std::string(example) + "\", source = \"...\" }");
    economics::Cited c;
    const Q q = cited.quantity<Q>("value", limits);
    c.value = UnitText<Q>::magnitude(q);
    if (range != nullptr) {
        const auto low = cited.optional_quantity<Q>("low", limits);
        const auto high = cited.optional_quantity<Q>("high", limits);
        if (low.has_value() != high.has_value()) cited.fail(low ? "high" : "low", "a range needs both low and high");
        if (low) {
            const double lo = UnitText<Q>::magnitude(*low);
            const double hi = UnitText<Q>::magnitude(*high);
            if (!(lo <= c.value)) cited.fail("low", "low must not exceed value");
            if (!(c.value <= hi)) cited.fail("high", "high must not be below value");
            *range = run::Range{lo, hi};
        }
    }
    c.source = cited.string("source");
    return c;
}

} // namespace

DatacenterSpec load_datacenter(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::datacenter));
    document.accept_uncertain(FileKind::datacenter, files.uncertain());
    TableReader root = document.root();
    DatacenterSpec d;
    TableReader power = root.table("power");
    d.power.gpu_idle_fraction = cited_number(power, "gpu_idle_fraction", 0.0, 1.0);
    d.power.non_gpu_server_fraction = cited_number(power, "non_gpu_server_fraction", 0.0, 10.0);
    d.power.network_watts_per_endpoint =
        cited_quantity<units::Watts>(power, "network_per_endpoint", "60 W", limits::network_power);
    d.power.pue = cited_number(power, "pue", 1.0, 5.0);
    TableReader reliability = root.table("reliability");
    std::optional<run::Range> mtbf_range;
    const economics::Cited mtbf =
        cited_quantity<units::Seconds>(reliability, "mtbf_per_gpu", "50677 h", limits::mtbf, &mtbf_range);
    d.reliability.failures_per_gpu_hour = {3600.0 / mtbf.value, mtbf.source};
    // A longer MTBF is a lower rate: the range's ends swap.
    if (mtbf_range)
        d.reliability.failures_per_gpu_hour_range = run::Range{3600.0 / mtbf_range->high, 3600.0 / mtbf_range->low};
    d.reliability.restart_seconds = cited_quantity<units::Seconds>(reliability, "restart", "10 min", limits::restart,
                                                                   &d.reliability.restart_seconds_range);
    d.reliability.storage_write_bytes_per_second =
        cited_quantity<units::Bandwidth>(reliability, "storage_write_bandwidth", "2 TB/s", limits::storage_bandwidth);
    if (reliability.has("checkpoint_interval"))
        d.reliability.checkpoint_interval_seconds =
            cited_quantity<units::Seconds>(reliability, "checkpoint_interval", "1 h", limits::checkpoint_interval)
                .value;
    document.finish();
    return d;
}

} // namespace tcsim::config
