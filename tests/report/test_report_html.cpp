// The report to publish (report/report_html.hpp), on a report built by hand: its text escaped,
// its sections in the promised order, and each chart with as many bars, marks and points as the
// report's figures call for.
#include "report/report_html.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

using namespace tcsim;

namespace {

constexpr double kDay = 86400.0;

run::RunPhase phase(std::string name, bool extension, double hours) {
    run::RunPhase p;
    p.name = std::move(name);
    p.extension = extension;
    p.seconds = hours * 3600.0;
    return p;
}

economics::FigureCheck days_figure(economics::ClaimBound bound, double value, double high = 0) {
    economics::FigureCheck f;
    f.claimed.quantity = economics::ClaimedQuantity::duration_days;
    f.claimed.scope = economics::kPretraining;
    f.claimed.bound = bound;
    f.claimed.value = value;
    f.claimed.value_high = high;
    f.verdict = economics::Verdict::plausible;
    f.headline = "plausible";
    f.explanation = "Claimed per sec. 3.1, within the simulated band. It implies 40 % MFU.";
    return f;
}

economics::ClaimCheck claim(std::string name, economics::Verdict verdict, std::string headline,
                            std::vector<economics::FigureCheck> figures) {
    economics::ClaimCheck c;
    c.claim.name = std::move(name);
    c.claim.statement = "the words of the claim";
    c.claim.source = "a test article";
    c.verdict = verdict;
    c.headline = std::move(headline);
    for (auto& f : figures) {
        f.verdict = verdict;
        f.headline = c.headline;
    }
    c.figures = std::move(figures);
    c.gpu = "H800-SXM";
    c.gpus = 16;
    return c;
}

// 16 GPUs at $2 per GPU-hour: a 2 h ramp ($64), a 10 h steady phase ($320), a 1 h extension
// ($32); failure samples of 0.5, 1.5, ..., 19.5 days (one per histogram bin of 0.95 days).
report::RunReport make_report() {
    report::RunReport r;
    r.scenario = {"test-cluster", "H800-SXM", "NVIDIA", "test-model", 16, "test model", ""};
    r.run.gpus = 16;
    r.run.phases = {phase("ramp 1/1", false, 2), phase("steady", false, 10), phase("extension 32K", true, 1)};
    r.run.pretrain_seconds = 12 * 3600.0;
    r.run.extension_seconds = 3600.0;
    const economics::RentalPrice price{units::dollars_per_hour(2.0), "2024-12", "test price list"};
    r.pretrain_cost = economics::rental_cost(r.run.pretrain_gpu_hours(), price);
    r.total_cost = economics::rental_cost(r.run.pretrain_gpu_hours() + r.run.extension_gpu_hours(), price);
    r.price_date = price.date;
    r.covers = report::covers_text(true, report::Failures::simulated);
    economics::Assessment a;
    for (int i = 0; i < 20; ++i) {
        run::RunSample s;
        s.pretrain_s = (i + 0.5) * kDay;
        a.failures.samples.push_back(s);
    }
    a.failures.total_s = {1.5 * kDay, 10 * kDay, 18.5 * kDay, 10 * kDay};
    a.rental_usd.total = {400, 500, 600, 500};
    a.rental = price;
    a.power.pue = {1.3, "a PUE source"};
    a.reliability.failures_per_gpu_hour = {1e-5, "a failure-rate source"};
    r.assessment = a;
    // Three claimed durations: one point, one range (two marks); one dollar claim (no mark).
    r.claims.push_back(claim("about ten days", economics::Verdict::plausible, "plausible",
                             {days_figure(economics::ClaimBound::about, 10)}));
    r.claims.push_back(claim("five to fifteen days", economics::Verdict::overstated, "overstated",
                             {days_figure(economics::ClaimBound::between, 5, 15)}));
    economics::FigureCheck dollars;
    dollars.claimed.quantity = economics::ClaimedQuantity::cost_usd;
    dollars.explanation = "Would need an MFU of 250 %.";
    r.claims.push_back(
        claim("cost one dollar", economics::Verdict::implausible, "implausible: would need 250 % MFU", {dollars}));
    r.verdict_rule = "a test rule";
    return r;
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

/// The text of the figure whose id is `id` (up to its closing tag).
std::string figure_text(const std::string& page, const std::string& id) {
    const std::size_t start = page.find("<figure id=\"" + id + "\">");
    if (start == std::string::npos) return "";
    return page.substr(start, page.find("</figure>", start) - start);
}

} // namespace

TEST_CASE("html_escape: the five characters HTML gives meaning to become character references") {
    CHECK(report::html_escape("<a href=\"x\">Tom & Jerry's</a>") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    CHECK(report::html_escape("plain text, 2,048 GPUs") == "plain text, 2,048 GPUs");
}

TEST_CASE("report HTML: hostile claim words and file names stay text") {
    auto r = make_report();
    r.scenario.cluster = "<script>alert(1)</script>";
    r.claims[0].claim.name = "\"><img src=x onerror=alert(2)>";
    r.claims[0].claim.statement = "</blockquote><script>alert(3)</script>";
    r.overrides = {"--set workload.name=<b>bold</b>"};
    const std::string page = report::render_html(r);
    CHECK(count(page, "<script>") == 2); // the page's own error catcher and self-check only
    CHECK(count(page, "alert(1)") == count(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("&lt;/blockquote&gt;&lt;script&gt;alert(3)") != std::string::npos);
    CHECK(page.find("<b>bold</b>") == std::string::npos);
}

TEST_CASE("report HTML: verdicts first, then the glossary, the charts and the sources") {
    const std::string page = report::render_html(make_report());
    const std::size_t verdicts = page.find("<section id=\"verdicts\">");
    const std::size_t glossary = page.find("<section id=\"glossary\">");
    const std::size_t charts = page.find("<section id=\"charts\">");
    const std::size_t sources = page.find("<section id=\"sources\">");
    REQUIRE(verdicts != std::string::npos);
    REQUIRE(glossary != std::string::npos);
    REQUIRE(charts != std::string::npos);
    REQUIRE(sources != std::string::npos);
    CHECK(verdicts < glossary);
    CHECK(glossary < charts);
    CHECK(charts < sources);
    // Each claim: its words, verdict, why and scope, before the glossary.
    const std::string head = page.substr(0, glossary);
    CHECK(count(head, "class=\"claim ") == 3);
    CHECK(head.find("<span class=\"word\">IMPLAUSIBLE</span> cost one dollar") != std::string::npos);
    // One sentence of why: the headline's reason, else the deciding figure's first sentence.
    CHECK(head.find("<p class=\"why\">Would need 250 % MFU.</p>") != std::string::npos);
    CHECK(head.find("<p class=\"why\">Claimed per sec. 3.1, within the simulated band.</p>") != std::string::npos);
    // The full explanation, folded away.
    CHECK(head.find("<li>dollars: Would need an MFU of 250 %.</li>") != std::string::npos);
    CHECK(head.find("Scope: days of pre-training.") != std::string::npos);
    CHECK(head.find("&ldquo;the words of the claim&rdquo;") != std::string::npos);
    // The glossary explains the words the page uses.
    for (const char* word : {"<dt>GPU-hour</dt>", "<dt>MFU</dt>", "<dt>p5&ndash;p95, p50</dt>", "<dt>PUE</dt>",
                             "<dt>Failure-free vs with failures</dt>"})
        CHECK(page.find(word) != std::string::npos);
    // The sources: every claim's, the price's, the datacenter assumptions'.
    const std::string tail = page.substr(sources);
    CHECK(tail.find("a test article") != std::string::npos);
    CHECK(tail.find("test price list (2024-12)") != std::string::npos);
    CHECK(tail.find("a PUE source") != std::string::npos);
    CHECK(tail.find("a failure-rate source") != std::string::npos);
    // Self-contained: nothing fetched from the network.
    CHECK(count(page, "http://") == count(page, "http://www.w3.org/2000/svg"));
    CHECK(page.find("https://") == std::string::npos);
    CHECK(page.find(" src=") == std::string::npos);
}

TEST_CASE("report HTML: the duration histogram has a bar per filled bin and a mark per claimed day") {
    auto r = make_report();
    std::string hist = figure_text(report::render_html(r), "duration-1");
    // 20 samples 0.95 days apart over 19 days in 20 bins of 0.95 days: one sample per bin.
    CHECK(count(hist, "class=\"bar\"><title>") == report::kHistogramBins);
    CHECK(count(hist, "<title>1 sample from") == 20);
    // The point claim (10 days) and the range's two ends (5 and 15 days); not the dollar claim.
    CHECK(count(hist, "class=\"mark\"/>") == 3);
    CHECK(hist.find("about ten days: 10 days (pre-training)") != std::string::npos);
    CHECK(hist.find("five to fifteen days: to 15 days (pre-training)") != std::string::npos);
    // Every claimed duration covers pre-training: the histogram is of pre-training's days.
    CHECK(hist.find(">days of pre-training, with failures<") != std::string::npos);
    r.claims[0].figures[0].claimed.scope = economics::kPretrainingAndExtension;
    hist = figure_text(report::render_html(r), "duration-1");
    CHECK(hist.find(">days, every simulated stage, with failures<") != std::string::npos);
    // Every sample the same: one bar holding them all.
    for (auto& s : r.assessment->failures.samples) s.pretrain_s = 3 * kDay;
    hist = figure_text(report::render_html(r), "duration-1");
    CHECK(count(hist, "class=\"bar\"><title>") == 1);
    CHECK(hist.find("<title>20 samples from") != std::string::npos);
}

TEST_CASE("report HTML: dollars by stage, one bar per phase and the totals") {
    auto r = make_report();
    r.run.phases.push_back(phase("sft", false, 0.5)); // any further phase is drawn too
    const std::string bars = figure_text(report::render_html(r), "dollars-1");
    CHECK(count(bars, "class=\"bar stage-") == 4);
    CHECK(count(bars, "class=\"bar total") == 2);
    // GPU-hours x price: 16 GPUs x 10 h x $2 = $320; 16 x 1 h x $2 = $32; 16 x 2 h x $2 = $64.
    CHECK(bars.find("<title>steady (pre-training): $320</title>") != std::string::npos);
    CHECK(bars.find("<title>extension 32K (context extension): $32</title>") != std::string::npos);
    CHECK(bars.find("<title>ramp 1/1 (pre-training): $64</title>") != std::string::npos);
    CHECK(bars.find("<title>total with failures (p50): $500</title>") != std::string::npos);
}

TEST_CASE("report HTML: post-training stages (SFT, RL) are bars of their own, on their own GPUs") {
    auto r = make_report();
    report::PostTrainingReport sft;
    sft.result.name = "r1-sft";
    sft.result.kind = workload::PostTrainingKind::sft;
    sft.result.run.gpus = 8;
    sft.result.run.phases.push_back(phase("sft", false, 3.0)); // 3 h
    r.post_training.push_back(sft);
    const std::string bars = figure_text(report::render_html(r), "dollars-1");
    CHECK(count(bars, "class=\"bar stage-post\"") == 1);
    // 8 GPUs x 3 h x $2 = $48.
    CHECK(bars.find("<title>r1-sft (SFT): $48</title>") != std::string::npos);
    CHECK(report::render_html(r).find("the totals are pre-training and context extension only") != std::string::npos);
}

TEST_CASE("report HTML: the sensitivity table as a tornado, one bar per input, only when present") {
    auto r = make_report();
    CHECK(figure_text(report::render_html(r), "tornado-1").empty());
    report::UncertaintyReport u;
    u.samples = 1000;
    u.dollars = {300, 500, 800};
    u.sensitivity = {{"workload.model.total_params", 1.6e12, 1.9e12, 90, 110, 350, 700},
                     {"prices.rental.A100", 1.0, 2.0, 100, 100, 400, 600},
                     {"cluster.nic_bandwidth", 200e9, 400e9, 101, 99, 510, 490}};
    r.uncertainty = u;
    const std::string tornado = figure_text(report::render_html(r), "tornado-1");
    CHECK(count(tornado, "class=\"tbar\"") == 3);
    CHECK(count(tornado, "class=\"center\"") == 1);
    // Widest first, as given.
    CHECK(tornado.find("workload.model.total_params") < tornado.find("prices.rental.A100"));
    CHECK(tornado.find("prices.rental.A100") < tornado.find("cluster.nic_bandwidth"));
}

TEST_CASE("report HTML: days and dollars against GPU count, refused counts listed") {
    auto r = make_report();
    CHECK(figure_text(report::render_html(r), "scaling-1").empty());
    report::GpuScaling s;
    s.samples = 100;
    s.points = {{8, "DP8", 2, 2.2, 400, 440, false, ""},
                {16, "DP16", 1, 1.1, 400, 440, true, ""},
                {32, "DP32", 0.5, 0.6, 400, 480, false, ""},
                {64, "", 0, 0, 0, 0, false, "TP4 x PP4 <does not> divide"}};
    r.gpu_scaling = s;
    const std::string chart = figure_text(report::render_html(r), "scaling-1");
    CHECK(count(chart, "<svg class=\"chart\"") == 2); // days, dollars
    CHECK(count(chart, "<circle ") == 6);             // three simulated counts, two panels
    CHECK(count(chart, "class=\"point this-run\"") == 2);
    CHECK(chart.find("64 GPUs: not simulated: TP4 x PP4 &lt;does not&gt; divide") != std::string::npos);
    CHECK(chart.find("100 failure samples each") != std::string::npos);
}

TEST_CASE("report HTML: the same report gives the same bytes") {
    const auto r = make_report();
    CHECK(report::render_html(r) == report::render_html(r));
}
