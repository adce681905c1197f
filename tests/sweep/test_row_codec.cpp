// Rows crossing processes (sweep/row_codec.hpp) come back with every bit: the MPI output is the
// serial output's bytes only if they do.
#include "sweep/row_codec.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

using namespace tcsim::sweep;

TEST_CASE("encode then decode gives the same rows, doubles bit for bit and NaN as NaN") {
    SweepRow a;
    a.point = 7;
    a.values = {"B200", "16384", "with \"quotes\", commas"};
    a.cluster = "c";
    a.gpu = "B200";
    a.gpus = 16384;
    a.layout = "PP16 dualpipe x EP64 x DP1024";
    a.step_time_s = 0.1 + 0.2; // 0.30000000000000004: 17 significant digits needed
    a.mfu = 1.0 / 3.0;
    a.days_p50 = 5.3e-310; // subnormal
    a.rental_usd_p50 = 14887258.123456789;
    SweepRow b;
    b.point = 8;
    b.status = RowStatus::refused;
    b.reason = "plan check: ...";
    const std::vector<SweepRow> back = decode_rows(encode_rows({a, b}));
    REQUIRE(back.size() == 2);
    CHECK(back[0].values == a.values);
    CHECK(back[0].layout == a.layout);
    CHECK(std::bit_cast<std::uint64_t>(back[0].step_time_s) == std::bit_cast<std::uint64_t>(a.step_time_s));
    CHECK(std::bit_cast<std::uint64_t>(back[0].mfu) == std::bit_cast<std::uint64_t>(a.mfu));
    CHECK(std::bit_cast<std::uint64_t>(back[0].days_p50) == std::bit_cast<std::uint64_t>(a.days_p50));
    CHECK(back[0].rental_usd_p50 == a.rental_usd_p50);
    CHECK(std::isnan(back[0].ownership_usd_p50));
    CHECK(back[1].status == RowStatus::refused);
    CHECK(back[1].reason == b.reason);
    CHECK(back[1].point == 8);
}

TEST_CASE("text that encode_rows did not write is refused") {
    CHECK_THROWS_AS((void)decode_rows("{"), std::invalid_argument);
    CHECK_THROWS_AS((void)decode_rows("[[1]]"), std::invalid_argument);
}
