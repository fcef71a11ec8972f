// Identifiers: UUID v4 (FSPIOP v1.x CorrelationId) and ULID (allowed from v2.0).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mojasim::core {

/// A fast, non-cryptographic generator of ids. One per actor (not thread-safe);
/// seeded from the OS unless a seed is given, so a scenario's --seed repeats its ids.
class id_generator
{
public:
    id_generator();
    explicit id_generator(std::uint64_t seed) noexcept;

    /// Lowercase RFC 4122 version-4 UUID, e.g. "3f1c...-4...-[89ab]...".
    std::string uuid_v4();

    /// Crockford base32 ULID (26 chars): 48-bit millisecond time + 80 random bits.
    std::string ulid(std::uint64_t unix_ms);

    std::uint64_t next() noexcept;

private:
    std::uint64_t state_[2];
};

/// The seed of one id stream of a run: each actor (or thread) gets its own generator, seeded
/// from the run's seed and the stream's name, so a run with one seed repeats every id whatever
/// the threads do, and no generator is shared between threads.
std::uint64_t derive_seed(std::uint64_t run_seed, std::string_view stream) noexcept;

/// ^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ (v1.x CorrelationId)
/// With max_version 7 it is the v2.0 UUID rule.
bool is_uuid(std::string_view s, char max_version = '5') noexcept;

/// ^[0-9A-HJKMNP-TV-Z]{26}$
bool is_ulid(std::string_view s) noexcept;

} // namespace mojasim::core
