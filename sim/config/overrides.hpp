// Key overrides: values given on the command line that replace (or add) keys of an input file
// before its loader reads it, so that every check a file value meets, an override meets too.
//
// Addressing: `KIND.KEY.PATH=VALUE`. The first segment names the kind of input file, the rest
// is the key's dotted path inside that file, exactly as the file writes it (TOML dotted keys;
// a segment with other characters than A-Z a-z 0-9 _ - is written quoted):
//     cluster      the cluster file (topologies/*.toml)   cluster.fabric.oversubscription=2
//     workload     the workload file                      workload.parallel.tp=4
//     claim        a claim file (tcsim check, tcsim)      claim.gpus=1024
//     prices       the price list                         prices.rental.H100-SXM.per_gpu_hour="2.5 USD/h"
//     datacenter   power and reliability assumptions      datacenter.power.pue.value=1.3
//     gpus         the GPU catalog the cluster names      gpus.gpu.H800-SXM.hbm="96 GiB"
//     efficiency   the efficiency file the cluster names  efficiency.links.network.value=0.9
//     mfu_records  the published MFU records              mfu_records.gpu.H100-SXM.mfu=0.4
// VALUE is TOML (4, 2.5, true, "400 Gb/s"); text that is not a TOML value is taken as a string,
// so that `cluster.nic_bandwidth=400 Gb/s` needs no inner quotes.
//
// Contract: an override applies to every file of its kind that a command loads. An error about
// an overridden value (or an unknown key an override adds) names the override's origin (the
// flag as the user wrote it, e.g. "--tp 3") instead of the file's line, and the file it
// overrides. An override of a key inside an array of tables ([[training.extension]]) is refused.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::config {

/// The kinds of input file an override can address, by their first segment.
enum class FileKind { cluster, workload, claim, prices, datacenter, gpus, efficiency, mfu_records };

[[nodiscard]] std::string_view to_string(FileKind kind);

/// One key of one kind of file, its new value as TOML text, and where it came from.
struct KeyOverride {
    FileKind kind = FileKind::workload;
    std::string key;    ///< dotted path inside the file, e.g. "parallel.tp"
    std::string value;  ///< TOML value text, e.g. "4" or "\"400 Gb/s\"" (or bare text: a string)
    std::string origin; ///< the flag as given, e.g. "--tp 4" or "--set workload.parallel.tp=4"
};

class Overrides {
public:
    /// Adds an override; a later one of the same kind and key replaces an earlier one.
    void add(KeyOverride o);
    /// Parses `KIND.KEY.PATH=VALUE` (a --set argument) and adds it; throws ConfigError naming
    /// "--set TEXT" and what was expected when the text is not of that form or KIND is unknown.
    void add_set(const std::string& text);

    /// The overrides of one kind of file, in the order given.
    [[nodiscard]] std::vector<KeyOverride> of(FileKind kind) const;
    /// Whether a key of `kind` is overridden (its dotted path as added).
    [[nodiscard]] bool sets(FileKind kind, std::string_view key) const;
    [[nodiscard]] const std::vector<KeyOverride>& all() const { return all_; }
    [[nodiscard]] bool empty() const { return all_.empty(); }

private:
    std::vector<KeyOverride> all_;
};

} // namespace tcsim::config
