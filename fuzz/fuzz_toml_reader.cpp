// libFuzzer target: the strict TOML reader on its own. Parses the input, then asks every key of
// every table (to a bounded depth) for each kind of value the loaders ask for; each getter
// either returns or refuses with a located ConfigError.
#include "config/config_error.hpp"
#include "config/toml_reader.hpp"
#include "units/quantity.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using tcsim::config::Bound;
using tcsim::config::ConfigError;
using tcsim::config::TableReader;

template <class F>
void refused_or_ok(F&& f) {
    try {
        f();
    } catch (const ConfigError&) {
    }
}

void visit(TableReader& t, int depth) {
    std::vector<std::string> keys;
    refused_or_ok([&] { keys = t.keys(); });
    for (const std::string& key : keys) {
        refused_or_ok([&] { (void)t.integer(key, Bound::positive); });
        refused_or_ok([&] { (void)t.integer64(key, Bound::non_negative); });
        refused_or_ok([&] { (void)t.number(key, Bound::positive); });
        refused_or_ok([&] { (void)t.string(key); });
        refused_or_ok([&] { (void)t.boolean(key); });
        refused_or_ok([&] { (void)t.strings(key); });
        refused_or_ok([&] { (void)t.quantity<tcsim::units::Bandwidth>(key); });
        refused_or_ok([&] { (void)t.quantity<tcsim::units::Seconds>(key); });
        refused_or_ok([&] { (void)t.quantity<tcsim::units::Bytes>(key); });
        if (depth < 4) {
            refused_or_ok([&] {
                TableReader sub = t.table(key);
                visit(sub, depth + 1);
            });
            refused_or_ok([&] {
                for (TableReader& sub : t.tables(key)) visit(sub, depth + 1);
            });
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        tcsim::config::TomlDocument document("fuzzed.toml", text);
        TableReader root = document.root();
        visit(root, 0);
        document.finish();
    } catch (const ConfigError&) {
    }
    return 0;
}
