// Megatron-Core's layout string, expanded by a small recursive-descent reader: a sequence of
// items, each a symbol or a parenthesised sequence, optionally followed by "*n".
#include "workload/pipeline_layout.hpp"

#include <cctype>
#include <stdexcept>

namespace tcsim::workload {

namespace {

/// Expands repetitions: the layout as a flat string of E, t, m, L and | .
class Expander {
public:
    explicit Expander(std::string_view text) : text_(text) {}

    std::string all() {
        std::string out = sequence(0);
        skip();
        if (at_ < text_.size()) fail("an unmatched ')'");
        return out;
    }

private:
    static constexpr std::size_t kMaxExpanded = 1'000'000; ///< far beyond any model's layers

    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument("pipeline layout \"" + std::string(text_) + "\": at character " +
                                    std::to_string(at_ + 1) + ", " + what +
                                    " (expected E, t, m, L, |, (...), *n; e.g. \"Et*3|(tt|)*29,m|L\")");
    }
    void skip() {
        while (at_ < text_.size() && (text_[at_] == ',' || std::isspace(static_cast<unsigned char>(text_[at_])) != 0))
            ++at_;
    }
    std::string sequence(int depth) {
        std::string out;
        for (;;) {
            skip();
            if (at_ >= text_.size() || text_[at_] == ')') return out;
            std::string item;
            const char c = text_[at_];
            if (c == 'E' || c == 't' || c == 'm' || c == 'L' || c == '|') {
                item = std::string(1, c);
                ++at_;
            } else if (c == '(') {
                ++at_;
                if (depth > 16) fail("parentheses nested too deep");
                item = sequence(depth + 1);
                skip();
                if (at_ >= text_.size() || text_[at_] != ')') fail("a '(' without its ')'");
                ++at_;
            } else {
                fail(std::string("'") + c + "'");
            }
            skip();
            if (at_ < text_.size() && text_[at_] == '*') {
                ++at_;
                skip();
                long long n = 0;
                const std::size_t start = at_;
                while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_])) != 0) {
                    n = n * 10 + (text_[at_] - '0');
                    if (n > static_cast<long long>(kMaxExpanded)) fail("a repetition count above 1,000,000");
                    ++at_;
                }
                if (at_ == start) fail("'*' without a count");
                if (n < 1) fail("a repetition count of 0");
                if (item.size() * static_cast<std::size_t>(n) > kMaxExpanded) fail("a layout of over 1,000,000 parts");
                std::string repeated;
                for (long long i = 0; i < n; ++i) repeated += item;
                item = std::move(repeated);
            }
            out += item;
            if (out.size() > kMaxExpanded) fail("a layout of over 1,000,000 parts");
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

} // namespace

std::vector<LayoutChunk> parse_pipeline_layout(std::string_view text) {
    const std::string flat = Expander(text).all();
    const auto bad = [&](const std::string& what) {
        throw std::invalid_argument("pipeline layout \"" + std::string(text) + "\": " + what);
    };
    std::vector<LayoutChunk> out(1);
    // Model order: 0 embedding, 1 layers, 2 MTP modules, 3 loss.
    int phase = 0;
    int embeddings = 0, losses = 0;
    for (const char c : flat) {
        LayoutChunk& chunk = out.back();
        int part = 0;
        switch (c) {
        case '|': out.emplace_back(); continue;
        case 'E': part = 0; ++embeddings; chunk.embedding = true; break;
        case 't': part = 1; ++chunk.layers; break;
        case 'm': part = 2; ++chunk.mtp; break;
        case 'L': part = 3; ++losses; chunk.loss = true; break;
        default: bad(std::string("unexpected '") + c + "'");
        }
        if (part < phase || (part == 3 && losses > 1) || (part == 0 && embeddings > 1))
            bad("the parts must come in model order, each once where it is one: E first, then the layers (t), then "
                "the MTP modules (m), then L last");
        if (part == 0 && (out.size() > 1 || chunk.layers > 0))
            bad("E (the embedding) must open the first chunk");
        phase = part;
    }
    if (embeddings != 1) bad("expected one E (the embedding), found " + std::to_string(embeddings));
    if (losses != 1) bad("expected one L (the loss), found " + std::to_string(losses));
    if (!out.back().loss) bad("L (the loss) must be in the last chunk");
    return out;
}

std::vector<std::string> check_pipeline_layout(const std::vector<LayoutChunk>& layout, int layers, int mtp_modules,
                                               int chunks) {
    std::vector<std::string> problems;
    int t = 0, m = 0;
    for (const LayoutChunk& c : layout) {
        t += c.layers;
        m += c.mtp;
    }
    if (static_cast<int>(layout.size()) != chunks)
        problems.push_back("pipeline_layout has " + std::to_string(layout.size()) + " model chunks, the layout " +
                           std::to_string(chunks) + " (PP x virtual stages)");
    if (t != layers)
        problems.push_back("pipeline_layout places " + std::to_string(t) + " transformer layers (t), the model has " +
                           std::to_string(layers));
    if (m != mtp_modules)
        problems.push_back("pipeline_layout places " + std::to_string(m) + " MTP modules (m), the model has " +
                           std::to_string(mtp_modules));
    return problems;
}

} // namespace tcsim::workload
