// Physical quantities as small strong types.
//
// Contract: every quantity stores one double in its SI base unit (bytes, bytes per second,
// FLOP, FLOP per second, watts, joules, US dollars). Only physically meaningful operations
// compile: Bytes / Bandwidth is a duration, Flops / FlopRate is a duration, Watts * duration
// is energy; Bytes + Bandwidth does not compile. Durations here are floating-point seconds
// (`Seconds`); the engine converts them to its integer-nanosecond time once, with an explicit
// rounding choice, where an event is scheduled.
#pragma once

#include <chrono>
#include <compare>

namespace tcsim::units {

/// Floating-point seconds: the result of dividing an amount by a rate.
using Seconds = std::chrono::duration<double>;

/// A double in the SI base unit of its tag. Arithmetic is closed within one tag; scaling by a
/// plain number is allowed; the ratio of two values of one tag is a plain number.
template <class Tag>
class Quantity {
public:
    constexpr Quantity() = default;
    constexpr explicit Quantity(double si_value) : value_(si_value) {}

    [[nodiscard]] constexpr double value() const { return value_; }

    constexpr Quantity& operator+=(Quantity other) {
        value_ += other.value_;
        return *this;
    }
    constexpr Quantity& operator-=(Quantity other) {
        value_ -= other.value_;
        return *this;
    }
    constexpr Quantity& operator*=(double k) {
        value_ *= k;
        return *this;
    }
    constexpr Quantity& operator/=(double k) {
        value_ /= k;
        return *this;
    }

    friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.value_ + b.value_); }
    friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.value_ - b.value_); }
    friend constexpr Quantity operator-(Quantity a) { return Quantity(-a.value_); }
    friend constexpr Quantity operator*(Quantity a, double k) { return Quantity(a.value_ * k); }
    friend constexpr Quantity operator*(double k, Quantity a) { return Quantity(a.value_ * k); }
    friend constexpr Quantity operator/(Quantity a, double k) { return Quantity(a.value_ / k); }
    friend constexpr double operator/(Quantity a, Quantity b) { return a.value_ / b.value_; }
    friend constexpr auto operator<=>(Quantity a, Quantity b) = default;

private:
    double value_ = 0.0;
};

struct BytesTag {};
struct BandwidthTag {};
struct FlopsTag {};
struct FlopRateTag {};
struct WattsTag {};
struct JoulesTag {};
struct DollarsTag {};
struct DollarsPerHourTag {};
struct EnergyPriceTag {};

using Bytes = Quantity<BytesTag>;                   ///< bytes
using Bandwidth = Quantity<BandwidthTag>;           ///< bytes per second
using Flops = Quantity<FlopsTag>;                   ///< floating-point operations
using FlopRate = Quantity<FlopRateTag>;             ///< FLOP per second
using Watts = Quantity<WattsTag>;                   ///< power
using Joules = Quantity<JoulesTag>;                 ///< energy
using Dollars = Quantity<DollarsTag>;               ///< US dollars
using DollarsPerHour = Quantity<DollarsPerHourTag>; ///< a price per hour of one unit (GPU-hour)
using EnergyPrice = Quantity<EnergyPriceTag>;       ///< US dollars per joule (quoted per kWh)

// Rates and amounts: the only roads between amounts and time.
constexpr Seconds operator/(Bytes b, Bandwidth bw) { return Seconds(b.value() / bw.value()); }
constexpr Bandwidth operator/(Bytes b, Seconds t) { return Bandwidth(b.value() / t.count()); }
constexpr Bytes operator*(Bandwidth bw, Seconds t) { return Bytes(bw.value() * t.count()); }
constexpr Bytes operator*(Seconds t, Bandwidth bw) { return bw * t; }

constexpr Seconds operator/(Flops f, FlopRate r) { return Seconds(f.value() / r.value()); }
constexpr FlopRate operator/(Flops f, Seconds t) { return FlopRate(f.value() / t.count()); }
constexpr Flops operator*(FlopRate r, Seconds t) { return Flops(r.value() * t.count()); }
constexpr Flops operator*(Seconds t, FlopRate r) { return r * t; }

constexpr Joules operator*(Watts p, Seconds t) { return Joules(p.value() * t.count()); }
constexpr Joules operator*(Seconds t, Watts p) { return p * t; }
constexpr Watts operator/(Joules e, Seconds t) { return Watts(e.value() / t.count()); }

// A price per hour times a duration is money. (DollarsPerHour * double is plain scaling and
// stays a DollarsPerHour: a bare number of hours would be ambiguous with a scale factor.)
constexpr Dollars operator*(DollarsPerHour price, Seconds t) { return Dollars(price.value() * (t.count() / 3600.0)); }
constexpr Dollars operator*(Seconds t, DollarsPerHour price) { return price * t; }

// A price of energy times energy is money.
constexpr Dollars operator*(EnergyPrice price, Joules e) { return Dollars(price.value() * e.value()); }
constexpr Dollars operator*(Joules e, EnergyPrice price) { return price * e; }

// Named constructors in decimal (SI) and binary prefixes. Network and HBM vendors quote decimal
// units (GB/s = 1e9 B/s); memory capacities are often binary (GiB).
constexpr Bytes bytes(double n) { return Bytes(n); }
constexpr Bytes kilobytes(double n) { return Bytes(n * 1e3); }
constexpr Bytes megabytes(double n) { return Bytes(n * 1e6); }
constexpr Bytes gigabytes(double n) { return Bytes(n * 1e9); }
constexpr Bytes gibibytes(double n) { return Bytes(n * 1073741824.0); }
constexpr Bandwidth gigabytes_per_second(double n) { return Bandwidth(n * 1e9); }
constexpr Bandwidth gigabits_per_second(double n) { return Bandwidth(n * 1e9 / 8.0); }
constexpr FlopRate teraflops(double n) { return FlopRate(n * 1e12); }
constexpr Flops flops(double n) { return Flops(n); }
constexpr Watts watts(double n) { return Watts(n); }
constexpr Seconds microseconds(double n) { return Seconds(n * 1e-6); }
constexpr Dollars dollars(double n) { return Dollars(n); }
constexpr DollarsPerHour dollars_per_hour(double n) { return DollarsPerHour(n); }
constexpr EnergyPrice dollars_per_kwh(double n) { return EnergyPrice(n / 3.6e6); }
constexpr Joules kilowatt_hours(double n) { return Joules(n * 3.6e6); }

constexpr double hours(Seconds t) { return t.count() / 3600.0; }
constexpr double days(Seconds t) { return t.count() / 86400.0; }

} // namespace tcsim::units
