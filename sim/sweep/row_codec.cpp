// nlohmann::json writes a double as the shortest text that reads back to the same double
// (Grisu2 with a round-trip check), which is what the byte-identical MPI output needs.
#include "sweep/row_codec.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace tcsim::sweep {

namespace {

using Json = nlohmann::json;

Json number(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }
double number(const Json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

} // namespace

std::string encode_rows(const std::vector<SweepRow>& rows) {
    Json out = Json::array();
    for (const SweepRow& r : rows)
        out.push_back(Json::array({r.point,
                                   r.values,
                                   static_cast<int>(r.status),
                                   r.reason,
                                   r.cluster,
                                   r.gpu,
                                   r.gpus,
                                   r.layout,
                                   number(r.price_per_gpu_hour),
                                   number(r.step_time_s),
                                   number(r.mfu),
                                   number(r.days_failure_free),
                                   number(r.gpu_hours_failure_free),
                                   number(r.rental_usd_failure_free),
                                   number(r.days_p5),
                                   number(r.days_p50),
                                   number(r.days_p95),
                                   number(r.gpu_hours_p50),
                                   number(r.rental_usd_p50),
                                   number(r.ownership_usd_p50),
                                   number(r.energy_mwh_p50)}));
    return out.dump();
}

std::vector<SweepRow> decode_rows(const std::string& text) {
    std::vector<SweepRow> rows;
    try {
        for (const Json& j : Json::parse(text)) {
            SweepRow r;
            r.point = j.at(0).get<std::size_t>();
            r.values = j.at(1).get<std::vector<std::string>>();
            const int status = j.at(2).get<int>();
            if (status < 0 || status > 2) throw std::invalid_argument("a row status out of range");
            r.status = static_cast<RowStatus>(status);
            r.reason = j.at(3).get<std::string>();
            r.cluster = j.at(4).get<std::string>();
            r.gpu = j.at(5).get<std::string>();
            r.gpus = j.at(6).get<int>();
            r.layout = j.at(7).get<std::string>();
            double* fields[] = {&r.price_per_gpu_hour,
                                &r.step_time_s,
                                &r.mfu,
                                &r.days_failure_free,
                                &r.gpu_hours_failure_free,
                                &r.rental_usd_failure_free,
                                &r.days_p5,
                                &r.days_p50,
                                &r.days_p95,
                                &r.gpu_hours_p50,
                                &r.rental_usd_p50,
                                &r.ownership_usd_p50,
                                &r.energy_mwh_p50};
            std::size_t k = 8;
            for (double* f : fields) *f = number(j.at(k++));
            rows.push_back(std::move(r));
        }
    } catch (const Json::exception& e) {
        throw std::invalid_argument(std::string("sweep rows: ") + e.what());
    }
    return rows;
}

} // namespace tcsim::sweep
