// Megatron-Core's custom pipeline layout strings: expanded, split into chunks, checked for model
// order and against the model's layers, MTP modules and PP x VPP chunks. Expected chunks are
// written out from Megatron-LM's own example (docs/api-guide/pipeline_parallel_layout.md).
#include "workload/pipeline_layout.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace tcsim::workload;

namespace {

bool error_contains(const std::string& layout, const std::string& part) {
    try {
        (void)parse_pipeline_layout(layout);
    } catch (const std::invalid_argument& e) {
        return std::string(e.what()).find(part) != std::string::npos;
    }
    return false;
}

} // namespace

TEST_CASE("DeepSeek-V3 on PP16 x VPP2: \"Et*3|(tt|)*29,m|L\" as Megatron-LM's table gives it") {
    const auto chunks = parse_pipeline_layout("Et*3|(tt|)*29,m|L");
    REQUIRE(chunks.size() == 32);
    CHECK(chunks[0].embedding);
    CHECK(chunks[0].layers == 3);
    for (int s = 1; s <= 29; ++s) {
        CAPTURE(s);
        CHECK(chunks[static_cast<std::size_t>(s)].layers == 2);
        CHECK_FALSE(chunks[static_cast<std::size_t>(s)].embedding);
        CHECK(chunks[static_cast<std::size_t>(s)].mtp == 0);
        CHECK_FALSE(chunks[static_cast<std::size_t>(s)].loss);
    }
    // Rank 14's second chunk holds the MTP module, rank 15's the loss (stage s on rank s mod 16).
    CHECK(chunks[30].mtp == 1);
    CHECK(chunks[30].layers == 0);
    CHECK(chunks[31].loss);
    CHECK(chunks[31].layers == 0);
    CHECK(check_pipeline_layout(chunks, 61, 1, 32).empty());
}

TEST_CASE("empty chunks, nested repetitions, commas and spaces") {
    const auto empty = parse_pipeline_layout("E||t|L");
    REQUIRE(empty.size() == 4);
    CHECK(empty[1].layers == 0);
    CHECK(empty[2].layers == 1);
    const auto nested = parse_pipeline_layout("E, ((t|)*2 t*2 |)*2 ,L");
    // ((t|)*2 t*2 |)*2 = t|t|tt| t|t|tt| : chunks "Et", "t", "tt", "t", "t", "tt", "L".
    REQUIRE(nested.size() == 7);
    CHECK(nested[0].layers == 1);
    CHECK(nested[2].layers == 2);
    CHECK(nested[5].layers == 2);
    CHECK(nested[6].loss);
    CHECK(check_pipeline_layout(nested, 8, 0, 7).empty());
}

TEST_CASE("layouts out of model order or malformed are refused, naming what is wrong") {
    CHECK(error_contains("tE|L", "model order"));
    CHECK(error_contains("E|t|L|t", "model order"));
    CHECK(error_contains("E|m|t|L", "model order"));
    CHECK(error_contains("E|t|L|", "L (the loss) must be in the last chunk"));
    CHECK(error_contains("|E|t|L", "E (the embedding) must open the first chunk"));
    CHECK(error_contains("t|L", "expected one E"));
    CHECK(error_contains("E|t", "expected one L"));
    CHECK(error_contains("E|tx|L", "at character 4, 'x'"));
    CHECK(error_contains("E|(tt|L", "a '(' without its ')'"));
    CHECK(error_contains("E|tt)|L", "an unmatched ')'"));
    CHECK(error_contains("E|t*|L", "'*' without a count"));
    CHECK(error_contains("E|t*0|L", "a repetition count of 0"));
    CHECK(error_contains("E|(t*1000)*1000000|L", "over 1,000,000"));
}

TEST_CASE("counts against the model and the layout") {
    const auto chunks = parse_pipeline_layout("Et*3|(tt|)*29,m|L");
    const auto problems = check_pipeline_layout(chunks, 60, 0, 16);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0] == "pipeline_layout has 32 model chunks, the layout 16 (PP x virtual stages)");
    CHECK(problems[1] == "pipeline_layout places 61 transformer layers (t), the model has 60");
    CHECK(problems[2] == "pipeline_layout places 1 MTP modules (m), the model has 0");
}
