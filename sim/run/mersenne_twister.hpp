// std::mt19937_64's sequence, seeded and twisted only as far as it is read.
//
// Contract
// - The same numbers: Mt19937_64{seed} yields, draw for draw, what std::mt19937_64{seed} yields
//   (the engine is specified to the bit by C++20 [rand.eng.mers] and [rand.predef]: n = 312,
//   m = 156, r = 31, a = 0xB5026F5AA96619E9, u = 29, d = 0x5555555555555555, s = 17,
//   b = 0x71D67FFFEDA60000, t = 37, c = 0xFFF7EEE000000000, l = 43, f = 6364136223846793005).
//   A test holds it to the standard library's engine across several blocks of 312.
// - Cheap to start: construction stores the seed; the k-th draw of the first block (k < 156)
//   has computed k + 157 of the 312 seed words and twisted k of them, where std::mt19937_64
//   computes all 312 words at construction and twists all 312 at the first draw. A generator
//   read a few times (the failure Monte Carlo seeds two per sample and draws from each a few
//   times, one per failure) then costs about a quarter of the standard one's start.
//
// Why the twist can be done word by word: the standard's block twist updates word i in place
// from words i, i + 1 and i + m (mod n), in order of i, reading already-updated words exactly
// where i + 1 or i + m wraps past n. Updating word i just before it is read reads the same
// words in the same state, so the outputs are the same.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tcsim::run {

class Mt19937_64 {
public:
    using result_type = std::uint64_t;

    explicit Mt19937_64(std::uint64_t seed) { words_[0] = seed; }

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    result_type operator()() {
        if (next_ == kN) next_ = 0;
        const std::size_t i = next_++;
        seed_through(i + kM < kN ? i + kM : kN - 1); // words i + 1 and i + m (or all, near the end)
        const std::uint64_t y = (words_[i] & kUpper) | (words_[i + 1 == kN ? 0 : i + 1] & kLower);
        std::uint64_t z = words_[i + kM < kN ? i + kM : i + kM - kN] ^ (y >> 1) ^ ((y & 1U) != 0 ? kA : 0);
        words_[i] = z;
        z ^= (z >> 29) & 0x5555555555555555ULL;
        z ^= (z << 17) & 0x71D67FFFEDA60000ULL;
        z ^= (z << 37) & 0xFFF7EEE000000000ULL;
        return z ^ (z >> 43);
    }

private:
    static constexpr std::size_t kN = 312;
    static constexpr std::size_t kM = 156;
    static constexpr std::uint64_t kA = 0xB5026F5AA96619E9ULL;
    static constexpr std::uint64_t kUpper = ~std::uint64_t{0} << 31;
    static constexpr std::uint64_t kLower = ~kUpper;

    /// Computes the seed words up to index `last` not computed yet ([rand.eng.mers]/8).
    void seed_through(std::size_t last) {
        for (; seeded_ <= last; ++seeded_) {
            const std::uint64_t prev = words_[seeded_ - 1];
            words_[seeded_] = 6364136223846793005ULL * (prev ^ (prev >> 62)) + seeded_;
        }
    }

    std::array<std::uint64_t, kN> words_; // only words_[0, seeded_) are ever read
    std::size_t seeded_ = 1;              // words_[0, seeded_) hold the seed sequence (or later states)
    std::size_t next_ = 0;                // index of the next word to twist and return
};

} // namespace tcsim::run
