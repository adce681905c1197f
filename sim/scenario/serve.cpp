#include "scenario/serve.hpp"

#include "config/load_cluster.hpp"
#include "config/load_prices.hpp"
#include "config/load_workload.hpp"
#include "economics/cost_model.hpp"
#include "scenario/cluster_use.hpp"
#include "scenario/input_error.hpp"
#include "scenario/inputs_at_median.hpp"
#include "serve/serve_error.hpp"

namespace tcsim::scenario {

namespace {

/// The deployment served once, every range at its median unless `files` overrides it.
report::ServeReport serve_once(const config::ConfigFiles& files, const ServeInputs& in) {
    using config::FileKind;
    refuse_unread(files.overrides(),
                  {FileKind::workload, FileKind::cluster, FileKind::gpus, FileKind::efficiency, FileKind::prices},
                  "tcsim serve");
    const workload::Workload w = config::load_workload(files, in.workload);
    const topology::ClusterSpec cluster = config::load_cluster(files, in.cluster);
    report::ServeReport r;
    r.workload = w.name;
    r.model = w.model.name;
    r.cluster = cluster.name;
    r.gpu = cluster.gpu.name;
    r.spec = in.spec;
    r.spec.fp8_gemm_library = w.training.fp8_gemm_library; // the workload's FP8 kernels serve it too
    if (in.price_per_gpu_hour) {
        r.price_per_gpu_hour = *in.price_per_gpu_hour;
        r.price_source = "--price-per-gpu-hour";
    } else {
        const std::string prices_path = in.prices.empty() ? files.resolve(in.cluster, "prices.toml") : in.prices;
        const economics::PriceCatalog catalog = config::load_prices(files, prices_path, cluster.catalog_gpus);
        try {
            const economics::RentalPrice p = economics::price_for(catalog, cluster.gpu.name);
            r.price_per_gpu_hour = p.per_gpu_hour.value();
            r.price_source = prices_path + ": " + p.source;
        } catch (const std::out_of_range& e) {
            throw InputError(prices_path + ": " + e.what() + "; give --price-per-gpu-hour");
        }
    }
    if (in.spec.decode.gpus() > cluster.gpus() || (in.spec.disaggregated && in.spec.prefill.gpus() > cluster.gpus()))
        throw InputError(in.cluster + ": " + std::to_string(cluster.gpus()) +
                         " GPUs, fewer than one serving unit needs (--decode-* / --prefill-* tp x dp x pp)");
    try {
        r.result = serve::simulate_serving(w.model, r.spec, cluster, units::dollars_per_hour(r.price_per_gpu_hour));
    } catch (const serve::ServeError& e) {
        throw InputError(in.workload + " on " + in.cluster + ": tcsim serve: " + e.what());
    }
    r.builtin_inputs = files.builtin_stand_ins();
    return r;
}

/// `v` at `value` (the others at their medians), served; a deployment that end makes impossible
/// is refused naming the input.
serve::ServeResult serve_at(const config::ConfigFiles& files, const ServeInputs& in, const config::UncertainValue& v,
                            double value, const char* end) {
    const std::string text = v.toml_text(value);
    const config::FilesWithOverrides at(
        files, {{v.kind, v.key, text, "uncertain input " + v.name() + " = " + text + " (its " + end + " end)"}});
    try {
        return serve_once(at, in).result;
    } catch (const InputError& e) {
        throw InputError("with the uncertain input " + v.name() + " at its " + end + " end (" + text +
                         "): " + e.what());
    }
}

} // namespace

report::ServeReport serve(const config::ConfigFiles& files, const ServeInputs& in) {
    // Read through a view of its own, so that the ranges met are this deployment's alone.
    const config::FilesWithOverrides own(files, {});
    report::ServeReport r = serve_once(own, in);
    r.inputs_at_median = inputs_at_median(own.uncertain());
    for (const config::UncertainValue& v : own.uncertain().all())
        r.spread.push_back({v.name(), v.toml_text(v.low_end()), v.toml_text(v.high_end()),
                            serve_at(files, in, v, v.low_end(), "low"), serve_at(files, in, v, v.high_end(), "high")});
    return r;
}

} // namespace tcsim::scenario
