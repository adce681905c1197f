#include "calibration/load_calibration_set.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"
#include "config/workload_spellings.hpp"
#include "network/collective_plan.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace tcsim::calibration {
namespace {

using config::Bound;
using config::Spelling;
using config::TableReader;

constexpr std::array<Spelling<RecordKind>, 6> kKinds{{
    {"step", RecordKind::step},
    {"run", RecordKind::run},
    {"gemm", RecordKind::gemm},
    {"collective", RecordKind::collective},
    {"expert_all_to_all", RecordKind::expert_all_to_all},
    {"serve", RecordKind::serve},
}};

constexpr std::array<Spelling<FlopCount>, 5> kFlopCounts{{
    {"model", FlopCount::model},
    {"hardware", FlopCount::hardware},
    {"megatron", FlopCount::megatron},
    {"8nd", FlopCount::eight_nd},
    {"6nd", FlopCount::six_nd},
}};

constexpr std::array<Spelling<hardware::Dtype>, 2> kWireDtypes{{
    {"fp8", hardware::Dtype::fp8},
    {"bf16", hardware::Dtype::bf16},
}};

constexpr std::array<Spelling<collective::CollectiveKind>, 4> kCollectives{{
    {"all_reduce", collective::CollectiveKind::all_reduce},
    {"all_gather", collective::CollectiveKind::all_gather},
    {"reduce_scatter", collective::CollectiveKind::reduce_scatter},
    {"all_to_all", collective::CollectiveKind::all_to_all},
}};

constexpr std::array<Spelling<bool>, 2> kDirections{{{"dispatch", false}, {"combine", true}}};

/// The metrics each kind of record can predict.
bool predicts(RecordKind kind, Metric m) {
    switch (kind) {
    case RecordKind::step:
        return m == Metric::step_time || m == Metric::tflops_per_gpu || m == Metric::mfu ||
               m == Metric::tokens_per_s_per_gpu || m == Metric::expert_comm_to_compute;
    case RecordKind::run:
        return m == Metric::pretrain_gpu_hours || m == Metric::extension_gpu_hours || m == Metric::total_gpu_hours ||
               m == Metric::pretrain_days || m == Metric::post_training_gpu_hours;
    case RecordKind::gemm: return m == Metric::gemm_throughput;
    case RecordKind::collective: return m == Metric::bus_bandwidth;
    case RecordKind::expert_all_to_all: return m == Metric::rdma_bandwidth || m == Metric::nvlink_bandwidth;
    case RecordKind::serve:
        return m == Metric::prefill_tokens_per_s_per_gpu || m == Metric::decode_tokens_per_s_per_gpu ||
               m == Metric::output_tokens_per_s_per_request;
    }
    return false;
}

std::string predictable_list(RecordKind kind) {
    std::string out;
    for (const auto& s : metric_spellings())
        if (predicts(kind, s.value)) out += (out.empty() ? "" : ", ") + std::string("\"") + std::string(s.text) + "\"";
    return out;
}

double read_value(TableReader& t, Metric m) {
    switch (m) {
    case Metric::step_time: return t.quantity<units::Seconds>("value", config::limits::step_time).count();
    case Metric::pretrain_days:
        return t.quantity<units::Seconds>("value", config::limits::claimed_duration).count() / 86400.0;
    case Metric::tflops_per_gpu:
    case Metric::gemm_throughput:
        return t.quantity<units::FlopRate>("value", config::limits::measured_flop_rate).value() / 1e12;
    case Metric::bus_bandwidth:
    case Metric::rdma_bandwidth:
    case Metric::nvlink_bandwidth:
        return t.quantity<units::Bandwidth>("value", config::limits::measured_bandwidth).value() / 1e9;
    case Metric::mfu: {
        const double x = t.number("value", Bound::positive);
        if (x > 1.0) t.fail("value", "expected MFU as a fraction in (0, 1] (0.43 for 43 %)");
        return x;
    }
    case Metric::expert_comm_to_compute:
    case Metric::prefill_tokens_per_s_per_gpu:
    case Metric::decode_tokens_per_s_per_gpu:
    case Metric::output_tokens_per_s_per_request:
    case Metric::tokens_per_s_per_gpu: return t.number("value", config::limits::rate_or_ratio);
    case Metric::pretrain_gpu_hours:
    case Metric::extension_gpu_hours:
    case Metric::total_gpu_hours:
    case Metric::post_training_gpu_hours: return t.number("value", config::limits::gpu_hours);
    }
    return 0;
}

PublishedValue read_published(TableReader& t, RecordKind kind) {
    PublishedValue p;
    p.metric = t.choice("metric", metric_spellings());
    if (!predicts(kind, p.metric))
        t.fail("metric", "a " + std::string(to_string(kind)) + " record predicts " + predictable_list(kind) +
                             ", not \"" + std::string(to_string(p.metric)) + "\"");
    p.value = read_value(t, p.metric);
    p.tolerance = t.number("tolerance", Bound::positive);
    if (p.tolerance > 1.0) t.fail("tolerance", "expected a relative tolerance in (0, 1] (0.10 for 10 %)");
    if (p.metric == Metric::tflops_per_gpu) {
        p.flops = t.choice("flops", kFlopCounts);
    } else if (p.metric == Metric::mfu) {
        p.flops = t.choice_or("flops", kFlopCounts, FlopCount::model);
    } else if (t.has("flops")) {
        t.fail("flops",
               "flops applies only to tflops_per_gpu and mfu, not to \"" + std::string(to_string(p.metric)) + "\"");
    }
    p.note = t.string_or("note", "");
    p.known_gap = t.string_or("known_gap", "");
    p.in_sample = t.boolean_or("in_sample", false);
    p.fitted = t.string_or("fitted", "");
    if (p.in_sample && p.fitted.empty())
        t.fail("fitted", "an in-sample value (in_sample = true) must say what was chosen after it was seen");
    if (!p.in_sample && !p.fitted.empty()) t.fail("in_sample", "a value with `fitted` must say in_sample = true");
    return p;
}

void read_overrides(TableReader& r, WorkloadOverrides& o) {
    if (auto p = r.optional_table("parallel")) {
        o.tp = p->optional_integer("tp", config::limits::degree);
        o.pp = p->optional_integer("pp", config::limits::degree);
        o.dp = p->optional_integer("dp", config::limits::degree);
        o.cp = p->optional_integer("cp", config::limits::degree);
        o.ep = p->optional_integer("ep", config::limits::degree);
        o.micro_batch_sequences = p->optional_integer("micro_batch_sequences", config::limits::batch_sequences);
        o.virtual_stages = p->optional_integer("virtual_stages", config::limits::degree);
        o.zero_stage = p->optional_integer("zero_stage", config::limits::zero_stage);
        o.schedule = p->optional_choice("schedule", config::kScheduleSpellings);
        o.sequence_parallel = p->optional_boolean("sequence_parallel");
        o.split_embedding_and_loss = p->optional_boolean("split_embedding_and_loss");
        o.pipeline_split = p->optional_choice("pipeline_split", config::kPipelineSplitSpellings);
    }
    if (auto t = r.optional_table("training")) {
        o.seq_len = t->optional_integer("seq_len", config::limits::seq_len);
        o.global_batch_sequences = t->optional_integer("global_batch_sequences", config::limits::batch_sequences);
        o.recompute = t->optional_choice("recompute", config::kRecomputeSpellings);
    }
}

serve::ServeLayout read_serve_layout(TableReader& t) {
    serve::ServeLayout l;
    l.tp = t.integer_or("tp", 1, config::limits::degree);
    l.dp = t.integer_or("dp", 1, config::limits::degree);
    l.pp = t.integer_or("pp", 1, config::limits::degree);
    l.ep = t.integer_or("ep", 1, config::limits::degree);
    l.redundant_experts = t.integer_or("redundant_experts", 0, config::limits::node_count_or_zero);
    return l;
}

/// [record.serving] (requests, formats) with [record.prefill] and [record.decode] layouts.
void read_serving(TableReader& r, serve::ServeSpec& s) {
    TableReader t = r.table("serving");
    s.prompt_tokens = t.integer("prompt_tokens", config::limits::seq_len);
    s.output_tokens = t.integer("output_tokens", config::limits::seq_len);
    s.weight_dtype = t.choice_or("weights", config::kDtypeSpellings, hardware::Dtype::fp8);
    s.kv_dtype = t.choice_or("kv_cache", config::kDtypeSpellings, hardware::Dtype::bf16);
    s.disaggregated = t.boolean_or("disaggregated", true);
    TableReader d = r.table("decode");
    s.decode = read_serve_layout(d);
    if (s.disaggregated) {
        TableReader p = r.table("prefill");
        s.prefill = read_serve_layout(p);
    } else if (r.has("prefill")) {
        r.fail("prefill", "a colocated deployment (disaggregated = false) serves prefill on the decode layout");
    }
}

void check_algorithm(TableReader& r, const std::string& name) {
    if (!network::algorithm_from_string(name))
        r.fail("algorithm", "expected one of \"auto\", \"ring\", \"tree\", \"nvls\", \"hierarchical\", \"pairwise\", "
                            "\"deepep_normal\", \"deepep_low_latency\", found \"" +
                                name + "\"");
}

/// Refuses a key that belongs to other kinds of record.
void refuse(TableReader& r, std::string_view key, RecordKind kind) {
    if (r.has(key)) r.fail(key, std::string(key) + " does not apply to a " + std::string(to_string(kind)) + " record");
}

CalibrationRecord read_record(TableReader& r, const config::ConfigFiles& files, const std::string& path) {
    CalibrationRecord c;
    c.file = path;
    c.id = r.string("id");
    c.kind = r.choice("kind", kKinds);
    c.source = r.string("source");
    c.confidence = r.string("confidence");
    c.date = r.string_or("date", "");
    c.note = r.string_or("note", "");
    c.cluster = files.resolve(path, r.string("cluster"));
    c.nodes = r.optional_integer("nodes", config::limits::nodes);
    c.nics_per_node = r.optional_integer("nics_per_node", config::limits::nics_per_node);
    const bool training = c.kind == RecordKind::step || c.kind == RecordKind::run;
    if (c.kind == RecordKind::serve) {
        c.workload = files.resolve(path, r.string("workload"));
        read_serving(r, c.serving.spec);
        for (const auto* key : {"parallel", "training", "include_extension"}) refuse(r, key, c.kind);
    } else if (training) {
        c.workload = files.resolve(path, r.string("workload"));
        read_overrides(r, c.overrides);
        if (c.kind == RecordKind::run)
            c.include_extension = r.boolean_or("include_extension", true);
        else
            refuse(r, "include_extension", c.kind);
    } else {
        for (const auto* key : {"workload", "parallel", "training", "include_extension"}) refuse(r, key, c.kind);
    }
    if (c.kind != RecordKind::serve)
        for (const auto* key : {"prefill", "decode", "serving"}) refuse(r, key, c.kind);
    if (c.kind == RecordKind::gemm) {
        c.gemm.m = r.number("m", config::limits::gemm_dimension);
        c.gemm.n = r.number("n", config::limits::gemm_dimension);
        c.gemm.k = r.number("k", config::limits::gemm_dimension);
        c.gemm.groups = r.integer_or("groups", 1, config::limits::gemm_groups);
        c.gemm.dtype = r.choice("dtype", config::kDtypeSpellings);
        c.gemm.library = r.choice_or("library", config::kGemmLibrarySpellings, hardware::GemmLibrary::cublas);
    }
    if (c.kind == RecordKind::collective) {
        c.collective.kind = r.choice("collective", kCollectives);
        c.collective.ranks = r.integer("ranks", config::limits::ranks);
        c.collective.message = r.quantity<units::Bytes>("message", config::limits::message);
        c.collective.algorithm = r.string_or("algorithm", "auto");
        check_algorithm(r, c.collective.algorithm);
        if (c.collective.ranks < 2) r.fail("ranks", "a collective needs at least 2 ranks");
    }
    if (c.kind == RecordKind::expert_all_to_all) {
        c.expert.combine = r.choice("direction", kDirections);
        c.expert.ranks = r.integer("ranks", config::limits::ranks);
        c.expert.tokens = r.number("tokens", config::limits::expert_tokens);
        c.expert.hidden = r.integer("hidden", config::limits::hidden);
        c.expert.top_k = r.integer("top_k", config::limits::top_k);
        c.expert.max_nodes = r.integer_or("max_nodes", 0, config::limits::node_count_or_zero);
        c.expert.dtype = r.choice("dtype", kWireDtypes);
        c.expert.algorithm = r.string_or("algorithm", "deepep_normal");
        check_algorithm(r, c.expert.algorithm);
        // Its figures are DeepEP's own (RDMA / NVLink bandwidth counted DeepEP's way).
        if (c.expert.algorithm != "deepep_normal" && c.expert.algorithm != "deepep_low_latency" &&
            c.expert.algorithm != "auto")
            r.fail("algorithm", "an expert_all_to_all record measures DeepEP's kernels: expected \"deepep_normal\", "
                                "\"deepep_low_latency\" or \"auto\", found \"" +
                                    c.expert.algorithm +
                                    "\" (NCCL's all-to-all is a collective record with collective = \"all_to_all\")");
    }
    if (c.kind != RecordKind::gemm)
        for (const auto* key : {"m", "n", "k", "groups"}) refuse(r, key, c.kind);
    if (c.kind != RecordKind::collective)
        for (const auto* key : {"collective", "message"}) refuse(r, key, c.kind);
    if (c.kind != RecordKind::expert_all_to_all)
        for (const auto* key : {"direction", "tokens", "hidden", "top_k", "max_nodes"}) refuse(r, key, c.kind);
    if (c.kind != RecordKind::collective && c.kind != RecordKind::expert_all_to_all)
        for (const auto* key : {"ranks", "algorithm"}) refuse(r, key, c.kind);
    if (c.kind != RecordKind::gemm && c.kind != RecordKind::expert_all_to_all) refuse(r, "dtype", c.kind);

    std::set<Metric> seen;
    for (TableReader& p : r.tables("published")) {
        PublishedValue v = read_published(p, c.kind);
        if (!seen.insert(v.metric).second)
            p.fail("metric", "record '" + c.id + "' already has a published " + std::string(to_string(v.metric)));
        c.published.push_back(std::move(v));
    }
    if (c.published.empty()) r.fail("published", "a record needs at least one [[record.published]] value");
    return c;
}

} // namespace

CalibrationSet load_calibration_set(const config::ConfigFiles& files, const std::string& path) {
    config::TomlDocument document(path, files.read(path));
    TableReader root = document.root();
    CalibrationSet s;
    s.file = path;
    s.name = root.string("set");
    s.title = root.string("title");
    s.source = root.string("source");
    s.in_sample = root.boolean_or("in_sample", false);
    s.fitted = root.string_or("fitted", "");
    if (s.in_sample && s.fitted.empty())
        root.fail("fitted", "an in-sample set (in_sample = true) must say what is fitted on it");
    if (!s.in_sample && !s.fitted.empty()) root.fail("in_sample", "a set with `fitted` must say in_sample = true");
    std::set<std::string> ids;
    for (TableReader& r : root.tables("record")) {
        CalibrationRecord c = read_record(r, files, path);
        if (!ids.insert(c.id).second) r.fail("id", "record id '" + c.id + "' appears twice in this set");
        s.records.push_back(std::move(c));
    }
    if (s.records.empty()) root.fail("record", "a calibration set needs at least one [[record]]");
    document.finish();
    return s;
}

} // namespace tcsim::calibration
