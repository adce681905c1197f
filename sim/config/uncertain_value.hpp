// A numeric key of an input file given as a range or a distribution instead of one value (issue
// 20): what the file said, the value loaders use in its place (the median), and draws from it.
//
// Spellings (any numeric key of a cluster, workload, price-list or datacenter file):
//     tokens = { low = 11e12, high = 15e12 }                         uniform on [low, high]
//     tokens = { low = 11e12, high = 15e12, dist = "log-uniform" }   log-uniform (low > 0)
//     tokens = { p5 = 11e12, p95 = 15e12 }                           log-normal through those percentiles
//     tokens = { values = [11e12, 13e12, 15e12] }                    each value equally likely
// each with an optional `source = "..."`. A quantity key writes its ends as the file writes the
// key ("1.2 USD/h"), every end in the same unit. An integer key (GPU counts, layers, experts)
// takes integers only and draws integers.
//
// Contract
// - median(): uniform (low + high) / 2; log-uniform sqrt(low x high); log-normal sqrt(p5 x p95)
//   (its median by construction); a list its middle value once sorted (the lower of the two
//   middle ones for an even count). Integer keys round it to the nearest integer (halves up).
// - low_end() / high_end(): the ends a sensitivity sweep uses: low and high, p5 and p95, the
//   smallest and largest listed value.
// - quantile(u), u in [0, 1): the value at that probability (the list: element floor(u x n) once
//   sorted), rounded for integer keys, then held within the key's physical range [min, max]
//   (only a log-normal's tails can leave it).
// - The reader (toml_reader.hpp) checks what it records: every end within the key's range,
//   low < high, p5 < p95, log-uniform and log-normal ends above zero, at least two values.
#pragma once

#include "config/overrides.hpp"

#include <string>
#include <vector>

namespace tcsim::config {

enum class Distribution { uniform, log_uniform, log_normal, values };

struct UncertainValue {
    FileKind kind = FileKind::workload;
    std::string file;  ///< the file as the loader named it
    std::string key;   ///< dotted path inside the file, e.g. "training.tokens"
    std::string where; ///< "FILE:LINE:COLUMN" of the value
    Distribution distribution = Distribution::uniform;
    double a = 0;               ///< low (uniform, log-uniform) or p5 (log-normal)
    double b = 0;               ///< high or p95
    std::vector<double> values; ///< Distribution::values, sorted ascending
    bool integer = false;
    std::string unit; ///< a quantity key's unit as written ("USD/h"); empty for a plain number
    double min = 0;   ///< the key's physical range (config/limits.hpp)
    double max = 0;
    std::string source;  ///< the `source` given beside the range; empty if none
    std::string written; ///< the range as written, e.g. "{low = 1.1e+13, high = 1.5e+13}"

    /// "workload.training.tokens": the key as --set spells it.
    [[nodiscard]] std::string name() const;
    [[nodiscard]] double median() const;
    [[nodiscard]] double low_end() const;
    [[nodiscard]] double high_end() const;
    [[nodiscard]] double quantile(double u) const;
    /// The range in words: "{low = 11e12, high = 15e12} (uniform)", "... (log-normal through p5 and p95)".
    [[nodiscard]] std::string describe() const;
    /// `x` as the TOML value an override writes for this key: `13000000000000`, `"1.5 USD/h"`.
    [[nodiscard]] std::string toml_text(double x) const;
};

/// The uncertain values loaders met, in the order met; a key met again (the same file loaded
/// twice) is kept once.
class UncertainValues {
public:
    void add(UncertainValue v);
    [[nodiscard]] const std::vector<UncertainValue>& all() const { return all_; }
    [[nodiscard]] bool empty() const { return all_.empty(); }

private:
    std::vector<UncertainValue> all_;
};

} // namespace tcsim::config
