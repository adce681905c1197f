#include "training/dep_list.hpp"

#include <doctest/doctest.h>

#include <numeric>
#include <span>
#include <utility>
#include <vector>

using tcsim::training::DepList;

namespace {
std::vector<std::uint32_t> values(const DepList& d) { return {d.begin(), d.end()}; }
} // namespace

TEST_CASE("DepList keeps up to four in place and grows past them like a vector") {
    DepList d;
    CHECK(d.empty());
    for (std::uint32_t i = 0; i < 9; ++i) {
        d.push_back(10 + i);
        REQUIRE(d.size() == i + 1);
        std::vector<std::uint32_t> want(i + 1);
        std::iota(want.begin(), want.end(), 10u);
        CHECK(values(d) == want);
    }
    const std::span<const std::uint32_t> view = d;
    CHECK(view.size() == 9);
    CHECK(view[8] == 18);
    d.clear();
    CHECK(d.empty());
    d.push_back(7);
    CHECK(values(d) == std::vector<std::uint32_t>{7});
}

TEST_CASE("DepList copies deeply and leaves a moved-from list empty, in place and on the heap") {
    for (const std::size_t n : {std::size_t{3}, std::size_t{6}}) {
        std::vector<std::uint32_t> src(n);
        std::iota(src.begin(), src.end(), 1u);
        DepList a = src;
        DepList b = a;
        b[0] = 99;
        CHECK(a[0] == 1);
        CHECK(values(b).size() == n);
        DepList c = std::move(a);
        CHECK(a.empty());
        CHECK(values(c) == src);
        a = c;
        CHECK(a == c);
        c = std::move(b);
        CHECK(c[0] == 99);
        c = {4, 5};
        CHECK(values(c) == std::vector<std::uint32_t>{4, 5});
        DepList& self = c;
        c = self;
        CHECK(values(c) == std::vector<std::uint32_t>{4, 5});
    }
}
