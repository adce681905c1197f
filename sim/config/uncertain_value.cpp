#include "config/uncertain_value.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tcsim::config {
namespace {

/// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9;
/// P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
/// function", 2003), u in (0, 1).
double normal_quantile(double u) {
    constexpr std::array<double, 6> a{-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                      1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr std::array<double, 5> b{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                      6.680131188771972e+01, -1.328068155288572e+01};
    constexpr std::array<double, 6> c{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                      -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    constexpr std::array<double, 4> d{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                      3.754408661907416e+00};
    constexpr double low = 0.02425;
    if (u < low) {
        const double q = std::sqrt(-2 * std::log(u));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (u > 1 - low) {
        const double q = std::sqrt(-2 * std::log(1 - u));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = u - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/// z of the 95th percentile of the standard normal.
constexpr double kZ95 = 1.6448536269514722;

std::string number_text(double x) {
    std::array<char, 32> digits{};
    std::snprintf(digits.data(), digits.size(), "%.17g", x);
    std::string s = digits.data();
    // The shortest text that reads back as the same double.
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(digits.data(), digits.size(), "%.*g", precision, x);
        if (std::strtod(digits.data(), nullptr) == x) {
            s = digits.data();
            break;
        }
    }
    return s;
}

} // namespace

std::string UncertainValue::name() const { return std::string(to_string(kind)) + "." + key; }

double UncertainValue::median() const {
    double m = 0;
    switch (distribution) {
    case Distribution::uniform: m = (a + b) / 2; break;
    case Distribution::log_uniform:
    case Distribution::log_normal: m = std::sqrt(a * b); break;
    case Distribution::values: m = values[(values.size() - 1) / 2]; break;
    }
    return integer ? std::floor(m + 0.5) : m;
}

double UncertainValue::low_end() const { return distribution == Distribution::values ? values.front() : a; }

double UncertainValue::high_end() const { return distribution == Distribution::values ? values.back() : b; }

double UncertainValue::quantile(double u) const {
    double x = 0;
    switch (distribution) {
    case Distribution::uniform:
        // An integer key draws each integer of [low, high] equally often.
        x = integer ? std::floor(a + u * (b - a + 1)) : a + u * (b - a);
        break;
    case Distribution::log_uniform: x = std::exp(std::log(a) + u * (std::log(b) - std::log(a))); break;
    case Distribution::log_normal: {
        const double mu = (std::log(a) + std::log(b)) / 2;
        const double sigma = (std::log(b) - std::log(a)) / (2 * kZ95);
        x = std::exp(mu + sigma * normal_quantile(std::clamp(u, 1e-12, 1 - 1e-12)));
        break;
    }
    case Distribution::values: {
        const auto i = std::min(values.size() - 1, static_cast<std::size_t>(u * static_cast<double>(values.size())));
        x = values[i];
        break;
    }
    }
    if (integer) x = std::floor(x + 0.5);
    return std::clamp(x, min, max);
}

std::string UncertainValue::describe() const {
    switch (distribution) {
    case Distribution::uniform: return written + " (uniform)";
    case Distribution::log_uniform: return written + " (log-uniform)";
    case Distribution::log_normal: return written + " (log-normal through p5 and p95)";
    case Distribution::values: return written + " (each value equally likely)";
    }
    return written;
}

std::string UncertainValue::toml_text(double x) const {
    if (!unit.empty()) return "\"" + number_text(x) + " " + unit + "\"";
    if (integer) return std::to_string(static_cast<long long>(x));
    std::string s = number_text(x);
    // TOML needs a fraction or an exponent to read a float as a float; an integer reads as a
    // number too, so plain digits are fine for number keys.
    return s;
}

void UncertainValues::add(UncertainValue v) {
    for (const auto& known : all_)
        if (known.kind == v.kind && known.key == v.key && known.file == v.file) return;
    all_.push_back(std::move(v));
}

} // namespace tcsim::config
