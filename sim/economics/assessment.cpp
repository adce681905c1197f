#include "economics/assessment.hpp"

#include "run/checkpoint.hpp"

#include <vector>

namespace tcsim::economics {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kJoulesPerMwh = 3.6e9;

/// The percentiles of `f` applied to each stage's p5/p50/p95/mean (f is monotone).
template <class F>
run::Percentiles mapped(const run::Percentiles& p, F f) {
    return {f(p.p5), f(p.p50), f(p.p95), f(p.mean)};
}

template <class F>
StageFigures stage_figures(const run::RunDistribution& d, F pretraining, F extension, F total) {
    return {mapped(d.pretrain_s, pretraining), mapped(d.extension_s, extension), mapped(d.total_s, total)};
}

} // namespace

Assessment assess(const run::RunResult& run, const topology::ClusterSpec& cluster, const workload::Workload& workload,
                  const AssessmentInputs& inputs) {
    Assessment a;
    a.gpus = run.gpus;
    a.network_endpoints = cluster.nodes * cluster.nics_per_node;
    a.rental = inputs.rental;
    a.ownership_prices = inputs.ownership;
    a.reliability = inputs.reliability;
    a.power = inputs.power;
    a.checkpoint_bytes = run::checkpoint_bytes(workload.model).value();

    run::ReliabilityParameters reliability;
    reliability.failures_per_gpu_hour = inputs.reliability.failures_per_gpu_hour.value;
    reliability.failures_per_gpu_hour_range = inputs.reliability.failures_per_gpu_hour_range;
    reliability.restart = units::Seconds(inputs.reliability.restart_seconds.value);
    reliability.restart_seconds_range = inputs.reliability.restart_seconds_range;
    reliability.checkpoint_write = run::checkpoint_write_time(
        units::Bytes(a.checkpoint_bytes), units::Bandwidth(inputs.reliability.storage_write_bytes_per_second.value));
    if (inputs.reliability.checkpoint_interval_seconds)
        reliability.checkpoint_interval = units::Seconds(*inputs.reliability.checkpoint_interval_seconds);
    a.failures = run::simulate_failures(run, reliability, inputs.monte_carlo);

    const double gpus = run.gpus;
    auto days = [](double s) { return s / kSecondsPerDay; };
    auto gpu_hours = [gpus](double s) { return s / 3600.0 * gpus; };
    auto rental = [&](double s) { return (inputs.rental.per_gpu_hour * units::Seconds(s * gpus)).value(); };
    a.days = stage_figures(a.failures, days, days, days);
    a.gpu_hours = stage_figures(a.failures, gpu_hours, gpu_hours, gpu_hours);
    a.rental_usd = stage_figures(a.failures, rental, rental, rental);

    a.energy = estimate_energy(run, cluster.gpu, a.network_endpoints, inputs.power);
    const double ff_pre = run.pretrain_seconds;
    const double ff_ext = run.extension_seconds;
    auto mwh_pre = [&](double s) {
        return energy_over(a.energy, a.energy.pretrain_energy, ff_pre, s).value() / kJoulesPerMwh;
    };
    auto mwh_ext = [&](double s) {
        return energy_over(a.energy, a.energy.extension_energy, ff_ext, s).value() / kJoulesPerMwh;
    };
    auto mwh_all = [&](double s) {
        return energy_over(a.energy, a.energy.pretrain_energy + a.energy.extension_energy, ff_pre + ff_ext, s).value() /
               kJoulesPerMwh;
    };
    a.energy_mwh = {mapped(a.failures.pretrain_s, mwh_pre), mapped(a.failures.extension_s, mwh_ext),
                    mapped(a.failures.total_s, mwh_all)};

    if (inputs.ownership) {
        const OwnershipPrices& prices = *inputs.ownership;
        auto tco = [&](double s, double mwh) {
            return ownership_cost(run.gpus, a.network_endpoints, s, units::Joules(mwh * kJoulesPerMwh), prices)
                .total()
                .value();
        };
        auto tco_pre = [&](double s) { return tco(s, mwh_pre(s)); };
        auto tco_ext = [&](double s) { return tco(s, mwh_ext(s)); };
        auto tco_all = [&](double s) { return tco(s, mwh_all(s)); };
        a.ownership_usd = StageFigures{mapped(a.failures.pretrain_s, tco_pre), mapped(a.failures.extension_s, tco_ext),
                                       mapped(a.failures.total_s, tco_all)};
        const double p50 = a.failures.total_s.p50;
        a.ownership_p50 =
            ownership_cost(run.gpus, a.network_endpoints, p50, units::Joules(mwh_all(p50) * kJoulesPerMwh), prices);
        a.cluster_purchase = cluster_purchase_price(run.gpus, a.network_endpoints, prices);
    }

    a.model_flops_pretraining = run.pretrain_model_flops;
    a.model_flops_total = run.pretrain_model_flops + run.extension_model_flops;
    a.peak_flops_per_gpu = cluster.gpu.peak(hardware::Dtype::bf16).value();
    auto mfu = [&](double flops, double seconds) {
        return seconds > 0 && a.peak_flops_per_gpu > 0 ? flops / (seconds * gpus * a.peak_flops_per_gpu) : 0.0;
    };
    a.run_mfu_pretraining = mfu(a.model_flops_pretraining, a.failures.pretrain_s.p50);
    a.run_mfu_total = mfu(a.model_flops_total, a.failures.total_s.p50);
    return a;
}

namespace {

run::Percentiles plus(const run::Percentiles& a, const run::Percentiles& b) {
    return {a.p5 + b.p5, a.p50 + b.p50, a.p95 + b.p95, a.mean + b.mean};
}

} // namespace

PostTrainingFigures sum_post_training(const std::vector<Assessment>& stages, const std::vector<bool>& rl,
                                      const std::vector<std::string>& names) {
    PostTrainingFigures out;
    for (std::size_t i = 0; i < stages.size() && i < rl.size() && i < names.size(); ++i) {
        const Assessment& a = stages[i];
        out.stages.push_back({names[i], rl[i], a.gpu_hours.pretraining.p50, a.rental_usd.pretraining.p50});
        std::optional<PostTrainingSum>& sum = rl[i] ? out.rl : out.sft;
        if (!sum) sum = PostTrainingSum{};
        sum->days = plus(sum->days, a.days.pretraining);
        sum->gpu_hours = plus(sum->gpu_hours, a.gpu_hours.pretraining);
        sum->rental_usd = plus(sum->rental_usd, a.rental_usd.pretraining);
        sum->energy_mwh = plus(sum->energy_mwh, a.energy_mwh.pretraining);
        sum->model_flops += a.model_flops_pretraining;
        sum->gpu_seconds_p50 += a.failures.pretrain_s.p50 * a.gpus;
    }
    return out;
}

} // namespace tcsim::economics
