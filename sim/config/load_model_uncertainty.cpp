#include "config/load_model_uncertainty.hpp"

#include "config/toml_reader.hpp"
#include "units/number_text.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string_view>

namespace tcsim::config {
namespace {

constexpr std::array<std::string_view, 8> kKinds{"gemm",     "collective", "expert_all_to_all", "dense_step",
                                                 "moe_step", "whole_run",  "post_training",     "serving"};
constexpr Range kRatio{1e-3, 1e3};

} // namespace

economics::ModelUncertainty load_model_uncertainty(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path));
    TableReader root = document.root();
    (void)root.string("source");
    std::set<std::string> seen;
    std::optional<economics::ModelUncertainty> out;
    for (TableReader& kind : root.tables("kind")) {
        const std::string name = kind.string("name");
        if (std::find(kKinds.begin(), kKinds.end(), name) == kKinds.end())
            kind.fail("name", "expected one of gemm, collective, expert_all_to_all, dense_step, moe_step, whole_run, "
                              "post_training, serving, found '" +
                                  name + "'");
        if (!seen.insert(name).second) kind.fail("name", "kind '" + name + "' appears twice");
        const int values = kind.integer("values", IntRange{1, 1000000});
        (void)kind.strings("sets");
        (void)kind.number("mean_abs_error", Range{0.0, 1e3});
        const double p10 = kind.number("ratio_p10", kRatio);
        const double p50 = kind.number("ratio_p50", kRatio);
        const double p90 = kind.number("ratio_p90", kRatio);
        const double lowest = kind.number("ratio_min", kRatio);
        const double highest = kind.number("ratio_max", kRatio);
        if (!(lowest <= p10 && p10 <= p50 && p50 <= p90 && p90 <= highest))
            kind.fail("ratio_p50", "expected ratio_min <= ratio_p10 <= ratio_p50 <= ratio_p90 <= ratio_max");
        if (name == "whole_run") {
            economics::ModelUncertainty u;
            u.low = std::min(1.0, p10);
            u.high = std::max(1.0, p90);
            u.worst_low = std::min(u.low, lowest);
            u.basis = "published / tcsim between " + units::printf_number("%.2f", p10) + " (p10) and " +
                      units::printf_number("%.2f", p90) + " (p90) over " + std::to_string(values) +
                      " predicted whole-run figures in calibrations/, " + path;
            out = u;
        }
    }
    if (!out) root.fail("kind", "expected a [[kind]] table with name = \"whole_run\" (the verdicts judge whole runs)");
    document.finish();
    return *out;
}

} // namespace tcsim::config
