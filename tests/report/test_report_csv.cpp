// The CSV writers (report/report_csv.hpp), read back with an RFC 4180 reader written here from
// the RFC's grammar (section 2): records end with CRLF; a field is quoted when it holds a comma,
// a quote or a line break, and a quote inside a quoted field is doubled.
#include "report/csv_text.hpp"
#include "report/report_csv.hpp"
#include "report/report_json.hpp"
#include "report/report_table.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace tcsim;

namespace {

using Records = std::vector<std::vector<std::string>>;

/// RFC 4180 section 2 (rules 1-7), strictly: a record that does not end with CRLF fails the test.
Records parse_csv(const std::string& text) {
    Records records;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '"') {
            ++i;
            for (;;) {
                REQUIRE(i < text.size()); // an unterminated quoted field
                if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    i += 2;
                } else if (text[i] == '"') {
                    ++i;
                    break;
                } else {
                    field += text[i++];
                }
            }
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field += text[i++];
        }
        REQUIRE(i < text.size());
        if (text[i] == ',') {
            record.push_back(field);
            field.clear();
            ++i;
            continue;
        }
        REQUIRE(text.compare(i, 2, "\r\n") == 0);
        record.push_back(field);
        field.clear();
        records.push_back(record);
        record.clear();
        i += 2;
    }
    return records;
}

/// Each record after the header as a map from column name to field.
std::vector<std::map<std::string, std::string>> rows_of(const std::string& text) {
    const Records records = parse_csv(text);
    REQUIRE(records.size() >= 1);
    std::vector<std::map<std::string, std::string>> rows;
    for (std::size_t r = 1; r < records.size(); ++r) {
        REQUIRE(records[r].size() == records[0].size()); // every record has the header's fields
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < records[0].size(); ++c) row[records[0][c]] = records[r][c];
        rows.push_back(row);
    }
    return rows;
}

double number(const std::string& field) {
    char* end = nullptr;
    const double x = std::strtod(field.c_str(), &end);
    REQUIRE(end == field.c_str() + field.size());
    return x;
}

run::RunPhase phase(std::string name, bool extension, int seq_len, int batch, double steps, double step_s) {
    run::RunPhase p;
    p.name = std::move(name);
    p.extension = extension;
    p.seq_len = seq_len;
    p.global_batch_sequences = batch;
    p.steps = steps;
    p.tokens = steps * batch * seq_len;
    p.seconds = steps * step_s;
    p.step.step_seconds = step_s;
    p.step.breakdown = {0.7 * step_s, 0.2 * step_s, 0.1 * step_s};
    p.step.mfu = 0.4;
    p.parallel.tp = 8;
    p.parallel.pp = 2;
    p.parallel.dp = 1;
    return p;
}

// 16 GPUs: a steady phase of 8,640 steps of 10 s (86,400 s = 1 day) and an extension of 432 steps
// of 20 s (8,640 s = 0.1 day); at $2 per GPU-hour, 16 x 26.4 h = 422.4 GPU-hours = $844.80.
report::RunReport make_report() {
    report::RunReport r;
    // A cluster name with a comma and quotes, a workload name with a line break: RFC 4180 quoting.
    r.scenario = {"a \"big\", fast cluster", "H800-SXM", "NVIDIA", "two\nlines", 16, "m", ""};
    r.overrides = {"--tp 8", "--set x=\"1, 2\""};
    r.run.gpus = 16;
    r.run.phases = {phase("steady", false, 4096, 64, 8640, 10.0), phase("extension 32K", true, 32768, 8, 432, 20.0)};
    r.run.pretrain_seconds = 86400;
    r.run.extension_seconds = 8640;
    const economics::RentalPrice price{units::dollars_per_hour(2.0), "2024-12", "test"};
    r.pretrain_cost = economics::rental_cost(r.run.pretrain_gpu_hours(), price);
    r.total_cost = economics::rental_cost(r.run.pretrain_gpu_hours() + r.run.extension_gpu_hours(), price);
    return r;
}

} // namespace

TEST_CASE("csv_field quotes exactly the fields that need it (RFC 4180 section 2, rules 5-7)") {
    CHECK(report::csv_field("plain") == "plain");
    CHECK(report::csv_field("a,b") == "\"a,b\"");
    CHECK(report::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(report::csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(report::csv_record({"a", "b,c"}) == "a,\"b,c\"\r\n");
}

TEST_CASE("run CSV: one row per phase and the failure-free total, read back as written") {
    const report::RunReport r = make_report();
    const auto rows = rows_of(report::render_csv({&r}));
    REQUIRE(rows.size() == 3); // 2 phases + the total (no assessment: no row with failures)
    CHECK(rows[0].at("cluster") == "a \"big\", fast cluster");
    CHECK(rows[0].at("workload") == "two\nlines");
    CHECK(rows[0].at("overrides") == "--tp 8; --set x=\"1, 2\"");
    CHECK(rows[0].at("gpus") == "16");
    CHECK(rows[0].at("row") == "steady");
    CHECK(rows[0].at("extension") == "false");
    CHECK(number(rows[0].at("days")) == doctest::Approx(1.0));
    CHECK(number(rows[0].at("step_time_s")) == doctest::Approx(10.0));
    CHECK(number(rows[0].at("compute_s")) == doctest::Approx(7.0));
    CHECK(number(rows[0].at("tokens")) == doctest::Approx(8640.0 * 64 * 4096));
    CHECK(rows[0].at("gpu_hours").empty()); // totals only
    CHECK(rows[1].at("extension") == "true");
    CHECK(number(rows[1].at("seq_len")) == 32768);
    CHECK(rows[2].at("row") == "total (failure-free)");
    CHECK(number(rows[2].at("days")) == doctest::Approx(1.1));
    CHECK(number(rows[2].at("gpu_hours")) == doctest::Approx(422.4));
    CHECK(number(rows[2].at("cost_usd")) == doctest::Approx(844.8));
    CHECK(rows[2].at("step_time_s").empty());
}

TEST_CASE("claims CSV with no claims is its header alone") {
    const report::RunReport r = make_report();
    const auto records = parse_csv(report::render_claims_csv({&r}));
    REQUIRE(records.size() == 1);
    CHECK(records[0].front() == "claim");
    CHECK(records[0].back() == "overrides");
}

TEST_CASE("the report header names the overrides in the table and the JSON; without them JSON has no key") {
    report::RunReport r = make_report();
    r.builtin_inputs = {"/tmp/gpus.toml (built-in topologies/gpus.toml)"};
    const std::string table = report::render_table(r);
    CHECK(table.find("  overrides: --tp 8, --set x=\"1, 2\"\n") != std::string::npos);
    CHECK(table.find("built-in (not found on disk): /tmp/gpus.toml (built-in topologies/gpus.toml)") !=
          std::string::npos);
    const auto json = nlohmann::json::parse(report::render_json(r));
    CHECK(json["overrides"] == nlohmann::json::array({"--tp 8", "--set x=\"1, 2\""}));
    CHECK(json["builtin_inputs"].size() == 1);
    r.overrides.clear();
    r.builtin_inputs.clear();
    const auto plain = nlohmann::json::parse(report::render_json(r));
    CHECK_FALSE(plain.contains("overrides"));
    CHECK_FALSE(plain.contains("builtin_inputs"));
}
