// The reader keeps, per table, the set of keys that loaders asked for. Recording requests
// rather than successful reads is what lets `finish()` suggest the right spelling of an
// optional key that was absent because it was misspelt.
#include "config/toml_reader.hpp"

#include "config/spelling.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

namespace tcsim::config {
namespace {

int to_int(toml::source_index i) {
    return i > static_cast<toml::source_index>(std::numeric_limits<int>::max()) ? std::numeric_limits<int>::max()
                                                                                : static_cast<int>(i);
}

std::string format_number(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

/// What a node is, for "found ..." in messages: `integer 400`, `string "abc"`, `table`.
std::string describe(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string: return "string \"" + std::string(*node.value<std::string_view>()) + "\"";
    case toml::node_type::integer: return "integer " + std::to_string(*node.value<std::int64_t>());
    case toml::node_type::floating_point: return "floating-point number " + format_number(*node.value_exact<double>());
    case toml::node_type::boolean: return std::string("boolean ") + (*node.value<bool>() ? "true" : "false");
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::string_view bound_word(Bound bound) {
    switch (bound) {
    case Bound::any: return "";
    case Bound::non_negative: return "non-negative ";
    case Bound::positive: return "positive ";
    }
    return "";
}

/// "a positive integer", "an integer", "a non-negative number".
std::string bounded(std::string_view noun, Bound bound) {
    const std::string_view word = bound_word(bound);
    const std::string phrase = std::string(word) + std::string(noun);
    const bool vowel = !phrase.empty() && std::string_view("aeiou").find(phrase.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + phrase;
}

bool within(double x, Bound bound) {
    switch (bound) {
    case Bound::any: return true;
    case Bound::non_negative: return x >= 0.0;
    case Bound::positive: return x > 0.0;
    }
    return true;
}

/// Where a node or key is: its line and column in the file, or, for one an override put there,
/// the override's origin ("--tp 3"), which toml++ keeps as the node's source path.
struct Position {
    int line = 0;
    int column = 0;
    std::string origin; ///< empty: the file itself
};

Position position_of(const toml::source_region& region, const std::string& file) {
    if (region.path && !region.path->empty() && *region.path != file) return {0, 0, *region.path};
    return {to_int(region.begin.line), to_int(region.begin.column), {}};
}

/// The error at `where` in `file`: an override's names its origin and the file it overrides.
ConfigError error_at(const std::string& file, Position where, const std::string& key, const std::string& problem) {
    if (!where.origin.empty()) return ConfigError(where.origin + " (overriding " + file + ")", 0, 0, key, problem);
    if (where.line == 0) where.line = where.column = 1; // the root table has no header of its own
    return ConfigError(file, where.line, where.column, key, problem);
}

struct UnknownKey {
    Position where;
    std::string path;
    std::string name;
    std::vector<std::string> known;
};

using KnownKeys = std::map<const toml::table*, std::set<std::string, std::less<>>>;

void collect_unknown(const KnownKeys& known, const std::string& file, const toml::table& table, const std::string& path,
                     std::vector<UnknownKey>& out);

void collect_in_node(const KnownKeys& known, const std::string& file, const toml::node& node, const std::string& path,
                     std::vector<UnknownKey>& out) {
    if (const auto* t = node.as_table()) {
        collect_unknown(known, file, *t, path, out);
    } else if (const auto* a = node.as_array()) {
        for (std::size_t i = 0; i < a->size(); ++i)
            collect_in_node(known, file, *a->get(i), path + "[" + std::to_string(i) + "]", out);
    }
}

void collect_unknown(const KnownKeys& known, const std::string& file, const toml::table& table, const std::string& path,
                     std::vector<UnknownKey>& out) {
    const auto it = known.find(&table);
    static const std::set<std::string, std::less<>> none;
    const auto& asked = it == known.end() ? none : it->second;
    for (const auto& [key, node] : table) {
        const std::string child = path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
        if (asked.find(key.str()) == asked.end()) {
            out.push_back({position_of(key.source(), file), path, std::string(key.str()),
                           std::vector<std::string>(asked.begin(), asked.end())});
        } else {
            collect_in_node(known, file, node, child, out);
        }
    }
}

/// `text` as a TOML basic string: quoted, with backslashes, quotes and control characters escaped.
std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out + '"';
}

/// One override as a document of its own, `KEY = VALUE`, parsed with the override's origin as
/// the source path of every node it makes (so that messages about them name the origin).
toml::table parse_override(const KeyOverride& o, const std::string& file) {
    if (o.value.find_first_of("\r\n") != std::string::npos)
        throw ConfigError(o.origin, "a value must be on one line (overriding " + file + ")");
    try {
        return toml::parse(o.key + " = " + o.value, o.origin);
    } catch (const toml::parse_error&) {
        // Not a TOML value: the text itself, as a string ("400 Gb/s" needs no inner quotes).
    }
    try {
        return toml::parse(o.key + " = " + toml_string(o.value), o.origin);
    } catch (const toml::parse_error& e) {
        throw ConfigError(o.origin, "expected a key path of " + file + " written as TOML (e.g. fabric.kind), found \"" +
                                        o.key + "\": " + std::string(e.description()));
    }
}

/// Puts the keys of `from` into `into`: tables present in both are merged key by key, anything
/// else replaces what `into` holds under that key (or is added).
void merge_override(toml::table& into, toml::table& from, const std::string& path, const KeyOverride& o,
                    const std::string& file) {
    for (auto&& [key, node] : from) {
        const std::string child = path.empty() ? std::string(key.str()) : path + "." + std::string(key.str());
        toml::node* existing = into.get(key.str());
        if (existing != nullptr && existing->is_array_of_tables())
            throw ConfigError(o.origin, "key '" + child + "' of " + file + " is an array of tables ([[" + child +
                                            "]]); its entries cannot be overridden one by one: edit the file");
        if (existing != nullptr && existing->is_table() && node.is_table()) {
            merge_override(*existing->as_table(), *node.as_table(), child, o, file);
            continue;
        }
        into.insert_or_assign(key, std::move(node));
    }
}

} // namespace

namespace detail {

/// The parsed file, the tables readers were opened on (a reader names its table by index) and,
/// per table, the keys asked for.
struct TomlTree {
    std::string file;
    toml::table root;
    UncertainValues* uncertain = nullptr; ///< where uncertain values go; nullptr: refused
    FileKind kind = FileKind::workload;
    std::vector<const toml::table*> tables;
    std::map<const toml::table*, std::size_t> index;
    std::map<const toml::table*, std::set<std::string, std::less<>>> known;

    std::size_t index_of(const toml::table& table) {
        const auto [it, fresh] = index.try_emplace(&table, tables.size());
        if (fresh) {
            tables.push_back(&table);
            known.try_emplace(&table);
        }
        return it->second;
    }
};

} // namespace detail

// ---------------------------------------------------------------------------------------------
// TomlDocument

TomlDocument::TomlDocument(std::string file, std::string_view text, std::span<const KeyOverride> overrides)
    : tree_(std::make_unique<detail::TomlTree>()) {
    tree_->file = std::move(file);
    try {
        tree_->root = toml::parse(text, tree_->file);
    } catch (const toml::parse_error& e) {
        const Position p = position_of(e.source(), tree_->file);
        throw ConfigError(tree_->file, p.line, p.column, std::string(),
                          "TOML syntax error: " + std::string(e.description()));
    }
    for (const KeyOverride& o : overrides) {
        toml::table parsed = parse_override(o, tree_->file);
        merge_override(tree_->root, parsed, std::string(), o, tree_->file);
    }
}

TomlDocument::~TomlDocument() = default;

TableReader TomlDocument::root() { return TableReader(*tree_, tree_->index_of(tree_->root), std::string()); }

void TomlDocument::finish() { root().finish(); }

void TomlDocument::accept_uncertain(FileKind kind, UncertainValues& into) {
    tree_->uncertain = &into;
    tree_->kind = kind;
}

const std::string& TomlDocument::file() const { return tree_->file; }

// ---------------------------------------------------------------------------------------------
// TableReader: plumbing

/// What touches toml++ nodes, as members of TableReader's own (so toml++ stays out of the header).
struct TableReader::Nodes {
    static const toml::table& table(const TableReader& r) { return *r.tree_->tables[r.table_]; }
    static TableReader open(TableReader& r, const toml::table& t, std::string path) {
        return TableReader(*r.tree_, r.tree_->index_of(t), std::move(path));
    }

    /// The node under `key` (nullptr if absent); marks the key known.
    static const toml::node* lookup(TableReader& r, std::string_view key) {
        r.tree_->known[&table(r)].emplace(key);
        return table(r).get(key);
    }

    /// The node under `key`, or a "missing" error naming `expectation` when `required`.
    static const toml::node* find(TableReader& r, std::string_view key, bool required, std::string_view expectation) {
        const toml::node* node = lookup(r, key);
        if (node != nullptr || !required) return node;
        std::string problem = "required key is missing; expected " + std::string(expectation);
        // A present key that nobody asked for and that is spelt almost like the missing one is
        // most likely the missing one, misspelt: point there.
        const toml::table& t = table(r);
        const auto& known = r.tree_->known[&t];
        std::vector<std::string> strays;
        for (const auto& [k, v] : t)
            if (known.find(k.str()) == known.end()) strays.emplace_back(k.str());
        if (const auto near = closest_spelling(key, strays)) {
            const toml::key* stray = nullptr;
            for (const auto& [k, v] : t)
                if (k.str() == *near) stray = &k;
            throw error_at(r.tree_->file, position_of(stray->source(), r.tree_->file), r.key_path(key),
                           problem + " (is '" + *near + "' here a misspelling of it?)");
        }
        r.fail(key, problem);
    }

    [[noreturn]] static void fail_at(const TableReader& r, const toml::node* node, std::string_view key,
                                     const std::string& problem) {
        throw error_at(r.tree_->file, position_of(node != nullptr ? node->source() : table(r).source(), r.tree_->file),
                       r.key_path(key), problem);
    }

    [[noreturn]] static void wrong_type(const TableReader& r, const toml::node& node, std::string_view key,
                                        std::string_view expectation) {
        fail_at(r, &node, key, "expected " + std::string(expectation) + ", found " + describe(node));
    }

    [[noreturn]] static void bound_error(const TableReader& r, const toml::node& node, std::string_view key,
                                         std::string_view what, Bound bound, const std::string& found) {
        std::string problem = "expected " + bounded(what, bound) + ", found " + found;
        if (bound == Bound::positive) problem += " (must be greater than zero)";
        fail_at(r, &node, key, problem);
    }

    /// What an uncertain value's elements are.
    enum class Element { number, integer, quantity };

    /// Reads the range or distribution table `t` under `key` (element kind `element`; `check`
    /// gives the problem with one element's value, or "" when fine: its sign, range and, for a
    /// quantity, its unit), records it and returns its median. A quantity's elements are texts
    /// "<number> <unit>", the number and the unit split here, the unit the same for every element.
    /// `median_text` receives the median as a loader reads it (a quantity's unquoted).
    static double uncertain(TableReader& r, const toml::table& t, std::string_view key, Element element,
                            const std::function<std::string(double, std::string_view)>& check, double min, double max,
                            std::string* median_text = nullptr) {
        const std::string range_forms = "{low = A, high = B} (dist = \"uniform\" or \"log-uniform\"), "
                                        "{p5 = A, p95 = B} or {values = [A, B, ...]}, with an optional source";
        UncertainValue v;
        v.kind = r.tree_->kind;
        v.file = r.tree_->file;
        v.key = r.key_path(key);
        v.integer = element == Element::integer;
        v.min = min;
        v.max = max;
        const Position p = position_of(t.source(), r.tree_->file);
        v.where =
            p.origin.empty() ? r.tree_->file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : p.origin;
        for (const auto& [k, node] : t) {
            const std::string_view name = k.str();
            if (name != "low" && name != "high" && name != "dist" && name != "p5" && name != "p95" &&
                name != "values" && name != "source")
                throw error_at(r.tree_->file, position_of(k.source(), r.tree_->file), v.key + "." + std::string(name),
                               "unknown key '" + std::string(name) + "' in a range; expected " + range_forms);
            r.tree_->known[&t].emplace(name); // read here, so finish() passes it
        }
        // One element: its number (a quantity's in the unit written), checked.
        bool unit_known = false;
        const auto read = [&](const toml::node& node, const std::string& where_key) -> double {
            double x = 0;
            std::string spelled;
            if (element == Element::quantity) {
                const auto s = node.value_exact<std::string>();
                if (!s) wrong_type(r, node, where_key, "a string like \"2 USD/h\"");
                spelled = *s;
                const char* begin = spelled.c_str();
                char* end = nullptr;
                x = std::strtod(begin, &end);
                std::string unit(end);
                unit.erase(0, unit.find_first_not_of(' '));
                if (end == begin || unit.empty())
                    fail_at(r, &node, where_key,
                            "expected a number and a unit like \"2 USD/h\", found \"" + spelled + "\"");
                if (!unit_known) {
                    v.unit = unit;
                    unit_known = true;
                } else if (unit != v.unit) {
                    fail_at(r, &node, where_key,
                            "every end of a range is written in the same unit: expected \"" + v.unit + "\", found \"" +
                                unit + "\"");
                }
            } else if (element == Element::integer) {
                const auto i = node.value_exact<std::int64_t>();
                if (!i)
                    fail_at(r, &node, where_key,
                            "this key takes integers only: expected an integer, found " + describe(node));
                x = static_cast<double>(*i);
            } else {
                if (!node.is_number()) wrong_type(r, node, where_key, "a number");
                x = node.is_integer() ? static_cast<double>(*node.value_exact<std::int64_t>())
                                      : *node.value_exact<double>();
                if (!std::isfinite(x))
                    fail_at(r, &node, where_key, "expected a finite number, found " + describe(node));
            }
            if (const std::string problem = check(x, spelled); !problem.empty()) fail_at(r, &node, where_key, problem);
            return x;
        };
        const auto text = [&](const toml::node& node) {
            if (element == Element::quantity) return "\"" + std::string(*node.value_exact<std::string>()) + "\"";
            if (const auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
            if (const auto x = node.value_exact<double>()) return format_number(*x);
            return describe(node);
        };
        const std::string path(key); // relative to r, as fail_at takes it
        const toml::node* low = t.get("low");
        const toml::node* high = t.get("high");
        const toml::node* p5 = t.get("p5");
        const toml::node* p95 = t.get("p95");
        const toml::node* values = t.get("values");
        const int forms = (low != nullptr || high != nullptr ? 1 : 0) + (p5 != nullptr || p95 != nullptr ? 1 : 0) +
                          (values != nullptr ? 1 : 0);
        if (forms != 1)
            fail_at(r, &t, key, "expected one of " + range_forms + (forms == 0 ? ", found none" : ", found several"));
        if (const toml::node* dist = t.get("dist"); dist != nullptr && low == nullptr && high == nullptr)
            fail_at(r, dist, path + ".dist", "'dist' goes with {low, high} only");
        if (const toml::node* source = t.get("source")) {
            const auto s = source->value_exact<std::string>();
            if (!s || s->empty())
                fail_at(r, source, path + ".source", "expected a non-empty string, found " + describe(*source));
            v.source = *s;
        }
        if (low != nullptr || high != nullptr) {
            if (low == nullptr || high == nullptr)
                fail_at(r, &t, key, "a range needs both 'low' and 'high'; expected " + range_forms);
            v.a = read(*low, path + ".low");
            v.b = read(*high, path + ".high");
            v.distribution = Distribution::uniform;
            if (const toml::node* dist = t.get("dist")) {
                const auto d = dist->value_exact<std::string>();
                if (d && *d == "log-uniform") {
                    v.distribution = Distribution::log_uniform;
                } else if (!d || *d != "uniform") {
                    fail_at(r, dist, path + ".dist",
                            "expected \"uniform\" or \"log-uniform\", found " + describe(*dist));
                }
            }
            if (!(v.a < v.b))
                fail_at(r, low, path, "expected low < high, found low = " + text(*low) + " and high = " + text(*high));
            if (v.distribution == Distribution::log_uniform && !(v.a > 0))
                fail_at(r, low, path + ".low", "a log-uniform range needs low > 0, found " + text(*low));
            v.written = "{low = " + text(*low) + ", high = " + text(*high) +
                        (v.distribution == Distribution::log_uniform ? ", dist = \"log-uniform\"}" : "}");
        } else if (p5 != nullptr || p95 != nullptr) {
            if (p5 == nullptr || p95 == nullptr)
                fail_at(r, &t, key, "a log-normal needs both 'p5' and 'p95'; expected " + range_forms);
            v.a = read(*p5, path + ".p5");
            v.b = read(*p95, path + ".p95");
            v.distribution = Distribution::log_normal;
            if (!(v.a > 0)) fail_at(r, p5, path + ".p5", "a log-normal needs p5 > 0, found " + text(*p5));
            if (!(v.a < v.b))
                fail_at(r, p5, path, "expected p5 < p95, found p5 = " + text(*p5) + " and p95 = " + text(*p95));
            v.written = "{p5 = " + text(*p5) + ", p95 = " + text(*p95) + "}";
        } else {
            const toml::array* a = values->as_array();
            if (a == nullptr) wrong_type(r, *values, path + ".values", "an array of values");
            if (a->size() < 2)
                fail_at(r, values, path + ".values",
                        "expected at least two values, found " + std::to_string(a->size()));
            v.distribution = Distribution::values;
            v.written = "{values = [";
            for (std::size_t i = 0; i < a->size(); ++i) {
                v.values.push_back(read(*a->get(i), path + ".values[" + std::to_string(i) + "]"));
                v.written += (i > 0 ? ", " : "") + text(*a->get(i));
            }
            v.written += "]}";
            std::sort(v.values.begin(), v.values.end());
        }
        const double median = v.median();
        if (median_text != nullptr) {
            *median_text = v.toml_text(median); // a quantity's: quoted
            if (element == Element::quantity) *median_text = median_text->substr(1, median_text->size() - 2);
        }
        r.tree_->uncertain->add(std::move(v));
        return median;
    }
};

TableReader::TableReader(detail::TomlTree& tree, std::size_t table, std::string path)
    : tree_(&tree), table_(table), path_(std::move(path)) {}

const std::string& TableReader::file() const { return tree_->file; }

std::string TableReader::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void TableReader::fail(std::string_view key, const std::string& problem) const {
    Nodes::fail_at(*this, Nodes::table(*this).get(key), key, problem);
}

void TableReader::fail(const std::string& problem) const {
    throw error_at(tree_->file, position_of(Nodes::table(*this).source(), tree_->file), path_, problem);
}

void TableReader::bound_error(std::string_view key, std::string_view what, Bound bound,
                              const std::string& found) const {
    Nodes::bound_error(*this, *Nodes::table(*this).get(key), key, what, bound, found);
}

// ---------------------------------------------------------------------------------------------
// Strings

std::optional<std::string> TableReader::optional_string(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, false, "a string");
    if (node == nullptr) return std::nullopt;
    const auto s = node->value_exact<std::string>();
    if (!s) Nodes::wrong_type(*this, *node, key, "a string");
    return *s;
}

std::string TableReader::string(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, true, "a string");
    const auto s = node->value_exact<std::string>();
    if (!s) Nodes::wrong_type(*this, *node, key, "a string");
    if (s->empty()) Nodes::fail_at(*this, node, key, "expected a non-empty string, found \"\"");
    return *s;
}

std::string TableReader::string_or(std::string_view key, std::string fallback) {
    auto s = optional_string(key);
    return s ? std::move(*s) : std::move(fallback);
}

// ---------------------------------------------------------------------------------------------
// Integers and numbers

std::optional<std::int64_t> TableReader::integer_in(std::string_view key, Bound bound, bool required, std::int64_t lo,
                                                    std::int64_t hi) {
    const std::string expectation = bounded("integer", bound);
    const toml::node* node = Nodes::find(*this, key, required, expectation);
    if (node == nullptr) return std::nullopt;
    if (const toml::table* t = node->as_table(); t != nullptr && tree_->uncertain != nullptr) {
        const auto check = [&](double x, std::string_view) -> std::string {
            if (!within(x, bound)) return "expected " + bounded("integer", bound) + ", found " + format_number(x);
            if (x < static_cast<double>(lo) || x > static_cast<double>(hi))
                return "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
                       format_number(x);
            return "";
        };
        return static_cast<std::int64_t>(Nodes::uncertain(*this, *t, key, Nodes::Element::integer, check,
                                                          static_cast<double>(lo), static_cast<double>(hi)));
    }
    const auto v = node->value_exact<std::int64_t>();
    if (!v) Nodes::wrong_type(*this, *node, key, expectation);
    if (!within(static_cast<double>(*v), bound))
        Nodes::bound_error(*this, *node, key, "integer", bound, std::to_string(*v));
    if (*v < lo || *v > hi)
        Nodes::fail_at(*this, node, key,
                       "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
                           std::to_string(*v));
    return *v;
}

std::optional<int> TableReader::optional_integer(std::string_view key, Bound bound) {
    const auto v = integer_in(key, bound, false, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

int TableReader::integer(std::string_view key, Bound bound) {
    return static_cast<int>(
        *integer_in(key, bound, true, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

int TableReader::integer_or(std::string_view key, int fallback, Bound bound) {
    return optional_integer(key, bound).value_or(fallback);
}

std::int64_t TableReader::integer64(std::string_view key, Bound bound) {
    return *integer_in(key, bound, true, std::numeric_limits<std::int64_t>::min(),
                       std::numeric_limits<std::int64_t>::max());
}

std::optional<std::int64_t> TableReader::optional_integer64(std::string_view key, Bound bound) {
    return integer_in(key, bound, false, std::numeric_limits<std::int64_t>::min(),
                      std::numeric_limits<std::int64_t>::max());
}

namespace {
/// The sign a range implies, so that a value of the wrong sign is refused as before ("expected a
/// positive integer, found 0 (must be greater than zero)") and the range names the rest.
Bound implied(double min) { return min > 0 ? Bound::positive : min >= 0 ? Bound::non_negative : Bound::any; }
} // namespace

int TableReader::integer(std::string_view key, IntRange range) {
    return static_cast<int>(*integer_in(key, implied(static_cast<double>(range.min)), true, range.min, range.max));
}

std::optional<int> TableReader::optional_integer(std::string_view key, IntRange range) {
    const auto v = integer_in(key, implied(static_cast<double>(range.min)), false, range.min, range.max);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

int TableReader::integer_or(std::string_view key, int fallback, IntRange range) {
    return optional_integer(key, range).value_or(fallback);
}

std::int64_t TableReader::integer64(std::string_view key, IntRange range) {
    return *integer_in(key, implied(static_cast<double>(range.min)), true, range.min, range.max);
}

std::optional<std::int64_t> TableReader::optional_integer64(std::string_view key, IntRange range) {
    return integer_in(key, implied(static_cast<double>(range.min)), false, range.min, range.max);
}

double TableReader::number(std::string_view key, Range range) {
    return *number_in(key, implied(range.min), true, range);
}

std::optional<double> TableReader::optional_number(std::string_view key, Range range) {
    return number_in(key, implied(range.min), false, range);
}

double TableReader::number_or(std::string_view key, double fallback, Range range) {
    return number_in(key, implied(range.min), false, range).value_or(fallback);
}

std::optional<double> TableReader::number_in(std::string_view key, Bound bound, bool required,
                                             std::optional<Range> range) {
    const std::string expectation = bounded("number", bound);
    const toml::node* node = Nodes::find(*this, key, required, expectation);
    if (node == nullptr) return std::nullopt;
    if (const toml::table* t = node->as_table(); t != nullptr && tree_->uncertain != nullptr) {
        const auto check = [&](double x, std::string_view) -> std::string {
            if (!within(x, bound))
                return "expected " + bounded("number", bound) + ", found " + format_number(x) +
                       (bound == Bound::positive ? " (must be greater than zero)" : "");
            if (range && (x < range->min || x > range->max))
                return "expected a number from " + format_number(range->min) + " to " + format_number(range->max) +
                       ", found " + format_number(x);
            return "";
        };
        return Nodes::uncertain(*this, *t, key, Nodes::Element::number, check,
                                range ? range->min : -std::numeric_limits<double>::max(),
                                range ? range->max : std::numeric_limits<double>::max());
    }
    if (!node->is_number()) Nodes::wrong_type(*this, *node, key, expectation);
    const double x =
        node->is_integer() ? static_cast<double>(*node->value_exact<std::int64_t>()) : *node->value_exact<double>();
    if (!std::isfinite(x)) Nodes::fail_at(*this, node, key, "expected a finite number, found " + describe(*node));
    if (!within(x, bound)) Nodes::bound_error(*this, *node, key, "number", bound, format_number(x));
    if (range && (x < range->min || x > range->max))
        Nodes::fail_at(*this, node, key,
                       "expected a number from " + format_number(range->min) + " to " + format_number(range->max) +
                           ", found " + format_number(x));
    return x;
}

double TableReader::number(std::string_view key, Bound bound) { return *number_in(key, bound, true); }

std::optional<double> TableReader::optional_number(std::string_view key, Bound bound) {
    return number_in(key, bound, false);
}

double TableReader::number_or(std::string_view key, double fallback, Bound bound) {
    return number_in(key, bound, false).value_or(fallback);
}

// ---------------------------------------------------------------------------------------------
// Booleans

std::optional<bool> TableReader::optional_boolean(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, false, "true or false");
    if (node == nullptr) return std::nullopt;
    const auto b = node->value_exact<bool>();
    if (!b) Nodes::wrong_type(*this, *node, key, "true or false");
    return *b;
}

bool TableReader::boolean(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, true, "true or false");
    const auto b = node->value_exact<bool>();
    if (!b) Nodes::wrong_type(*this, *node, key, "true or false");
    return *b;
}

bool TableReader::boolean_or(std::string_view key, bool fallback) { return optional_boolean(key).value_or(fallback); }

// ---------------------------------------------------------------------------------------------
// Quantities and choices

std::optional<std::string> TableReader::unit_string(std::string_view key, std::string_view example, bool required,
                                                    const std::function<std::string(std::string_view)>& check_end) {
    const std::string expectation = "a string like \"" + std::string(example) + "\"";
    const toml::node* node = Nodes::find(*this, key, required, expectation);
    if (node == nullptr) return std::nullopt;
    if (const toml::table* t = node->as_table(); t != nullptr && tree_->uncertain != nullptr && check_end) {
        const auto check = [&](double, std::string_view spelled) { return check_end(spelled); };
        // A quantity's ends are above zero or zero; its draws are clamped only at zero (its
        // physical range is checked again when a drawn value is loaded).
        std::string text;
        (void)Nodes::uncertain(*this, *t, key, Nodes::Element::quantity, check, 0.0, std::numeric_limits<double>::max(),
                               &text);
        return text;
    }
    const auto s = node->value_exact<std::string>();
    if (!s) Nodes::wrong_type(*this, *node, key, expectation);
    return *s;
}

std::optional<std::size_t> TableReader::choice_index(std::string_view key,
                                                     const std::vector<std::string_view>& spellings, bool required) {
    std::vector<std::string> allowed(spellings.begin(), spellings.end());
    const std::string expectation = "one of " + quoted_list(allowed);
    const toml::node* node = Nodes::find(*this, key, required, expectation);
    if (node == nullptr) return std::nullopt;
    const auto s = node->value_exact<std::string>();
    if (!s) Nodes::wrong_type(*this, *node, key, expectation);
    for (std::size_t i = 0; i < spellings.size(); ++i)
        if (spellings[i] == *s) return i;
    std::string problem = "expected " + expectation + ", found \"" + *s + "\"";
    if (const auto near = closest_spelling(*s, allowed)) problem += " (did you mean \"" + *near + "\"?)";
    Nodes::fail_at(*this, node, key, problem);
}

// ---------------------------------------------------------------------------------------------
// Tables and arrays

std::optional<TableReader> TableReader::optional_table(std::string_view key, std::string_view expectation) {
    const toml::node* node = Nodes::find(*this, key, false, expectation);
    if (node == nullptr) return std::nullopt;
    const toml::table* t = node->as_table();
    if (t == nullptr) Nodes::wrong_type(*this, *node, key, expectation);
    return Nodes::open(*this, *t, key_path(key));
}

TableReader TableReader::table(std::string_view key, std::string_view expectation) {
    Nodes::find(*this, key, true, expectation);
    return *optional_table(key, expectation);
}

std::vector<TableReader> TableReader::tables(std::string_view key) {
    const std::string expectation = "an array of tables ([[" + key_path(key) + "]])";
    const toml::node* node = Nodes::find(*this, key, false, expectation);
    std::vector<TableReader> out;
    if (node == nullptr) return out;
    const toml::array* a = node->as_array();
    if (a == nullptr) Nodes::wrong_type(*this, *node, key, expectation);
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::table* t = a->get(i)->as_table();
        const std::string element = std::string(key) + "[" + std::to_string(i) + "]";
        if (t == nullptr) Nodes::wrong_type(*this, *a->get(i), element, "a table");
        out.push_back(Nodes::open(*this, *t, key_path(element)));
    }
    return out;
}

std::vector<std::string> TableReader::strings(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, false, "an array of strings");
    std::vector<std::string> out;
    if (node == nullptr) return out;
    const toml::array* a = node->as_array();
    if (a == nullptr) Nodes::wrong_type(*this, *node, key, "an array of strings");
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto s = a->get(i)->value_exact<std::string>();
        if (!s) Nodes::wrong_type(*this, *a->get(i), std::string(key) + "[" + std::to_string(i) + "]", "a string");
        out.push_back(*s);
    }
    return out;
}

std::vector<ScalarText> TableReader::scalars(std::string_view key) {
    const toml::node* node = Nodes::find(*this, key, false, "an array of values");
    std::vector<ScalarText> out;
    if (node == nullptr) return out;
    const toml::array* a = node->as_array();
    if (a == nullptr) Nodes::wrong_type(*this, *node, key, "an array of values");
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::node& e = *a->get(i);
        const std::string element = std::string(key) + "[" + std::to_string(i) + "]";
        const Position p = position_of(e.source(), tree_->file);
        ScalarText s;
        s.where =
            p.origin.empty() ? tree_->file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : p.origin;
        switch (e.type()) {
        case toml::node_type::string: {
            s.type = ScalarText::Type::string;
            s.plain = *e.value_exact<std::string>();
            std::ostringstream text;
            text << *e.as_string(); // toml++ writes a TOML string, escaped
            s.toml = text.str();
            break;
        }
        case toml::node_type::integer:
            s.type = ScalarText::Type::integer;
            s.toml = s.plain = std::to_string(*e.value_exact<std::int64_t>());
            break;
        case toml::node_type::floating_point: {
            const double x = *e.value_exact<double>();
            if (!std::isfinite(x)) Nodes::fail_at(*this, &e, element, "expected a finite number, found " + describe(e));
            s.type = ScalarText::Type::floating_point;
            std::array<char, 32> digits{};
            std::snprintf(digits.data(), digits.size(), "%.17g", x);
            s.toml = digits.data();
            // TOML needs a fraction or an exponent to read a float back as a float.
            if (s.toml.find_first_of(".e") == std::string::npos) s.toml += ".0";
            s.plain = format_number(x);
            break;
        }
        case toml::node_type::boolean:
            s.type = ScalarText::Type::boolean;
            s.toml = s.plain = *e.value_exact<bool>() ? "true" : "false";
            break;
        default: Nodes::wrong_type(*this, e, element, "a string, an integer, a number or a boolean");
        }
        out.push_back(std::move(s));
    }
    return out;
}

bool TableReader::has(std::string_view key) { return Nodes::lookup(*this, key) != nullptr; }

std::vector<std::string> TableReader::keys() {
    std::vector<std::pair<Position, std::string>> found;
    for (const auto& [key, node] : Nodes::table(*this))
        found.emplace_back(position_of(key.source(), tree_->file), std::string(key.str()));
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.line, a.first.column, a.second) < std::tie(b.first.line, b.first.column, b.second);
    });
    std::vector<std::string> out;
    for (auto& [where, name] : found) {
        tree_->known[&Nodes::table(*this)].insert(name);
        out.push_back(std::move(name));
    }
    return out;
}

void TableReader::finish() const {
    std::vector<UnknownKey> unknown;
    collect_unknown(tree_->known, tree_->file, Nodes::table(*this), path_, unknown);
    if (unknown.empty()) return;
    const auto first = std::min_element(unknown.begin(), unknown.end(), [](const auto& a, const auto& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    std::string problem = "unknown key '" + first->name + "'";
    if (const auto near = closest_spelling(first->name, first->known)) {
        problem += " (did you mean '" + *near + "'?)";
    } else if (!first->known.empty()) {
        problem += "; the keys known here are " + quoted_list(first->known);
    } else {
        problem += "; this table takes no keys";
    }
    const std::string key = first->path.empty() ? first->name : first->path + "." + first->name;
    throw error_at(tree_->file, first->where, key, problem);
}

} // namespace tcsim::config
