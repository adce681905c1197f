// Schedules as op orders. Each function writes what one rank issues, in the order the
// framework issues it; nothing here knows how long anything takes.
#include "training/pipeline_schedule.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>

namespace tcsim::training {

using workload::PipelineSchedule;
namespace {

using Orders = std::vector<std::vector<Action>>;

Action fwd(int mb, int chunk = 0) { return Action{ActionKind::forward, mb, chunk, -1, -1}; }
Action bwd(int mb, int chunk = 0) { return Action{ActionKind::backward, mb, chunk, -1, -1}; }
Action bwd_input(int mb, int chunk = 0) { return Action{ActionKind::backward_input, mb, chunk, -1, -1}; }
Action weight(int mb, int chunk = 0) { return Action{ActionKind::weight, mb, chunk, -1, -1}; }

/// GPipe (Huang et al., 2019): every forward, then every backward.
Orders gpipe(int ranks, int m) {
    Orders out(static_cast<std::size_t>(ranks));
    for (auto& order : out) {
        for (int i = 0; i < m; ++i) order.push_back(fwd(i));
        for (int i = 0; i < m; ++i) order.push_back(bwd(i));
    }
    return out;
}

/// 1F1B (PipeDream-Flush, Narayanan et al., SC'21 Sec 2.2): P-r-1 warm-up forwards, then one
/// forward and one backward alternately, then the remaining backwards.
Orders one_f_one_b(int ranks, int m, bool split_weight) {
    Orders out(static_cast<std::size_t>(ranks));
    for (int r = 0; r < ranks; ++r) {
        auto& order = out[static_cast<std::size_t>(r)];
        const int warmup = std::min(ranks - r - 1, m);
        // Zero-bubble H1 (Qi et al., ICLR'24): the input gradient goes first; the weight
        // gradients of the last `warmup` backwards wait and fill the cool-down bubbles.
        std::deque<int> deferred;
        auto backward = [&](int mb) {
            if (!split_weight) {
                order.push_back(bwd(mb));
                return;
            }
            order.push_back(bwd_input(mb));
            deferred.push_back(mb);
            if (static_cast<int>(deferred.size()) > warmup) {
                order.push_back(weight(deferred.front()));
                deferred.pop_front();
            }
        };
        for (int i = 0; i < warmup; ++i) order.push_back(fwd(i));
        int next_b = 0;
        for (int i = warmup; i < m; ++i) {
            order.push_back(fwd(i));
            backward(next_b++);
        }
        while (next_b < m) {
            backward(next_b++);
            if (split_weight && !deferred.empty() && next_b > m - warmup) {
                order.push_back(weight(deferred.front()));
                deferred.pop_front();
            }
        }
        for (int mb : deferred) order.push_back(weight(mb));
    }
    return out;
}

/// Interleaved 1F1B (Narayanan et al., SC'21 Sec 2.2; Megatron-LM
/// forward_backward_pipelining_with_interleaving): micro-batches go through the v chunks in
/// groups of P; warm-up of (P-r-1)*2 + (v-1)*P chunk-forwards.
Orders interleaved(int ranks, int m, int v, int extra_warmup = 0) {
    if (v < 1) throw std::invalid_argument("interleaved 1F1B needs virtual_stages >= 1");
    if (m % ranks != 0)
        throw std::invalid_argument("interleaved 1F1B needs the micro-batch count (" + std::to_string(m) +
                                    ") to be a multiple of the pipeline stages (" + std::to_string(ranks) + ")");
    const int total = m * v;
    auto chunk_of = [&](int k, bool forward) {
        const int c = (k / ranks) % v;
        return forward ? c : v - 1 - c;
    };
    auto mb_of = [&](int k) { return (k / (ranks * v)) * ranks + k % ranks; };
    Orders out(static_cast<std::size_t>(ranks));
    for (int r = 0; r < ranks; ++r) {
        auto& order = out[static_cast<std::size_t>(r)];
        const int warmup =
            m == ranks ? total : std::min(total, (ranks - r - 1) * 2 + (v - 1) * ranks + extra_warmup);
        int f = 0, b = 0;
        for (; f < warmup; ++f) order.push_back(fwd(mb_of(f), chunk_of(f, true)));
        while (f < total) {
            order.push_back(fwd(mb_of(f), chunk_of(f, true)));
            ++f;
            order.push_back(bwd(mb_of(b), chunk_of(b, false)));
            ++b;
        }
        for (; b < total; ++b) order.push_back(bwd(mb_of(b), chunk_of(b, false)));
    }
    return out;
}

/// Megatron-Core's combined 1F1B (--overlap-moe-expert-parallel-comm, "EP A2A overlap";
/// megatron/core/pipeline_parallel/combined_1f1b.py): the steady state's forward of one
/// micro-batch and backward of another become one forward_backward action, whose layers
/// interleave so that each one's expert dispatch and combine overlap the other's compute. With
/// interleaving the steady loop's (forward, backward) pairs merge; without a pipeline (PP1) the
/// backward of micro-batch k-1 merges with the forward of k, the first forward and the last
/// backward running alone. Warm-up holds one forward more with interleaving (make_schedule).
Orders combined_1f1b(Orders orders, bool backward_first) {
    for (auto& order : orders) {
        std::vector<Action> merged;
        merged.reserve(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            const bool pair = i + 1 < order.size() &&
                              order[i].kind == (backward_first ? ActionKind::backward : ActionKind::forward) &&
                              order[i + 1].kind == (backward_first ? ActionKind::forward : ActionKind::backward);
            if (!pair) {
                merged.push_back(order[i]);
                continue;
            }
            const Action& f = backward_first ? order[i + 1] : order[i];
            const Action& b = backward_first ? order[i] : order[i + 1];
            if (f.micro_batch == b.micro_batch && f.chunk == b.chunk) { // dependent: not a pair
                merged.push_back(order[i]);
                continue;
            }
            merged.push_back(Action{ActionKind::forward_backward, f.micro_batch, f.chunk, b.micro_batch, b.chunk});
            ++i;
        }
        order = std::move(merged);
    }
    return orders;
}

/// DualPipe, transcribed from the reference implementation (github.com/deepseek-ai/DualPipe,
/// dualpipe.py, DualPipe.step): eight steps per rank. `phase` there is relative to the rank:
/// phase 0 is the direction in which this rank is early, so for ranks in the second half the
/// phases swap (phase ^= is_in_second_half). Micro-batches of direction d are d*M/2 ... .
class DualPipeRank {
public:
    DualPipeRank(int ranks, int rank, int m)
        : half_(ranks / 2), second_half_(rank >= ranks / 2), m_(m), middle_(rank == ranks / 2 - 1 || rank == ranks / 2),
          half_rank_(std::min(rank, ranks - 1 - rank)) {}

    std::vector<Action> build() {
        const int ranks = 2 * half_;
        // Step 1: nF0
        for (int i = 0; i < (half_ - half_rank_ - 1) * 2; ++i) forward(0);
        // Step 2: nF0F1
        for (int i = 0; i < half_rank_ + 1; ++i) {
            forward(0);
            forward(1);
        }
        // Step 3: nB1W1F1 (zero bubble)
        for (int i = 0; i < half_ - half_rank_ - 1; ++i) {
            backward(1, true);
            weight_chunk();
            forward(1);
        }
        // Step 4 (main): nF0B1F1B0
        const int step4 = m_ / 2 - ranks + half_rank_ + 1;
        for (int i = 0; i < step4; ++i) {
            if (i == 0 && middle_) {
                // The reference does not overlap these two chunks on the middle ranks.
                forward(0);
                backward(1, false);
            } else {
                forward_backward(0, 1);
            }
            forward_backward(1, 0);
        }
        // Step 5: nB1F1B0
        for (int i = 0; i < half_ - half_rank_ - 1; ++i) {
            backward(1, false);
            forward_backward(1, 0);
        }
        // Step 6: nB1B0 (the second half of the chunks use zero bubble)
        const int step6 = half_rank_ + 1;
        bool zb = false;
        for (int i = 0; i < step6; ++i) {
            if (i == step6 / 2 && half_rank_ % 2 == 1) zb = true;
            backward(1, zb);
            if (i == step6 / 2 && half_rank_ % 2 == 0) zb = true;
            backward(0, zb);
        }
        // Step 7: nWB0 (zero bubble)
        for (int i = 0; i < half_ - half_rank_ - 1; ++i) {
            weight_chunk();
            backward(0, true);
        }
        // Step 8: nW
        for (int i = 0; i < half_rank_ + 1; ++i) weight_chunk();
        // Anything still deferred (none when the reference's counts hold) runs at the end.
        while (!deferred_.empty()) weight_chunk();
        return std::move(order_);
    }

private:
    int direction(int phase) const { return phase ^ (second_half_ ? 1 : 0); }
    int next_forward(int d) { return d * (m_ / 2) + forward_count_[d]++; }
    int next_backward(int d) { return d * (m_ / 2) + backward_count_[d]++; }
    void forward(int phase) {
        const int d = direction(phase);
        order_.push_back(fwd(next_forward(d), d));
    }
    void backward(int phase, bool zero_bubble) {
        const int d = direction(phase);
        const int mb = next_backward(d);
        if (zero_bubble) {
            order_.push_back(bwd_input(mb, d));
            deferred_.push_back(Action{ActionKind::weight, mb, d, -1, -1});
        } else {
            order_.push_back(bwd(mb, d));
        }
    }
    void weight_chunk() {
        if (deferred_.empty()) return;
        order_.push_back(deferred_.front());
        deferred_.pop_front();
    }
    void forward_backward(int phase0, int phase1) {
        const int d0 = direction(phase0);
        const int d1 = direction(phase1);
        order_.push_back(Action{ActionKind::forward_backward, next_forward(d0), d0, next_backward(d1), d1});
    }

    int half_;
    bool second_half_;
    int m_;
    bool middle_;
    int half_rank_;
    int forward_count_[2] = {0, 0};
    int backward_count_[2] = {0, 0};
    std::deque<Action> deferred_;
    std::vector<Action> order_;
};

} // namespace

std::vector<std::vector<Action>> make_schedule(PipelineSchedule schedule, int ranks, int micro_batches,
                                               int virtual_stages, bool combined) {
    if (ranks < 1) throw std::invalid_argument("pipeline needs at least one stage");
    if (micro_batches < 1) throw std::invalid_argument("pipeline needs at least one micro-batch");
    if (combined) {
        // "The overlap schedule moves one additional forward microbatch into warmup", so that every
        // steady pair is independent, on the last stage too (Megatron-Core moe_a2a_overlap.md).
        if (schedule == PipelineSchedule::interleaved_1f1b && ranks > 1)
            return combined_1f1b(interleaved(ranks, micro_batches, virtual_stages, 1), false);
        if (schedule == PipelineSchedule::one_f_one_b && ranks == 1)
            return combined_1f1b(one_f_one_b(ranks, micro_batches, false), true);
        throw std::invalid_argument("combined 1F1B (ep_comm_overlap) needs interleaved 1F1B, or 1F1B without a "
                                    "pipeline (PP1), as Megatron-Core runs it");
    }
    switch (schedule) {
    case PipelineSchedule::gpipe: return gpipe(ranks, micro_batches);
    case PipelineSchedule::one_f_one_b: return one_f_one_b(ranks, micro_batches, false);
    case PipelineSchedule::zero_bubble: return one_f_one_b(ranks, micro_batches, true);
    case PipelineSchedule::interleaved_1f1b: return interleaved(ranks, micro_batches, virtual_stages);
    case PipelineSchedule::dualpipe: {
        if (ranks % 2 != 0)
            throw std::invalid_argument("DualPipe needs an even number of pipeline stages, got " +
                                        std::to_string(ranks));
        if (micro_batches % 2 != 0 || micro_batches < 2 * ranks)
            throw std::invalid_argument(
                "DualPipe needs an even micro-batch count of at least twice the pipeline stages (" +
                std::to_string(2 * ranks) + "), got " + std::to_string(micro_batches));
        std::vector<std::vector<Action>> out;
        for (int r = 0; r < ranks; ++r) out.push_back(DualPipeRank(ranks, r, micro_batches).build());
        return out;
    }
    }
    throw std::invalid_argument("unknown pipeline schedule");
}

int chunks_per_rank(PipelineSchedule schedule, int virtual_stages) {
    if (schedule == PipelineSchedule::dualpipe) return 2;
    if (schedule == PipelineSchedule::interleaved_1f1b) return virtual_stages;
    return 1;
}

int model_stages(PipelineSchedule schedule, int ranks, int virtual_stages) {
    if (schedule == PipelineSchedule::interleaved_1f1b) return ranks * virtual_stages;
    return ranks;
}

int model_stage(PipelineSchedule schedule, int ranks, int rank, int chunk) {
    if (schedule == PipelineSchedule::dualpipe) return chunk == 0 ? rank : ranks - 1 - rank;
    return chunk * ranks + rank;
}

StageLocation locate_stage(PipelineSchedule schedule, int ranks, int micro_batches, int micro_batch, int stage) {
    if (schedule == PipelineSchedule::dualpipe) {
        const int d = micro_batch < micro_batches / 2 ? 0 : 1;
        return StageLocation{d == 0 ? stage : ranks - 1 - stage, d};
    }
    return StageLocation{stage % ranks, stage / ranks};
}

} // namespace tcsim::training
