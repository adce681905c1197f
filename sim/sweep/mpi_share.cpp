// Rows cross processes as text (row_codec.hpp): each rank's length to rank 0 (MPI_Gather), then
// the bytes (MPI_Gatherv); the text keeps every double's bits, so rank 0 renders what a single
// process would.
#include "sweep/mpi_share.hpp"

#include "scenario/input_error.hpp"
#include "sweep/row_codec.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#ifdef TCSIM_HAVE_MPI
#include <mpi.h>
#include <stdexcept>
#endif

namespace tcsim::sweep {

namespace {

/// Whether an MPI launcher started this process, and the world size it gives (0: not said).
bool launched(int& size) {
    size = 0;
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
        if (const char* v = std::getenv(name)) size = std::max(size, std::atoi(v));
    return size > 0 || std::getenv("PMIX_RANK") != nullptr;
}

} // namespace

#ifdef TCSIM_HAVE_MPI
// Open MPI's handles (MPI_COMM_WORLD, MPI_CHAR, ...) are macros with C casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"

bool MpiSession::built_with_mpi() { return true; }

MpiSession::MpiSession() {
    int size = 0;
    if (!launched(size)) return;
    int ready = 0;
    MPI_Initialized(&ready);
    if (ready == 0) MPI_Init(nullptr, nullptr);
    started_ = ready == 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &share_.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &share_.size);
}

MpiSession::~MpiSession() {
    if (started_) MPI_Finalize();
}

std::vector<SweepRow> MpiSession::gather(std::vector<SweepRow> mine) const {
    if (share_.size <= 1) return mine;
    const std::string text = encode_rows(mine);
    int length = static_cast<int>(text.size());
    std::vector<int> lengths(is_root() ? static_cast<std::size_t>(share_.size) : 0);
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<int> offsets(lengths.size(), 0);
    long long total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        offsets[r] = static_cast<int>(total);
        total += lengths[r];
    }
    if (total > 2'000'000'000LL) throw std::length_error("sweep rows too large to gather (over 2 GB of text)");
    std::string all(static_cast<std::size_t>(total), '\0');
    MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
    if (!is_root()) return {};
    std::vector<SweepRow> rows;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        std::vector<SweepRow> part =
            decode_rows(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
        for (SweepRow& row : part) rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const SweepRow& a, const SweepRow& b) { return a.point < b.point; });
    return rows;
}

#pragma GCC diagnostic pop
#else

bool MpiSession::built_with_mpi() { return false; }

MpiSession::MpiSession() {
    int size = 0;
    if (launched(size) && size > 1)
        throw scenario::InputError("started by an MPI launcher as one of " + std::to_string(size) +
                                   " processes, but this tcsim was built without MPI (install libopenmpi-dev and "
                                   "configure again), so each would run the whole sweep; run it as one process");
}

MpiSession::~MpiSession() = default;

std::vector<SweepRow> MpiSession::gather(std::vector<SweepRow> mine) const { return mine; }

#endif

} // namespace tcsim::sweep
