#include "config/load_claim.hpp"

#include "config/limits.hpp"
#include "config/load_cluster.hpp"
#include "config/load_workload.hpp"
#include "config/toml_reader.hpp"
#include "workload/plan_check.hpp"

#include <array>
#include <optional>
#include <sstream>

namespace tcsim::config {
namespace {

using economics::ClaimBound;
using economics::ClaimedQuantity;
using economics::Stages;

constexpr std::array<Spelling<Stages>, 8> kScopes{{
    {"pretraining", economics::kPretraining},
    {"context_extension", Stages{false, true, false, false}},
    {"pretraining+context_extension", economics::kPretrainingAndExtension},
    {"sft", Stages{false, false, true, false}},
    {"rl", Stages{false, false, false, true}},
    {"sft+rl", Stages{false, false, true, true}},
    {"pretraining+context_extension+sft", Stages{true, true, true, false}},
    {"all", economics::kAllStages},
}};

constexpr std::array<Spelling<ClaimBound>, 4> kBounds{{
    {"about", ClaimBound::about},
    {"at_most", ClaimBound::at_most},
    {"at_least", ClaimBound::at_least},
    {"between", ClaimBound::between},
}};

/// A value of the figure's kind: days from a duration, GPU-hours from a number, dollars, a GPU
/// count, an MFU fraction.
double read_amount(TableReader& t, std::string_view key, ClaimedQuantity q, bool required) {
    switch (q) {
    case ClaimedQuantity::duration_days: {
        const auto d = t.optional_quantity<units::Seconds>(key, limits::claimed_duration, required);
        return d ? d->count() / 86400.0 : 0.0;
    }
    case ClaimedQuantity::gpu_hours:
        return required ? t.number(key, limits::gpu_hours) : t.optional_number(key, limits::gpu_hours).value_or(0.0);
    case ClaimedQuantity::cost_usd: {
        const auto c = t.optional_quantity<units::Dollars>(key, limits::claimed_cost, required);
        return c ? c->value() : 0.0;
    }
    case ClaimedQuantity::gpu_count:
        return required ? t.integer(key, limits::claim_gpus) : t.optional_integer(key, limits::claim_gpus).value_or(0);
    case ClaimedQuantity::mfu:
        return required ? t.number(key, limits::claimed_mfu)
                        : t.optional_number(key, limits::claimed_mfu).value_or(0.0);
    case ClaimedQuantity::hardware: return 0.0;
    }
    return 0.0;
}

economics::ClaimedFigure read_figure(TableReader& t) {
    economics::ClaimedFigure f;
    const std::array<std::pair<std::string_view, ClaimedQuantity>, 7> kinds{{
        {"duration", ClaimedQuantity::duration_days},
        {"gpu_hours", ClaimedQuantity::gpu_hours},
        {"cost", ClaimedQuantity::cost_usd},
        {"gpu_count", ClaimedQuantity::gpu_count},
        {"mfu", ClaimedQuantity::mfu},
        {"gpu_vendor", ClaimedQuantity::hardware},
        {"gpu_model", ClaimedQuantity::hardware},
    }};
    int found = 0;
    std::string_view found_key;
    for (const auto& [key, quantity] : kinds) {
        if (!t.has(key)) continue;
        // gpu_vendor and gpu_model together are one hardware figure ("NVIDIA H800").
        const bool hardware_pair = quantity == ClaimedQuantity::hardware && found == 1 && found_key == "gpu_vendor";
        if (!hardware_pair && ++found > 1)
            t.fail(key, "a figure states exactly one of duration, gpu_hours, cost, gpu_count, mfu or the hardware "
                        "(gpu_vendor and/or gpu_model); write another [[figure]] for " +
                            std::string(key));
        found_key = key;
        f.quantity = quantity;
        if (quantity == ClaimedQuantity::hardware) {
            if (key == "gpu_vendor") f.vendor = t.string(key);
            if (key == "gpu_model") f.model = t.string(key);
        } else {
            f.value = read_amount(t, key, quantity, true);
        }
    }
    if (found == 0) {
        // A misspelt figure key ("gpu_hour") is named with a suggestion before the general rule.
        for (const std::string_view other : {"scope", "bound", "unsimulated", "note", "covers", "up_to", "without"})
            (void)t.has(other);
        t.finish();
        t.fail("a figure must state one of duration = \"34 day\", gpu_hours = 2.788e6, cost = \"5.576 MUSD\", "
               "gpu_count = 2048, mfu = 0.4, gpu_vendor = \"NVIDIA\" or gpu_model = \"H800\"");
    }
    f.scope = t.choice_or("scope", kScopes, economics::kPretrainingAndExtension);
    f.note = t.string_or("note", "");
    f.covers = t.string_or("covers", "");
    if (f.quantity == ClaimedQuantity::hardware) {
        f.negated = t.boolean_or("without", false);
        return f;
    }
    f.bound = t.choice_or("bound", kBounds, ClaimBound::about);
    if (f.bound == ClaimBound::between) {
        if (!t.has("up_to"))
            t.fail("up_to", "bound = \"between\" needs the range's high end as up_to, of the figure's kind");
        f.value_high = read_amount(t, "up_to", f.quantity, true);
        if (!(f.value_high > f.value)) t.fail("up_to", "expected the range's high end, above the figure's value");
    } else if (t.has("up_to")) {
        t.fail("up_to", "up_to is the high end of bound = \"between\" only");
    }
    f.unsimulated = read_amount(t, "unsimulated", f.quantity, false);
    if (f.unsimulated > 0 && (f.quantity == ClaimedQuantity::gpu_count || f.quantity == ClaimedQuantity::mfu))
        t.fail("unsimulated", "only a duration, GPU-hours or cost has an unsimulated part");
    if (f.unsimulated >= f.value && f.unsimulated > 0)
        t.fail("unsimulated", "the unsimulated part must be less than the figure itself");
    return f;
}

} // namespace

ClaimScenario load_claim(const ConfigFiles& files, const std::string& path, const ResizeToGpus& resize) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::claim));
    TableReader root = document.root();
    ClaimScenario s;
    s.claim.name = root.string("name");
    s.claim.statement = root.string("statement");
    s.claim.source = root.string("source");
    s.workload_path = files.resolve(path, root.string("workload"));
    s.cluster_path = files.resolve(path, root.string("cluster"));
    const std::optional<int> gpus = root.optional_integer("gpus", limits::claim_gpus);
    if (auto price = root.optional_table("price")) {
        economics::RentalPrice p;
        p.per_gpu_hour = price->quantity<units::DollarsPerHour>("per_gpu_hour", limits::rental_price);
        p.date = price->string("date");
        p.source = price->string("source");
        s.claim.price = p;
    }
    // The linked files report their own errors; one that cannot be read at all is named as the
    // claim's key, so that the user sees which line pointed there.
    const auto readable = [&](std::string_view key, const std::string& linked) {
        try {
            (void)files.read(linked);
        } catch (const ConfigError& e) {
            root.fail(key, "expected a readable " + std::string(key) + " file: " + e.what());
        }
    };
    readable("workload", s.workload_path);
    readable("cluster", s.cluster_path);
    s.workload = load_workload(files, s.workload_path);
    s.cluster = load_cluster(files, s.cluster_path);
    if (auto parallel = root.optional_table("parallel"))
        s.workload.parallel = read_parallel(*parallel, &s.workload.parallel);
    for (TableReader& figure : root.tables("figure")) s.claim.figures.push_back(read_figure(figure));
    if (s.claim.figures.empty())
        root.fail("figure", "a claim needs at least one [[figure]] (duration, gpu_hours or cost)");
    document.finish();
    if (gpus) {
        const std::string name = s.cluster.name;
        if (!resize)
            root.fail("gpus", "this reader cannot resize a cluster (load the claim through scenario::load_claim)");
        try {
            resize(s.cluster, s.workload, *gpus);
        } catch (const tcsim::workload::PlanError& e) {
            root.fail("gpus", e.what());
        }
        s.cluster.name = name + " (resized to " + std::to_string(*gpus) + " GPUs)";
    }
    return s;
}

MfuRecords load_mfu_records(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::mfu_records));
    TableReader root = document.root();
    TableReader gpu = root.table("gpu", "a table of records, e.g. [gpu.\"H100-SXM\"]");
    MfuRecords records;
    for (const std::string& name : gpu.keys()) {
        TableReader entry = gpu.table(name);
        economics::MfuRecord r;
        r.mfu = entry.number("mfu", Bound::positive);
        if (r.mfu > 1.0) {
            std::ostringstream found;
            found << r.mfu;
            entry.fail("mfu", "expected a fraction in (0, 1], found " + found.str());
        }
        r.source = entry.string("source");
        records.emplace(name, std::move(r));
    }
    document.finish();
    return records;
}

} // namespace tcsim::config
