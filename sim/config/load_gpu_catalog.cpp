// Optional peaks are read as non-negative and then refused at zero with a hint, because
// "0 TFLOP/s" is how people try to say "not supported", and absence already says it.
#include "config/load_gpu_catalog.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"

#include <utility>

namespace tcsim::config {
namespace {

units::FlopRate optional_peak(TableReader& gpu, std::string_view key, std::string_view what) {
    const auto peak = gpu.optional_quantity<units::FlopRate>(key, limits::peak_or_zero);
    if (!peak) return units::FlopRate(0.0);
    if (!(peak->value() > 0.0))
        gpu.fail(key, "expected a positive rate like \"1979 TFLOP/s\", found zero; leave " + std::string(key) +
                          " out if the GPU has no " + std::string(what) + " tensor cores");
    return *peak;
}

hardware::GpuSpec read_gpu(TableReader& gpu, const std::string& name) {
    using hardware::Dtype;
    hardware::GpuSpec spec;
    spec.name = name;
    spec.vendor = gpu.string("vendor");
    if (spec.vendor.empty()) gpu.fail("vendor", "expected the maker's name, e.g. \"NVIDIA\", found \"\"");
    spec.dense_peak[static_cast<int>(Dtype::fp8)] = optional_peak(gpu, "peak_fp8", "FP8");
    spec.dense_peak[static_cast<int>(Dtype::bf16)] = gpu.quantity<units::FlopRate>("peak_bf16", limits::peak);
    spec.dense_peak[static_cast<int>(Dtype::tf32)] = optional_peak(gpu, "peak_tf32", "TF32");
    spec.dense_peak[static_cast<int>(Dtype::fp32)] = gpu.quantity<units::FlopRate>("peak_fp32", limits::peak);
    // Block-scaled formats (Blackwell): absent = the GPU has no tensor cores for them.
    spec.dense_peak[static_cast<int>(Dtype::mxfp8)] = optional_peak(gpu, "peak_mxfp8", "MXFP8");
    spec.dense_peak[static_cast<int>(Dtype::nvfp4)] = optional_peak(gpu, "peak_nvfp4", "NVFP4");
    spec.hbm_capacity = gpu.quantity<units::Bytes>("hbm", limits::hbm);
    spec.hbm_bandwidth = gpu.quantity<units::Bandwidth>("hbm_bandwidth", limits::hbm_bandwidth);
    spec.nvlink_bidirectional = gpu.quantity<units::Bandwidth>("nvlink", limits::link_bandwidth);
    spec.tdp = gpu.quantity<units::Watts>("tdp", limits::tdp);
    spec.streaming_multiprocessors = gpu.integer("sms", limits::sms);
    spec.source = gpu.string("source");
    return spec;
}

} // namespace

hardware::GpuCatalog load_gpu_catalog(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path), files.overrides().of(FileKind::gpus));
    TableReader root = document.root();
    TableReader gpus = root.table("gpu", "a table of GPUs, e.g. [gpu.\"H800-SXM\"]");
    hardware::GpuCatalog catalog;
    for (const std::string& name : gpus.keys()) {
        TableReader gpu = gpus.table(name);
        if (name.empty()) gpu.fail("a GPU needs a name: [gpu.\"NAME\"], found [gpu.\"\"]");
        catalog.add(read_gpu(gpu, name));
    }
    if (catalog.all().empty()) gpus.fail("the catalog lists no GPU; add one as [gpu.\"NAME\"]");
    document.finish();
    return catalog;
}

} // namespace tcsim::config
