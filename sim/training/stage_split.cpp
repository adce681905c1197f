// The two pipeline split rules. Balanced is a linear-partition dynamic programme over forward
// FLOPs; even is Megatron-LM's count rule (workload/even_split.hpp), laid out here as layer
// ranges.
#include "training/stage_split.hpp"

#include "training/pipeline_schedule.hpp"
#include "workload/even_split.hpp"
#include "workload/model_math.hpp"
#include "workload/pipeline_layout.hpp"
#include "workload/plan_check.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace tcsim::training {

using workload::layer_forward_flops_per_token;
using workload::ModelSpec;

namespace {

/// Forward FLOPs per token of MTP modules [first, last): each one's layer and projection.
double mtp_forward_flops_per_token(const ModelSpec& model, int seq_len, int first, int last) {
    double total = 0;
    for (int i = first; i < last; ++i)
        total += layer_forward_flops_per_token(model, model.layers + i, seq_len, true).total() +
                 workload::mtp_projection_forward_flops_per_token(model);
    return total;
}

/// Forward FLOPs per token of the tail: the output head once per head (main and MTP) and each
/// MTP module's layer and projection.
double tail_forward_flops_per_token(const ModelSpec& model, int seq_len) {
    return workload::output_head_forward_flops_per_token(model) * (1 + model.mtp_modules) +
           mtp_forward_flops_per_token(model, seq_len, 0, model.mtp_modules);
}

/// The chunks of a custom layout as layer and MTP ranges.
std::vector<StageLayers> layout_stages(const ModelSpec& model, const workload::ParallelSpec& p, int stages) {
    const auto chunks = workload::parse_pipeline_layout(p.pipeline_layout);
    const auto problems = workload::check_pipeline_layout(chunks, model.layers, model.mtp_modules, stages);
    if (!problems.empty()) throw workload::PlanError("pipeline_layout = \"" + p.pipeline_layout + "\"", problems);
    std::vector<StageLayers> out(chunks.size());
    int layer = 0, mtp = 0;
    for (std::size_t s = 0; s < chunks.size(); ++s) {
        out[s].embedding = chunks[s].embedding;
        out[s].first_layer = layer;
        layer += chunks[s].layers;
        out[s].last_layer = layer;
        out[s].first_mtp = mtp;
        mtp += chunks[s].mtp;
        out[s].last_mtp = mtp;
        out[s].head = chunks[s].loss;
    }
    return out;
}

/// The split rules put every MTP module with the head.
std::vector<StageLayers> with_mtp_on_head(std::vector<StageLayers> stages, const ModelSpec& model) {
    for (StageLayers& st : stages)
        if (st.head) st.last_mtp = model.mtp_modules;
    return stages;
}

} // namespace

double stage_forward_flops_per_token(const ModelSpec& model, int seq_len, const StageLayers& stage) {
    double total = 0;
    for (int l = stage.first_layer; l < stage.last_layer; ++l)
        total += layer_forward_flops_per_token(model, l, seq_len, true).total();
    total += mtp_forward_flops_per_token(model, seq_len, stage.first_mtp, stage.last_mtp);
    if (stage.head) total += workload::output_head_forward_flops_per_token(model) * (1 + model.mtp_modules);
    return total;
}

std::vector<StageLayers> balanced_stages(const ModelSpec& model, int seq_len, int stages, bool split_ends) {
    const int layers = model.layers;
    // Items: each layer; the tail (head + MTP) must share the last stage, the embedding the first.
    // With split_ends they are items of their own at either end, so a stage may hold one alone.
    const int items = layers + (split_ends ? 2 : 0);
    if (stages < 1 || stages > items)
        throw std::invalid_argument("cannot split " + std::to_string(layers) + " layers" +
                                    (split_ends ? " with the embedding and the head apart" : "") + " into " +
                                    std::to_string(stages) + " pipeline stages");
    std::vector<double> cost;
    for (int l = 0; l < layers; ++l) cost.push_back(layer_forward_flops_per_token(model, l, seq_len, true).total());
    const double tail = tail_forward_flops_per_token(model, seq_len);
    if (split_ends) {
        // Megatron-LM treats each end as "a standard transformer layer in the context of
        // partition": one average layer each (the tail at least that, MTP modules included).
        const double layer = std::accumulate(cost.begin(), cost.end(), 0.0) / layers;
        cost.insert(cost.begin(), layer);
        cost.push_back(std::max(tail, layer));
    } else {
        cost.back() += tail; // the tail rides with the last layer
    }
    const int n = items;
    std::vector<double> prefix(static_cast<std::size_t>(n) + 1, 0.0);
    for (int i = 0; i < n; ++i)
        prefix[static_cast<std::size_t>(i) + 1] =
            prefix[static_cast<std::size_t>(i)] + cost[static_cast<std::size_t>(i)];
    // best[s][i]: minimal largest stage cost splitting the first i items into s stages.
    const double inf = std::numeric_limits<double>::infinity();
    const auto S = static_cast<std::size_t>(stages);
    const auto N = static_cast<std::size_t>(n);
    std::vector<std::vector<double>> best(S + 1, std::vector<double>(N + 1, inf));
    std::vector<std::vector<std::size_t>> cut(S + 1, std::vector<std::size_t>(N + 1, 0));
    best[0][0] = 0;
    for (std::size_t s = 1; s <= S; ++s)
        for (std::size_t i = s; i <= N; ++i)
            for (std::size_t j = s - 1; j < i; ++j) {
                const double v = std::max(best[s - 1][j], prefix[i] - prefix[j]);
                // Ties go to the later cut (fewer items on later stages), deterministically.
                if (v <= best[s][i]) {
                    best[s][i] = v;
                    cut[s][i] = j;
                }
            }
    // Item range [begin, end) -> layer range: with split_ends item i > 0 is layer i - 1.
    const int shift = split_ends ? 1 : 0;
    const auto layer_at = [&](std::size_t item) { return std::clamp(static_cast<int>(item) - shift, 0, layers); };
    std::vector<StageLayers> out(S);
    std::size_t end = N;
    for (std::size_t s = S; s >= 1; --s) {
        const std::size_t begin = cut[s][end];
        out[s - 1].first_layer = layer_at(begin);
        out[s - 1].last_layer = layer_at(end);
        end = begin;
    }
    out.front().embedding = true;
    out.back().head = true;
    return with_mtp_on_head(std::move(out), model);
}

std::vector<StageLayers> partition_stages(const ModelSpec& model, int seq_len, const workload::ParallelSpec& p) {
    const int stages = model_stages(p.schedule, p.pp, p.virtual_stages);
    if (!p.pipeline_layout.empty()) return layout_stages(model, p, stages);
    if (p.pipeline_split == workload::PipelineSplit::balanced)
        return balanced_stages(model, seq_len, stages, p.split_embedding_and_loss);
    const workload::EvenSplit split = workload::even_split(model.layers, p);
    if (!split.problems.empty()) throw workload::PlanError("pipeline_split = \"even\"", split.problems);
    if (static_cast<int>(split.layers.size()) != stages)
        throw std::logic_error("even split: " + std::to_string(split.layers.size()) + " chunks for " +
                               std::to_string(stages) + " model stages");
    std::vector<StageLayers> out(static_cast<std::size_t>(stages));
    int next = 0;
    for (std::size_t s = 0; s < out.size(); ++s) {
        out[s].first_layer = next;
        next += split.layers[s];
        out[s].last_layer = next;
    }
    if (next != model.layers)
        throw std::logic_error("even split placed " + std::to_string(next) + " of " + std::to_string(model.layers) +
                               " layers");
    out.front().embedding = true;
    out.back().head = true;
    return with_mtp_on_head(std::move(out), model);
}

} // namespace tcsim::training
