// libFuzzer target: the unit parsers. The first byte picks the parser, the rest is the text;
// each parser returns a quantity or refuses with UnitError.
#include "units/parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tcsim::units;
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 8) {
        case 0: (void)parse_bytes(text); break;
        case 1: (void)parse_bandwidth(text); break;
        case 2: (void)parse_flop_rate(text); break;
        case 3: (void)parse_duration(text); break;
        case 4: (void)parse_power(text); break;
        case 5: (void)parse_dollars(text); break;
        case 6: (void)parse_price_per_hour(text); break;
        default: (void)parse_energy_price(text); break;
        }
    } catch (const UnitError&) {
    }
    return 0;
}
