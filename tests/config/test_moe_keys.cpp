// The MoE keys of a workload file: read into the model and layout, and refused where they
// cannot hold, naming the key.
#include "config/builtin_files.hpp"
#include "config/config_files.hpp"
#include "config/load_workload.hpp"
#include "config_error_capture.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using namespace tcsim;
using namespace tcsim::config;
using tcsim::config::testing::config_error_from;
using tcsim::config::testing::replaced;

namespace {

const std::string kWorkload(kBuiltinWorkload);

workload::Workload load_with(const std::string& from, const std::string& to) {
    EmbeddedFiles files = builtin_files();
    files.add(kWorkload, replaced(builtin_files().read(kWorkload), from, to));
    return load_workload(files, kWorkload);
}

ConfigError error_with(const std::string& from, const std::string& to) {
    return config_error_from([&] { (void)load_with(from, to); });
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("MoE keys are read: groups, capacity, interleaving, shared width, router dtype, etp, dispatcher") {
    const auto w =
        load_with("top_k = 8\n", "top_k = 8\nexpert_groups = 8\ngroups_per_token = 4\ncapacity_factor = 1.25\n"
                                 "moe_every = 2\nshared_expert_intermediate = 4096\nrouter_dtype = \"fp32\"\n");
    const auto& f = w.model.ffn;
    CHECK(f.expert_groups == 8);
    CHECK(f.groups_per_token == 4);
    CHECK(f.capacity_factor == 1.25);
    CHECK(f.load_factor() == 1.25);
    CHECK(f.moe_every == 2);
    CHECK(f.shared_width() == 4096);
    CHECK(f.router_dtype == hardware::Dtype::fp32);
    // moe_every = 2 after 3 dense layers: layers 3 and 4 -> only odd layers are MoE.
    CHECK_FALSE(w.model.is_moe_layer(2));
    CHECK(w.model.is_moe_layer(3));
    CHECK_FALSE(w.model.is_moe_layer(4));
    CHECK(w.model.is_moe_layer(w.model.layers)); // the MTP module's block stays MoE
    const auto shipped = load_with("top_k = 8\n", "top_k = 8\n");
    CHECK(shipped.model.ffn.load_factor() == 1.0);
    CHECK(shipped.model.ffn.shared_width() == 2048); // one shared expert of the experts' width
    CHECK(shipped.parallel.moe_dispatcher == workload::MoeDispatcher::deepep); // DeepSeek-V3's own kernels
    const auto p = load_with("ep = 64\n", "ep = 32\netp = 2\n");
    CHECK(p.parallel.etp == 2);
    CHECK(p.parallel.ep == 32);
    for (const auto& [text, dispatcher] :
         {std::pair{"allgather", workload::MoeDispatcher::allgather},
          std::pair{"alltoall", workload::MoeDispatcher::alltoall}, std::pair{"deepep", workload::MoeDispatcher::deepep}})
        CHECK(load_with("moe_dispatcher = \"deepep\"\n", "moe_dispatcher = \"" + std::string(text) + "\"\n")
                  .parallel.moe_dispatcher == dispatcher);
}

TEST_CASE("MoE keys that cannot hold are refused by name") {
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\nexpert_groups = 7\ngroups_per_token = 1\n").what(),
                   "expert_groups must divide routed_experts (256), found 7"));
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\nexpert_groups = 8\n").what(), "groups_per_token"));
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\nexpert_groups = 8\ngroups_per_token = 9\n").what(),
                   "groups_per_token must not exceed expert_groups (8), found 9"));
    // 256 experts in 64 groups of 4: one group cannot hold a token's 8 experts.
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\nexpert_groups = 64\ngroups_per_token = 1\n").what(),
                   "a token must reach top_k = 8 experts, but 1 groups of 4 hold only 4"));
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\ngroups_per_token = 2\n").what(), "groups_per_token"));
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\ncapacity_factor = 0.5\n").what(),
                   "expected a capacity factor from 1 to 64"));
    CHECK(contains(error_with("top_k = 8\n", "top_k = 8\nrouter_dtype = \"fp8\"\n").what(), "router_dtype"));
    CHECK(contains(error_with("moe_dispatcher = \"deepep\"\n", "moe_dispatcher = \"ring\"\n").what(),
                   "key 'parallel.moe_dispatcher': expected one of \"alltoall\", \"allgather\", \"deepep\", found \"ring\""));
    CHECK(contains(error_with("ep = 64\n", "ep = 64\netp = 0\n").what(), "etp"));
    const auto e = error_with("shared_experts = 1\n", "shared_experts = 0\nshared_expert_intermediate = 1024\n");
    CHECK(e.key() == "model.ffn.shared_expert_intermediate");
    CHECK(contains(e.what(), "shared_experts is 0"));
}
