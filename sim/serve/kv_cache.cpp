#include "serve/kv_cache.hpp"

#include "workload/model_math.hpp"

#include <algorithm>

namespace tcsim::serve {

units::Bytes kv_bytes_per_token_layer(const workload::ModelSpec& model, int tp, hardware::Dtype kv) {
    const auto& a = model.attention;
    const double elements = a.kind == workload::AttentionKind::mla
                                ? static_cast<double>(a.kv_lora_rank + a.qk_rope_head_dim)
                                : 2.0 * workload::kv_heads_per_rank(a, tp) * a.head_dim;
    return units::Bytes(elements * hardware::bytes_per_element(kv));
}

units::Bytes kv_bytes_of_sequence(const workload::ModelSpec& model, int first, int last, double context, int tp,
                                  hardware::Dtype kv) {
    const units::Bytes per_layer = kv_bytes_per_token_layer(model, tp, kv);
    double tokens = 0;
    for (int layer = first; layer < last; ++layer) {
        const double kept =
            model.is_windowed_layer(layer)
                ? std::min(context, static_cast<double>(model.attention.sliding_window + model.attention.sink_tokens))
                : context;
        tokens += kept;
    }
    return per_layer * tokens;
}

} // namespace tcsim::serve
