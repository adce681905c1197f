#include "config/load_published.hpp"

#include "config/limits.hpp"
#include "config/toml_reader.hpp"

#include <algorithm>

namespace tcsim::config {

PublishedFile load_published(const ConfigFiles& files, const std::string& path) {
    TomlDocument document(path, files.read(path));
    TableReader root = document.root();
    PublishedFile published;
    published.source = root.string("source");
    std::vector<TableReader> figures = root.tables("figure");
    if (figures.empty()) root.fail("figure", "a published file needs at least one [[figure]]");
    for (TableReader& f : figures) {
        PublishedFigure figure;
        // Choices need an enum; the names themselves are what is kept.
        std::array<Spelling<std::size_t>, kPublishedFigureNames.size()> names{};
        for (std::size_t i = 0; i < names.size(); ++i) names[i] = {kPublishedFigureNames[i], i};
        figure.figure = std::string(kPublishedFigureNames[f.choice("figure", names)]);
        if (std::any_of(published.figures.begin(), published.figures.end(),
                        [&](const PublishedFigure& other) { return other.figure == figure.figure; }))
            f.fail("figure", "'" + figure.figure + "' is already given by an earlier [[figure]]");
        figure.value = f.number("value", limits::published_value);
        figure.note = f.string("note");
        published.figures.push_back(std::move(figure));
    }
    document.finish();
    return published;
}

} // namespace tcsim::config
