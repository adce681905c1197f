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
using economics::ClaimScope;

constexpr std::array<Spelling<ClaimScope>, 2> kScopes{{
    {"pretraining", ClaimScope::pretraining},
    {"total", ClaimScope::total},
}};

constexpr std::array<Spelling<ClaimBound>, 3> kBounds{{
    {"about", ClaimBound::about},
    {"at_most", ClaimBound::at_most},
    {"at_least", ClaimBound::at_least},
}};

/// A value of the figure's kind: days from a duration, GPU-hours from a number, dollars.
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
    }
    return 0.0;
}

economics::ClaimedFigure read_figure(TableReader& t) {
    economics::ClaimedFigure f;
    const std::array<std::pair<std::string_view, ClaimedQuantity>, 3> kinds{{
        {"duration", ClaimedQuantity::duration_days},
        {"gpu_hours", ClaimedQuantity::gpu_hours},
        {"cost", ClaimedQuantity::cost_usd},
    }};
    int found = 0;
    for (const auto& [key, quantity] : kinds) {
        if (!t.has(key)) continue;
        if (++found > 1)
            t.fail(key, "a figure states exactly one of duration, gpu_hours and cost; write another [[figure]] for " +
                            std::string(key));
        f.quantity = quantity;
        f.value = read_amount(t, key, quantity, true);
    }
    if (found == 0) {
        // A misspelt figure key ("gpu_hour") is named with a suggestion before the general rule.
        for (const std::string_view other : {"scope", "bound", "unsimulated", "note"}) (void)t.has(other);
        t.finish();
        t.fail("a figure must state one of duration = \"34 day\", gpu_hours = 2.788e6 or cost = \"5.576 MUSD\"");
    }
    f.scope = t.choice_or("scope", kScopes, ClaimScope::total);
    f.bound = t.choice_or("bound", kBounds, ClaimBound::about);
    f.unsimulated = read_amount(t, "unsimulated", f.quantity, false);
    if (f.unsimulated >= f.value) t.fail("unsimulated", "the unsimulated part must be less than the figure itself");
    f.note = t.string_or("note", "");
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
