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

/// The key a value is given under: `key`, or its NVIDIA spelling `legacy`, never both.
std::string_view either_key(TableReader& gpu, std::string_view key, std::string_view legacy, std::string_view what) {
    const bool has_key = gpu.has(key);
    const bool has_legacy = gpu.has(legacy);
    if (has_key && has_legacy)
        gpu.fail(legacy, std::string(legacy) + " is NVIDIA's spelling of " + std::string(key) +
                             "; give one of them, found both");
    if (!has_key && !has_legacy)
        gpu.fail(key, "required key is missing: " + std::string(what) + " (" + std::string(legacy) +
                          " is accepted for NVIDIA parts)");
    return has_key ? key : legacy;
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
    spec.nvlink_bidirectional = gpu.quantity<units::Bandwidth>(
        either_key(gpu, "scale_up", "nvlink", "the scale-up bandwidth, e.g. scale_up = \"896 GB/s\""),
        limits::link_bandwidth);
    // The link's name appears in messages; NVIDIA's is NVLink, every other vendor names its own.
    if (gpu.has("scale_up_link"))
        spec.scale_up_link = gpu.string("scale_up_link");
    else if (spec.vendor != "NVIDIA")
        gpu.fail("scale_up_link", "required key is missing: name the " + spec.vendor +
                                      " part's scale-up link, e.g. \"Infinity Fabric\", \"ICI\", \"RoCE\", \"HCCS\"");
    if (spec.scale_up_link.empty()) gpu.fail("scale_up_link", "expected the link's name, found \"\"");
    spec.tdp = gpu.quantity<units::Watts>("tdp", limits::tdp);
    spec.compute_units = gpu.integer(
        either_key(gpu, "compute_units", "sms", "the count of SMs, CUs, TensorCores, TPCs or AI cores"), limits::sms);
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
