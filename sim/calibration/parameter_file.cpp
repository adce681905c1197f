// Writing works on the text, not on a re-serialised table: toml++ reports each value's source
// region (1-based line and column, columns counted in code points, end exclusive), which is
// exactly the span to replace.
#include "calibration/parameter_file.hpp"

#include "config/config_error.hpp"
#include "config/toml_reader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace tcsim::calibration {
namespace {

toml::table parse(const std::string& file, const std::string& text) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw config::ConfigError(file, static_cast<int>(e.source().begin.line),
                                  static_cast<int>(e.source().begin.column), "", std::string(e.description()));
    }
}

/// The inline table { value, source } of `name`.
const toml::table& cited(const std::string& file, const toml::table& root, const std::string& name) {
    const toml::node* node = root.at_path(name).node();
    const toml::table* t = node != nullptr ? node->as_table() : nullptr;
    if (t == nullptr || t->get("value") == nullptr || t->get("source") == nullptr)
        throw config::ConfigError(file, 0, 0, name, "expected an inline table { value = ..., source = \"...\" } here");
    return *t;
}

/// Byte offset of a (1-based line, 1-based code-point column) position in `text`.
std::size_t offset_of(const std::string& text, toml::source_index line, toml::source_index column) {
    std::size_t at = 0;
    for (toml::source_index l = 1; l < line; ++l) {
        at = text.find('\n', at);
        if (at == std::string::npos) return text.size();
        ++at;
    }
    for (toml::source_index c = 1; c < column && at < text.size(); ++c) {
        ++at; // past the first byte of this code point, then past its continuation bytes
        while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0U) == 0x80U) ++at;
    }
    return at;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// Plain ostream output ("0.8732", "640", "1.2e+03") is a valid TOML number (never inf or nan here).
std::string number_text(double x, Digits digits) {
    std::ostringstream out;
    out.precision(digits == Digits::shown ? 4 : 17);
    out << x;
    return out.str();
}

} // namespace

const std::vector<std::string>& parameter_names() {
    static const std::vector<std::string> names{
        "attention_forward",
        "attention_backward",
        "memory",
        "kernel_launch",
        "sustained",
        "gemm_bf16.peak_fraction",
        "gemm_bf16.ceiling",
        "gemm_bf16.m_half",
        "gemm_bf16.n_half",
        "gemm_bf16.mn_half",
        "gemm_bf16.k_half",
        "gemm_fp8.peak_fraction",
        "gemm_fp8.ceiling",
        "gemm_fp8.m_half",
        "gemm_fp8.n_half",
        "gemm_fp8.mn_half",
        "gemm_fp8.k_half",
        "links.nvlink",
        "links.network",
        "links.nvls.nvlink",
        "links.nvls.latency",
        "links.deepep.nvlink",
        "links.deepep.network",
        "links.deepep.low_latency_overhead",
    };
    return names;
}

ParameterKind parameter_kind(const std::string& file, const std::string& name) {
    const auto& names = parameter_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw config::ConfigError(file, 0, 0, name, "not a fittable efficiency parameter (they are: " + list + ")");
    }
    if (name == "kernel_launch" || name == "links.nvls.latency" || name == "links.deepep.low_latency_overhead")
        return ParameterKind::duration;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "_half") == 0) return ParameterKind::size;
    return ParameterKind::fraction;
}

double read_parameter(const std::string& file, const std::string& text, const std::string& name) {
    const ParameterKind kind = parameter_kind(file, name);
    const toml::table root = parse(file, text);
    const toml::table& t = cited(file, root, name);
    if (kind == ParameterKind::duration) {
        const auto s = t["value"].value<std::string>();
        if (!s) throw config::ConfigError(file, 0, 0, name + ".value", "expected a duration like \"4 us\"");
        return units::parse_duration(*s).count();
    }
    const auto x = t["value"].value<double>();
    if (!x) throw config::ConfigError(file, 0, 0, name + ".value", "expected a number");
    return *x;
}

std::string write_parameter(const std::string& file, const std::string& text, const std::string& name, double value,
                            const std::string& source, Digits digits) {
    const ParameterKind kind = parameter_kind(file, name);
    const toml::table root = parse(file, text);
    const toml::table& t = cited(file, root, name);
    const toml::source_region value_at = t.get("value")->source();
    const toml::source_region source_at = t.get("source")->source();
    std::string value_text;
    if (kind == ParameterKind::duration) {
        value_text = "\"" + number_text(value * 1e6, digits) + " us\"";
    } else {
        value_text = number_text(value, digits);
    }
    struct Edit {
        std::size_t begin, end;
        std::string with;
    };
    std::vector<Edit> edits{
        {offset_of(text, value_at.begin.line, value_at.begin.column),
         offset_of(text, value_at.end.line, value_at.end.column), value_text},
        {offset_of(text, source_at.begin.line, source_at.begin.column),
         offset_of(text, source_at.end.line, source_at.end.column), quoted(source)},
    };
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    std::string out = text;
    for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.with);
    return out;
}

std::string efficiency_file_of(const config::ConfigFiles& files, const std::string& cluster_path) {
    config::TomlDocument document(cluster_path, files.read(cluster_path));
    config::TableReader root = document.root();
    return files.resolve(cluster_path, root.string("efficiency"));
}

} // namespace tcsim::calibration
