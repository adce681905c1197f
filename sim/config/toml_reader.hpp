// A strict reader over one parsed TOML file.
//
// Contract:
// - `TomlDocument` parses the text of one file; a syntax error throws ConfigError carrying
//   toml++'s line, column and description.
// - `TableReader` is a view of one table of that document. Its getters are typed: integers
//   refuse floats, numbers accept integers, quantities are strings with a unit ("400 Gb/s")
//   parsed by units::parse_*, choices accept only the listed spellings. A wrong type, a
//   missing required key, a value out of bounds (zero or negative where a positive value is
//   required) or an unparseable unit throws ConfigError naming file, line, column and the
//   dotted key, with what was expected and what was found, e.g.
//       gpus.toml:7:17: key 'gpu.H800-SXM.nvlink': expected a string like "400 Gb/s", found integer 400
// - Every key a getter asks for, present or not, becomes known to its table. `finish()` then
//   refuses any key the loader never asked for: "unknown key 'nvlnk' (did you mean 'nvlink'?)"
//   at that key's position. Misspelt optional keys therefore never pass silently.
// - Key overrides (config/overrides.hpp) given to the document replace or add keys of the
//   parsed file before any reader sees it; a message about an overridden value, or about an
//   unknown key an override added, names the override's origin instead of a line:
//       --tp 0 (overriding workloads/gpt3-175b.toml): key 'parallel.tp': expected a positive integer, ...
// - Uncertain values (uncertain_value.hpp): in a document that accepts them (accept_uncertain),
//   every numeric getter (integers, numbers, quantities) also takes a range or distribution
//   table, checks each end as it would check the value (type, sign, physical range, integers
//   only for an integer key), records it and returns its median. Elsewhere a table there is
//   refused as any wrong type is.
// - Readers point into their document: the document must outlive them, and is neither copied
//   nor moved.
// - toml++ stays inside toml_reader.cpp: no header of config/ includes it, so a loader's user
//   (and a fuzz target) compiles without it.
#pragma once

#include "config/config_error.hpp"
#include "config/overrides.hpp"
#include "config/uncertain_value.hpp"
#include "config/unit_text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tcsim::config {

/// The sign a number must have.
enum class Bound { any, non_negative, positive };

/// Inclusive limits an integer must lie within; the reader quotes them when it refuses a value
/// ("expected an integer from 1 to 10000, found 1000000"). The physical range of each key is
/// named, with its reason, in config/limits.hpp.
struct IntRange {
    std::int64_t min;
    std::int64_t max;
};

/// One scalar element of an array as TOML text that reads back as the same value, its type, and
/// where it is ("FILE:LINE:COLUMN"); see TableReader::scalars.
struct ScalarText {
    enum class Type { string, integer, floating_point, boolean };
    Type type = Type::string;
    std::string toml;  ///< e.g. `"H100-SXM"`, `4096`, `2.5`, `true`
    std::string plain; ///< the value as a reader sees it: a string without its quotes, else as `toml`
    std::string where; ///< "FILE:LINE:COLUMN" of the element
};

/// Inclusive limits a number must lie within (both finite), quoted like IntRange's.
struct Range {
    double min;
    double max;
};

/// Inclusive limits a quantity must lie within, written as a file would write them
/// ({"1 Mb/s", "1 Pb/s"}) and quoted so in messages.
struct QuantityRange {
    std::string_view min;
    std::string_view max;
};

/// One spelling of an enumerator as written in a file.
template <class E>
struct Spelling {
    std::string_view text;
    E value;
};

class TomlDocument;

namespace detail {
struct TomlTree; ///< the parsed file and the keys asked for (defined in toml_reader.cpp)
} // namespace detail

class TableReader {
public:
    // Strings. A required string must not be empty.
    [[nodiscard]] std::string string(std::string_view key);
    [[nodiscard]] std::optional<std::string> optional_string(std::string_view key);
    [[nodiscard]] std::string string_or(std::string_view key, std::string fallback);

    // Integers: TOML integers only (14.8e12 is refused), within the range of the result type.
    [[nodiscard]] int integer(std::string_view key, Bound bound = Bound::any);
    [[nodiscard]] std::optional<int> optional_integer(std::string_view key, Bound bound = Bound::any);
    [[nodiscard]] int integer_or(std::string_view key, int fallback, Bound bound = Bound::any);
    [[nodiscard]] std::int64_t integer64(std::string_view key, Bound bound = Bound::any);
    [[nodiscard]] std::optional<std::int64_t> optional_integer64(std::string_view key, Bound bound = Bound::any);
    // The same within a range (which must lie within the result type's).
    [[nodiscard]] int integer(std::string_view key, IntRange range);
    [[nodiscard]] std::optional<int> optional_integer(std::string_view key, IntRange range);
    [[nodiscard]] int integer_or(std::string_view key, int fallback, IntRange range);
    [[nodiscard]] std::int64_t integer64(std::string_view key, IntRange range);
    [[nodiscard]] std::optional<std::int64_t> optional_integer64(std::string_view key, IntRange range);

    // Numbers: floats and integers.
    [[nodiscard]] double number(std::string_view key, Bound bound = Bound::any);
    [[nodiscard]] std::optional<double> optional_number(std::string_view key, Bound bound = Bound::any);
    [[nodiscard]] double number_or(std::string_view key, double fallback, Bound bound = Bound::any);
    [[nodiscard]] double number(std::string_view key, Range range);
    [[nodiscard]] std::optional<double> optional_number(std::string_view key, Range range);
    [[nodiscard]] double number_or(std::string_view key, double fallback, Range range);

    [[nodiscard]] bool boolean(std::string_view key);
    [[nodiscard]] std::optional<bool> optional_boolean(std::string_view key);
    [[nodiscard]] bool boolean_or(std::string_view key, bool fallback);

    /// A quantity written as text with its unit, e.g. `hbm = "80 GB"`.
    template <class Q>
    [[nodiscard]] Q quantity(std::string_view key, Bound bound = Bound::positive) {
        return *optional_quantity<Q>(key, bound, true);
    }
    template <class Q>
    [[nodiscard]] std::optional<Q> optional_quantity(std::string_view key, Bound bound = Bound::positive,
                                                     bool required = false);
    /// A quantity within `range` (its ends parsed as the file's values are).
    template <class Q>
    [[nodiscard]] Q quantity(std::string_view key, QuantityRange range) {
        return *optional_quantity<Q>(key, range, true);
    }
    template <class Q>
    [[nodiscard]] std::optional<Q> optional_quantity(std::string_view key, QuantityRange range, bool required = false);

    /// One of the listed spellings, e.g. `kind = "fat_tree"`.
    template <class E, std::size_t N>
    [[nodiscard]] E choice(std::string_view key, const std::array<Spelling<E>, N>& spellings) {
        return spellings[*choice_index(key, texts(spellings), true)].value;
    }
    template <class E, std::size_t N>
    [[nodiscard]] std::optional<E> optional_choice(std::string_view key, const std::array<Spelling<E>, N>& spellings) {
        const auto i = choice_index(key, texts(spellings), false);
        return i ? std::optional<E>(spellings[*i].value) : std::nullopt;
    }
    template <class E, std::size_t N>
    [[nodiscard]] E choice_or(std::string_view key, const std::array<Spelling<E>, N>& spellings, E fallback) {
        return optional_choice(key, spellings).value_or(fallback);
    }

    // Tables and arrays.
    /// A sub-table; `expectation` describes it in messages (e.g. "{ value = 0.8, source = \"...\" }").
    [[nodiscard]] TableReader table(std::string_view key, std::string_view expectation = "a table");
    [[nodiscard]] std::optional<TableReader> optional_table(std::string_view key,
                                                            std::string_view expectation = "a table");
    /// An array of tables (`[[key]]` or `key = [{...}, {...}]`); absent means empty.
    [[nodiscard]] std::vector<TableReader> tables(std::string_view key);
    /// An array of strings; absent means empty.
    [[nodiscard]] std::vector<std::string> strings(std::string_view key);
    /// An array of scalars (strings, integers, finite floats, booleans; types may mix), each as
    /// TOML text (ScalarText); absent means empty. An element of another type, or a float that
    /// is not finite, is refused at its position.
    [[nodiscard]] std::vector<ScalarText> scalars(std::string_view key);

    /// Whether `key` is present; the key becomes known either way.
    [[nodiscard]] bool has(std::string_view key);
    /// Every key of this table in file order; all become known (for tables keyed by name,
    /// such as `[gpu."H800-SXM"]`).
    [[nodiscard]] std::vector<std::string> keys();

    /// Refuses the first key (in file order) of this table or of any table opened from it that
    /// no getter asked for.
    void finish() const;

    /// Throws ConfigError about `key` at its value's position (the table's if it is absent).
    [[noreturn]] void fail(std::string_view key, const std::string& problem) const;
    /// Throws ConfigError about this table as a whole, at its position.
    [[noreturn]] void fail(const std::string& problem) const;

    /// The dotted path of this table ("" for the root) and of one of its keys.
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string key_path(std::string_view key) const;
    [[nodiscard]] const std::string& file() const;

private:
    friend class TomlDocument;
    struct Nodes; ///< the functions that touch toml++ nodes (toml_reader.cpp)
    TableReader(detail::TomlTree& tree, std::size_t table, std::string path);

    std::optional<std::int64_t> integer_in(std::string_view key, Bound bound, bool required, std::int64_t lo,
                                           std::int64_t hi);
    std::optional<double> number_in(std::string_view key, Bound bound, bool required,
                                    std::optional<Range> range = std::nullopt);
    /// The string under `key` (nullopt if absent and not `required`); a non-string is refused.
    /// An uncertain quantity's ends are each checked by `check_end` (the problem, or "" when fine).
    std::optional<std::string> unit_string(std::string_view key, std::string_view example, bool required,
                                           const std::function<std::string(std::string_view)>& check_end = {});
    template <class Q>
    std::optional<Q> checked_quantity(std::string_view key, Bound bound, std::optional<QuantityRange> range,
                                      bool required);
    std::optional<std::size_t> choice_index(std::string_view key, const std::vector<std::string_view>& spellings,
                                            bool required);
    template <class E, std::size_t N>
    static std::vector<std::string_view> texts(const std::array<Spelling<E>, N>& spellings) {
        std::vector<std::string_view> out;
        out.reserve(N);
        for (const auto& s : spellings) out.push_back(s.text);
        return out;
    }
    /// Throws "expected a <bound> <what>, found <found>" at the value under `key`.
    [[noreturn]] void bound_error(std::string_view key, std::string_view what, Bound bound,
                                  const std::string& found) const;

    detail::TomlTree* tree_;
    std::size_t table_; ///< which table of the tree
    std::string path_;
};

class TomlDocument {
public:
    /// Parses `text`, the content of `file` (used in messages), then applies `overrides` (their
    /// kind is not checked: the caller passes those of this file's kind); throws ConfigError on
    /// a syntax error or an override that cannot be applied.
    TomlDocument(std::string file, std::string_view text, std::span<const KeyOverride> overrides = {});
    TomlDocument(const TomlDocument&) = delete;
    TomlDocument& operator=(const TomlDocument&) = delete;
    TomlDocument(TomlDocument&&) = delete;
    TomlDocument& operator=(TomlDocument&&) = delete;
    ~TomlDocument();

    [[nodiscard]] TableReader root();
    /// Lets numeric keys of this document be ranges or distributions, each recorded in `into`
    /// as a key of a file of `kind` (whose loader calls this).
    void accept_uncertain(FileKind kind, UncertainValues& into);
    /// Refuses any key of the file that no getter asked for.
    void finish();
    [[nodiscard]] const std::string& file() const;

private:
    std::unique_ptr<detail::TomlTree> tree_;
};

template <class Q>
std::optional<Q> TableReader::optional_quantity(std::string_view key, Bound bound, bool required) {
    return checked_quantity<Q>(key, bound, std::nullopt, required);
}

template <class Q>
std::optional<Q> TableReader::optional_quantity(std::string_view key, QuantityRange range, bool required) {
    using Text = UnitText<Q>;
    // A range starting above zero refuses zero and negatives as "positive" does.
    return checked_quantity<Q>(key, Text::magnitude(Text::parse(range.min)) > 0 ? Bound::positive : Bound::any, range,
                               required);
}

template <class Q>
std::optional<Q> TableReader::checked_quantity(std::string_view key, Bound bound, std::optional<QuantityRange> range,
                                               bool required) {
    using Text = UnitText<Q>;
    // The problem with one spelled value, or "" when it is fine.
    const auto problem = [&](std::string_view spelled) -> std::string {
        Q q{};
        try {
            q = Text::parse(spelled);
        } catch (const units::UnitError& e) {
            return e.what();
        }
        const double x = Text::magnitude(q);
        if (bound == Bound::positive && !(x > 0.0))
            return "expected a positive value like \"" + std::string(Text::example) + "\", found \"" +
                   std::string(spelled) + "\" (must be greater than zero)";
        if (range && !(x >= Text::magnitude(Text::parse(range->min)) && x <= Text::magnitude(Text::parse(range->max))))
            return "expected a value from \"" + std::string(range->min) + "\" to \"" + std::string(range->max) +
                   "\", found \"" + std::string(spelled) + "\"";
        return "";
    };
    const auto text = unit_string(key, Text::example, required, problem);
    if (!text) return std::nullopt;
    if (const std::string p = problem(*text); !p.empty()) fail(key, p);
    return Text::parse(*text);
}

} // namespace tcsim::config
