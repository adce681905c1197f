// Megatron-LM's even pipeline split (see the header for the sources).
#include "workload/even_split.hpp"

namespace tcsim::workload {

namespace {
std::string str(long long v) { return std::to_string(v); }
} // namespace

EvenSplit even_split(int layers, const ParallelSpec& p) {
    EvenSplit out;
    const int pp = p.pp;
    const int v = p.schedule == PipelineSchedule::interleaved_1f1b ? p.virtual_stages : 1;
    if (pp <= 1) {
        out.layers = {layers};
        return out;
    }
    const long long chunks = static_cast<long long>(pp) * v;
    const bool uneven = p.first_stage_layers > 0 || p.last_stage_layers > 0;
    if (uneven) {
        const int f = p.first_stage_layers, l = p.last_stage_layers;
        const int middle_ranks = pp - (f > 0 ? 1 : 0) - (l > 0 ? 1 : 0);
        const long long middle = static_cast<long long>(layers) - f - l;
        if (p.split_embedding_and_loss)
            out.problems.push_back("first_stage_layers / last_stage_layers cannot be combined with "
                                   "split_embedding_and_loss (Megatron-Core refuses the two together)");
        if (f % v != 0)
            out.problems.push_back("first_stage_layers = " + str(f) + " is not a multiple of the " + str(v) +
                                   " virtual stages per rank");
        if (l % v != 0)
            out.problems.push_back("last_stage_layers = " + str(l) + " is not a multiple of the " + str(v) +
                                   " virtual stages per rank");
        if (middle < 0 || (middle > 0) != (middle_ranks > 0)) {
            out.problems.push_back("first_stage_layers = " + str(f) + " and last_stage_layers = " + str(l) + " leave " +
                                   str(middle) + " of the " + str(layers) + " layers for " + str(middle_ranks) +
                                   " middle pipeline ranks; expected some layers for each");
        } else if (middle_ranks > 0 && middle % middle_ranks != 0) {
            out.problems.push_back("the " + str(middle) +
                                   " layers between the first and last stages do not divide "
                                   "evenly over the " +
                                   str(middle_ranks) + " middle pipeline ranks");
        } else if (middle_ranks > 0 && (middle / middle_ranks) % v != 0) {
            out.problems.push_back(str(middle / middle_ranks) +
                                   " layers per middle pipeline rank do not divide over its " + str(v) +
                                   " virtual stages");
        }
        if (!out.problems.empty()) return out;
        const int per_middle = middle_ranks > 0 ? static_cast<int>(middle / middle_ranks) / v : 0;
        for (long long s = 0; s < chunks; ++s) {
            const long long r = s % pp;
            if (r == 0 && f > 0)
                out.layers.push_back(f / v);
            else if (r == pp - 1 && l > 0)
                out.layers.push_back(l / v);
            else
                out.layers.push_back(per_middle);
        }
        return out;
    }
    const int ends = p.split_embedding_and_loss ? 2 : 0;
    const long long units = static_cast<long long>(layers) + ends;
    const std::string what = ends > 0
                                 ? str(layers) + " layers with the embedding and the head (" + str(units) + " units)"
                                 : str(layers) + " layers";
    if (units % pp != 0) {
        out.problems.push_back("the even pipeline split needs the " + what + " to divide by PP " + str(pp) +
                               " (Megatron-LM asserts it); set first_stage_layers / last_stage_layers, or "
                               "pipeline_split = \"balanced\"");
        return out;
    }
    if ((units / pp) % v != 0) {
        out.problems.push_back("the even pipeline split puts " + str(units / pp) +
                               " units on each rank, which do not "
                               "divide over its " +
                               str(v) + " virtual stages");
        return out;
    }
    const auto per_chunk = static_cast<int>(units / chunks);
    out.layers.assign(static_cast<std::size_t>(chunks), per_chunk);
    if (ends > 0) {
        out.layers.front() -= 1; // the embedding is chunk 0's first unit
        out.layers.back() -= 1;  // the output layer and loss the last chunk's last
        if (out.layers.front() < 0 || out.layers.back() < 0) {
            out.problems.push_back("the even pipeline split gives one unit per model chunk, so one chunk would "
                                   "hold both the embedding and the head; expected more " +
                                   what);
            out.layers.clear();
        }
    }
    return out;
}

} // namespace tcsim::workload
