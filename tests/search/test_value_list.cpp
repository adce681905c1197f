// The command line's lists ("1,2,4", "1-16"), as `tcsim search --tp 1,2,4,8 --pp 1-16` writes them.
#include "search/value_list.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using tcsim::search::parse_int_list;
using tcsim::search::parse_word_list;

TEST_CASE("lists and ranges give every value once, in increasing order") {
    CHECK(parse_int_list("8", 1, 64) == std::vector<int>{8});
    CHECK(parse_int_list("8,1,2,4", 1, 64) == std::vector<int>{1, 2, 4, 8});
    CHECK(parse_int_list("1-4", 1, 64) == std::vector<int>{1, 2, 3, 4});
    CHECK(parse_int_list("1,4-6,5,16", 1, 64) == std::vector<int>{1, 4, 5, 6, 16});
    CHECK(parse_int_list("0-3", 0, 3) == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("a value outside its range, a reversed range, a sign or a word is refused with what was expected") {
    for (const char* bad :
         {"0", "65", "", "1,", ",2", "a", "-1", "1-", "4-2", "1.5", " 2", "2 ", "1--3", "99999999999"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS((void)parse_int_list(bad, 1, 64), std::invalid_argument);
    }
    CHECK_THROWS_WITH((void)parse_int_list("9", 1, 8), doctest::Contains("from 1 to 8"));
    CHECK_THROWS_WITH((void)parse_int_list("4-2", 1, 8), doctest::Contains("low to high"));
}

TEST_CASE("word lists keep the order given and refuse unknown words naming the allowed ones") {
    const std::vector<std::string> allowed{"none", "selective", "full"};
    CHECK(parse_word_list("full,none,full", allowed) == std::vector<std::string>{"full", "none"});
    CHECK_THROWS_WITH((void)parse_word_list("fulll", allowed), doctest::Contains("none, selective, full"));
    CHECK_THROWS_AS((void)parse_word_list("", allowed), std::invalid_argument);
}
