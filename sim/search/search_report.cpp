#include "search/search_report.hpp"

#include "report/csv_text.hpp"
#include "report/json_number.hpp"

#include "units/number_text.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace tcsim::search {
namespace {

using Json = nlohmann::ordered_json;
using units::printf_number;
using units::with_thousands;

Json number(double value) { return report::json_number(value); }

std::string recompute_text(workload::Recompute r) {
    return r == workload::Recompute::none ? "none" : r == workload::Recompute::selective ? "selective" : "full";
}

Json layout_json(const LayoutCandidate& c) {
    const auto& p = c.parallel;
    return Json{{"text", describe(c)},
                {"tp", p.tp},
                {"pp", p.pp},
                {"vpp", p.virtual_stages},
                {"dp", p.dp},
                {"cp", p.cp},
                {"ep", p.ep},
                {"etp", p.etp},
                {"micro_batch_sequences", p.micro_batch_sequences},
                {"zero_stage", p.zero_stage},
                {"recompute", recompute_text(c.recompute)},
                {"schedule", std::string(workload::to_string(p.schedule))}};
}

Json ranked_json(const RankedLayout& r) {
    return Json{{"layout", layout_json(r.layout)},
                {"step_time_s", number(r.step.step_seconds)},
                {"screen_step_time_s", number(r.screen_seconds)},
                {"mfu", number(r.step.mfu)},
                {"tokens_per_s_per_gpu", number(r.step.tokens_per_s_per_gpu)},
                {"duration_days", number(r.days)},
                {"gpu_hours", number(r.gpu_hours)},
                {"cost_usd", number(r.dollars)},
                {"memory_gb", number(r.memory_bytes / 1e9)},
                {"memory_headroom_gb", number((r.capacity_bytes - r.memory_bytes) / 1e9)}};
}

Json refusal_json(const Refusal& r) {
    Json j{{"layout", layout_json(r.layout)}, {"reason", r.reason}};
    if (r.capacity_bytes > 0) {
        j["memory_gb"] = number(r.memory_bytes / 1e9);
        j["capacity_gb"] = number(r.capacity_bytes / 1e9);
    }
    return j;
}

std::string pad(const std::string& text, std::size_t width, bool right = false) {
    if (text.size() >= width) return text;
    const std::string fill(width - text.size(), ' ');
    return right ? fill + text : text + fill;
}

std::string row(const std::string& rank, const RankedLayout& r, std::size_t layout_width) {
    return pad(rank, 4) + "  " + pad(describe(r.layout), layout_width) + "  " +
           pad(printf_number("%.3f s", r.step.step_seconds), 11, true) + "  " +
           pad(printf_number("%.1f %%", 100.0 * r.step.mfu), 6, true) + "  " +
           pad(printf_number("%.1f", r.days), 8, true) + "  " + pad(with_thousands(r.gpu_hours), 11, true) + "  " +
           pad("$" + with_thousands(r.dollars), 12, true) + "  " +
           pad(printf_number("%.1f GB", (r.capacity_bytes - r.memory_bytes) / 1e9), 9, true) + "\n";
}

} // namespace

std::string render_search_table(const SearchResult& s) {
    std::ostringstream out;
    out << "tcsim search\n";
    out << "  workload: " << s.workload << "\n";
    out << "  cluster:  " << s.cluster << ", " << s.gpus << " x " << s.gpu << "\n";
    out << "  batch:    " << with_thousands(s.global_batch_sequences) << " sequences of " << s.seq_len << " tokens; "
        << printf_number("%.4g", s.tokens) << " tokens\n";
    out << "  layouts:  " << with_thousands(static_cast<double>(s.candidates)) << " enumerated, "
        << with_thousands(static_cast<double>(s.feasible)) << " fit (plan check, batch, memory), "
        << with_thousands(static_cast<double>(s.screened)) << " screened, " << s.ranked.size()
        << " simulated in full\n";
    out << report::inputs_at_median_note(s.inputs_at_median, "tcsim search") << "\n";
    std::size_t width = 6;
    for (const auto& r : s.ranked) width = std::max(width, describe(r.layout).size());
    if (s.own) width = std::max(width, describe(s.own->layout).size());
    out << "Fastest layouts (step simulated in full; days, GPU-hours and dollars at the steady step, failure-free)\n";
    out << pad("rank", 4) << "  " << pad("layout", width) << "  " << pad("step time", 11, true) << "  "
        << pad("MFU", 6, true) << "  " << pad("days", 8, true) << "  " << pad("GPU-hours", 11, true) << "  "
        << pad("dollars", 12, true) << "  " << pad("headroom", 9, true) << "\n";
    for (std::size_t i = 0; i < s.ranked.size(); ++i) out << row(std::to_string(i + 1), s.ranked[i], width);
    if (s.ranked.empty()) out << "  (no layout fits)\n";
    if (s.own) {
        out << row("own", *s.own, width);
        if (!s.ranked.empty()) {
            const double best = s.ranked.front().step.step_seconds;
            out << "  own = the workload file's layout: "
                << printf_number("%.1f %%", 100.0 * (s.own->step.step_seconds / best - 1.0))
                << " slower than the fastest found\n";
        }
    } else if (s.own_refused) {
        out << "  the workload file's layout is refused here: " << s.own_refused->reason << "\n";
    }
    out << "  price: $" << printf_number("%.2f", s.price.per_gpu_hour.value()) << "/GPU-hour"
        << (s.price.source.empty() ? std::string() : " (" + s.price.source + ")") << "\n";
    out << "\nRefused layouts\n";
    for (const auto& c : s.refusals)
        out << "  " << pad(c.rule, 12) << pad(with_thousands(static_cast<double>(c.count)), 10, true) << "  e.g. "
            << describe(c.example.layout) << ": " << c.example.reason << "\n";
    if (s.refusals.empty()) out << "  none\n";
    out << "\nNear misses (refused for memory, closest to fitting first)\n";
    for (const auto& r : s.near_misses) out << "  " << describe(r.layout) << ": " << r.reason << "\n";
    if (s.near_misses.empty()) out << "  none\n";
    return out.str();
}

std::string render_search_json(const SearchResult& s) {
    Json j;
    j["schema"] = kSearchSchema;
    j["workload"] = s.workload;
    j["cluster"] = s.cluster;
    j["gpu"] = s.gpu;
    j["gpus"] = s.gpus;
    j["seq_len"] = s.seq_len;
    j["global_batch_sequences"] = s.global_batch_sequences;
    j["tokens"] = number(s.tokens);
    j["price"] = Json{{"usd_per_gpu_hour", number(s.price.per_gpu_hour.value())}, {"source", s.price.source}};
    j["covers"] =
        "the workload's tokens at each layout's steady step, failure-free; no batch ramp or context extension";
    j["candidates"] = s.candidates;
    j["feasible"] = s.feasible;
    j["screened"] = s.screened;
    Json ranked = Json::array();
    for (const auto& r : s.ranked) ranked.push_back(ranked_json(r));
    j["ranked"] = ranked;
    j["own_layout"] = s.own ? ranked_json(*s.own) : (s.own_refused ? refusal_json(*s.own_refused) : Json(nullptr));
    Json refusals = Json::array();
    for (const auto& c : s.refusals)
        refusals.push_back(Json{{"rule", c.rule}, {"count", c.count}, {"example", refusal_json(c.example)}});
    j["refused"] = refusals;
    Json near = Json::array();
    for (const auto& r : s.near_misses) near.push_back(refusal_json(r));
    j["near_misses"] = near;
    j["inputs_at_median"] = report::inputs_at_median_json(s.inputs_at_median);
    return j.dump(2) + "\n";
}

std::string render_search_csv(const SearchResult& s) {
    std::string out = report::csv_record({"rank", "tp", "pp", "vpp", "dp", "cp", "ep", "etp", "micro_batch_sequences",
                                          "zero_stage", "recompute", "schedule", "step_time_s", "screen_step_time_s",
                                          "mfu", "duration_days", "gpu_hours", "cost_usd", "memory_headroom_gb"});
    for (std::size_t i = 0; i < s.ranked.size(); ++i) {
        const RankedLayout& r = s.ranked[i];
        const auto& p = r.layout.parallel;
        out += report::csv_record(
            {std::to_string(i + 1), std::to_string(p.tp), std::to_string(p.pp), std::to_string(p.virtual_stages),
             std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep), std::to_string(p.etp),
             std::to_string(p.micro_batch_sequences), std::to_string(p.zero_stage), recompute_text(r.layout.recompute),
             std::string(workload::to_string(p.schedule)), report::csv_number(r.step.step_seconds),
             report::csv_number(r.screen_seconds), report::csv_number(r.step.mfu), report::csv_number(r.days),
             report::csv_number(r.gpu_hours), report::csv_number(r.dollars),
             report::csv_number((r.capacity_bytes - r.memory_bytes) / 1e9)});
    }
    return out;
}

} // namespace tcsim::search
