// How axes combine into points (sweep/sweep_points.hpp).
#include "sweep/sweep_points.hpp"

#include <doctest/doctest.h>

using namespace tcsim::sweep;

namespace {

Axis axis(std::size_t values, std::optional<std::size_t> zip = std::nullopt) {
    Axis a;
    a.values.resize(values);
    a.zip_with = zip;
    return a;
}

std::vector<std::vector<std::size_t>> indices(const SweepSpec& s) {
    std::vector<std::vector<std::size_t>> out;
    for (const SweepPoint& p : points(s)) out.push_back(p.value);
    return out;
}

} // namespace

TEST_CASE("product: every combination, the first axis outermost and the last fastest") {
    SweepSpec s;
    s.axes = {axis(2), axis(3)};
    CHECK(indices(s) == std::vector<std::vector<std::size_t>>{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}});
    const auto p = points(s);
    CHECK(p.back().index == 5);
}

TEST_CASE("zip: point i takes value i of every axis") {
    SweepSpec s;
    s.combine = Combine::zip;
    s.axes = {axis(3), axis(3)};
    CHECK(indices(s) == std::vector<std::vector<std::size_t>>{{0, 0}, {1, 1}, {2, 2}});
}

TEST_CASE("a zipped axis moves with its group inside a product (GPU type with its efficiency file, x GPU count)") {
    SweepSpec s;
    s.axes = {axis(2), axis(2), axis(2, 0)};
    CHECK(indices(s) == std::vector<std::vector<std::size_t>>{{0, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1}});
}
