// Strong quantity types (sim/units/quantity.hpp): meaningful arithmetic compiles and has the
// right type and value; nonsense does not compile.
#include "units/quantity.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <type_traits>

using namespace tcsim::units;
using namespace std::chrono_literals;

namespace {

// Operation probes. A requires-expression outside a template would be a hard error for an
// invalid expression, so each probe is a concept over its operand types.
template <class A, class B>
concept Addable = requires(A a, B b) {
    a + b;
};
template <class A, class B>
concept Subtractable = requires(A a, B b) {
    a - b;
};
template <class A, class B>
concept Multipliable = requires(A a, B b) {
    a* b;
};
template <class A, class B>
concept Divisible = requires(A a, B b) {
    a / b;
};
template <class A, class B>
concept Comparable = requires(A a, B b) {
    a < b;
};
template <class A, class B>
concept EqualityComparable = requires(A a, B b) {
    a == b;
};
template <class A, class B>
concept AddAssignable = requires(A a, B b) {
    a += b;
};

template <class A, class B>
using Sum = decltype(std::declval<A>() + std::declval<B>());
template <class A, class B>
using Product = decltype(std::declval<A>() * std::declval<B>());
template <class A, class B>
using Quotient = decltype(std::declval<A>() / std::declval<B>());

// ---- what compiles, and its type ----------------------------------------------------------

// Amount / rate = time; amount / time = rate; rate * time = amount.
static_assert(std::is_same_v<Quotient<Bytes, Bandwidth>, Seconds>);
static_assert(std::is_same_v<Quotient<Bytes, Seconds>, Bandwidth>);
static_assert(std::is_same_v<Product<Bandwidth, Seconds>, Bytes>);
static_assert(std::is_same_v<Product<Seconds, Bandwidth>, Bytes>);
static_assert(std::is_same_v<Quotient<Flops, FlopRate>, Seconds>);
static_assert(std::is_same_v<Quotient<Flops, Seconds>, FlopRate>);
static_assert(std::is_same_v<Product<FlopRate, Seconds>, Flops>);
static_assert(std::is_same_v<Product<Seconds, FlopRate>, Flops>);
static_assert(std::is_same_v<Product<Watts, Seconds>, Joules>);
static_assert(std::is_same_v<Product<Seconds, Watts>, Joules>);
static_assert(std::is_same_v<Quotient<Joules, Seconds>, Watts>);
static_assert(std::is_same_v<Product<DollarsPerHour, Seconds>, Dollars>);
static_assert(std::is_same_v<Product<Seconds, DollarsPerHour>, Dollars>);

// Closed arithmetic within one kind; scaling by a plain number; ratios are plain numbers.
static_assert(std::is_same_v<Sum<Bytes, Bytes>, Bytes>);
static_assert(std::is_same_v<decltype(std::declval<Joules>() - std::declval<Joules>()), Joules>);
static_assert(std::is_same_v<Product<Bytes, double>, Bytes>);
static_assert(std::is_same_v<Product<double, Flops>, Flops>);
static_assert(std::is_same_v<Quotient<Watts, double>, Watts>);
static_assert(std::is_same_v<Quotient<Bytes, Bytes>, double>);
static_assert(std::is_same_v<Quotient<Dollars, Dollars>, double>);
static_assert(std::is_same_v<Product<DollarsPerHour, double>, DollarsPerHour>); // scaling
static_assert(std::is_same_v<Product<Dollars, double>, Dollars>);
static_assert(Comparable<Bytes, Bytes> && EqualityComparable<Bytes, Bytes>);
// Integer chrono durations convert to floating seconds where a time is expected.
static_assert(std::is_same_v<Quotient<Bytes, std::chrono::milliseconds>, Bandwidth>);
static_assert(std::is_same_v<Product<Watts, std::chrono::hours>, Joules>);

// ---- what does not compile ----------------------------------------------------------------

// The probes themselves detect valid operations (so a "false" below means "does not compile").
static_assert(Addable<Bytes, Bytes> && Subtractable<Joules, Joules> && AddAssignable<Flops, Flops>);
static_assert(Multipliable<Bandwidth, Seconds> && Multipliable<Watts, double>);
static_assert(Divisible<Bytes, Bandwidth> && Divisible<Flops, FlopRate>);

// Different kinds do not add, subtract or compare.
static_assert(!Addable<Bytes, Flops>);
static_assert(!Addable<Bytes, Bandwidth>);
static_assert(!Addable<Flops, FlopRate>);
static_assert(!Addable<Watts, Joules>);
static_assert(!Addable<Dollars, DollarsPerHour>);
static_assert(!Addable<Bytes, Seconds>);
static_assert(!Addable<Seconds, Bytes>);
static_assert(!Subtractable<Joules, Watts>);
static_assert(!AddAssignable<Bytes, Flops>);
static_assert(!Comparable<Bytes, Flops>);
static_assert(!Comparable<Bandwidth, FlopRate>);
static_assert(!EqualityComparable<Watts, Joules>);
// No silent mixing with plain numbers except scaling.
static_assert(!Addable<Bytes, double>);
static_assert(!Addable<double, Flops>);
static_assert(!Comparable<Bytes, double>);
static_assert(!EqualityComparable<Bytes, double>);
static_assert(!Divisible<double, Bytes>); // 1 / bytes is not a quantity we have
static_assert(!std::is_convertible_v<double, Bytes>);
static_assert(!std::is_convertible_v<Bytes, double>);
static_assert(!std::is_convertible_v<Bytes, Flops>);
static_assert(!std::is_constructible_v<Flops, Bytes>);
// Products and quotients without a meaning.
static_assert(!Multipliable<Bytes, Bytes>);
static_assert(!Multipliable<Bytes, Seconds>); // bytes * time: not a quantity
static_assert(!Multipliable<Bytes, Bandwidth>);
static_assert(!Multipliable<Flops, FlopRate>);
static_assert(!Multipliable<Watts, Watts>);
static_assert(!Multipliable<Watts, Joules>);
static_assert(!Divisible<Bytes, Flops>);
static_assert(!Divisible<Bytes, FlopRate>); // bytes over a compute rate
static_assert(!Divisible<Flops, Bandwidth>);
static_assert(!Divisible<Bandwidth, Bytes>);
static_assert(!Divisible<FlopRate, Flops>);
static_assert(!Divisible<Seconds, Bytes>);
static_assert(!Multipliable<Dollars, Seconds>);
static_assert(!Multipliable<DollarsPerHour, DollarsPerHour>);

// Constant evaluation works.
static_assert((gigabytes(1) / gigabytes_per_second(2)).count() == 0.5);
static_assert((flops(2e12) / teraflops(1)).count() == 2.0);

} // namespace

TEST_CASE("rates and amounts give times, and back") {
    const Seconds transfer = gigabytes(80) / gigabytes_per_second(400);
    CHECK(transfer.count() == doctest::Approx(0.2));
    const Seconds wire = gigabytes(50) / gigabits_per_second(400); // 400 Gb/s = 50 GB/s
    CHECK(wire.count() == doctest::Approx(1.0));

    const Bandwidth achieved = gigabytes(10) / Seconds(2.0);
    CHECK(achieved.value() == doctest::Approx(5e9));
    const Bandwidth per_ms = bytes(1e6) / 1ms;
    CHECK(per_ms.value() == doctest::Approx(1e9));
    const Bytes moved = gigabytes_per_second(100) * microseconds(10);
    CHECK(moved.value() == doctest::Approx(1e6));
    CHECK((microseconds(10) * gigabytes_per_second(100)).value() == doctest::Approx(1e6));

    const Seconds compute = flops(989.4e12 * 3) / teraflops(989.4);
    CHECK(compute.count() == doctest::Approx(3.0));
    const FlopRate rate = flops(1e15) / Seconds(0.5);
    CHECK(rate.value() == doctest::Approx(2e15));
    CHECK((teraflops(1) * Seconds(2.0)).value() == doctest::Approx(2e12));
    CHECK((Seconds(2.0) * teraflops(1)).value() == doctest::Approx(2e12));
}

TEST_CASE("power, energy and money") {
    const Joules e = watts(700) * Seconds(3600.0);
    CHECK(e.value() == doctest::Approx(2.52e6));
    CHECK((Seconds(10.0) * watts(5)).value() == doctest::Approx(50.0));
    CHECK((Joules(100.0) / Seconds(4.0)).value() == doctest::Approx(25.0));
    CHECK((watts(1000) * std::chrono::hours(1)).value() == doctest::Approx(3.6e6)); // 1 kWh

    // A price per hour times a duration: 2 USD/h for 90 minutes is 3 USD.
    const Dollars cost = dollars_per_hour(2.0) * Seconds(5400.0);
    CHECK(cost.value() == doctest::Approx(3.0));
    CHECK((std::chrono::hours(24) * dollars_per_hour(2.5)).value() == doctest::Approx(60.0));
    // Scaling a price keeps it a price (e.g. a 20% discount); scaling money by a GPU count is money.
    CHECK((dollars_per_hour(2.0) * 0.8).value() == doctest::Approx(1.6));
    CHECK((dollars_per_hour(2.0) * std::chrono::hours(1) * 2048.0).value() == doctest::Approx(4096.0));
}

TEST_CASE("closed arithmetic, scaling and ratios") {
    Bytes b = gigabytes(1) + megabytes(500);
    CHECK(b.value() == doctest::Approx(1.5e9));
    b -= megabytes(500);
    CHECK(b == gigabytes(1));
    b += gigabytes(1);
    b *= 3.0;
    CHECK(b.value() == doctest::Approx(6e9));
    b /= 2.0;
    CHECK(b.value() == doctest::Approx(3e9));
    CHECK((-b).value() == doctest::Approx(-3e9));
    CHECK((2.0 * flops(3)).value() == 6.0);
    CHECK((flops(3) * 2.0).value() == 6.0);
    CHECK((watts(10) / 4.0).value() == 2.5);
    CHECK(gigabytes(3) / gigabytes(1) == doctest::Approx(3.0));

    CHECK(gigabytes(1) < gigabytes(2));
    CHECK(gigabytes(2) >= gigabytes(2));
    CHECK(gigabytes(1) != gibibytes(1));
    CHECK(Bytes{} == bytes(0));
    CHECK(Bytes{}.value() == 0.0);
}

TEST_CASE("named constructors use decimal and binary prefixes as named") {
    CHECK(bytes(1).value() == 1.0);
    CHECK(kilobytes(1).value() == 1e3);
    CHECK(megabytes(1).value() == 1e6);
    CHECK(gigabytes(1).value() == 1e9);
    CHECK(gibibytes(1).value() == 1073741824.0);
    CHECK(gigabytes_per_second(1).value() == 1e9);
    CHECK(gigabits_per_second(8).value() == 1e9);
    CHECK(teraflops(1).value() == 1e12);
    CHECK(microseconds(2.8).count() == doctest::Approx(2.8e-6));
    CHECK(hours(Seconds(7200.0)) == 2.0);
    CHECK(days(Seconds(43200.0)) == 0.5);
    CHECK(dollars(5).value() == 5.0);
}
