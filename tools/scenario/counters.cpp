// A bank's counters by the names `expect.counters` uses: the loader checks names against them
// (scenario_yaml.cpp, which the scenario fuzzer links alone), the runner reads them.
#include "tools/scenario/counters.hpp"

#include "tools/scenario/scenario.hpp"

#include <array>

namespace mojasim::scenario {

namespace {

// docs/dfsp.md and GET /stats name them the same.
struct named_counter
{
    std::string_view name;
    std::uint64_t dfsp::dfsp_stats::*member;
};
constexpr named_counter bank_counters[] = {
    {"lookups_answered", &dfsp::dfsp_stats::lookups_answered},
    {"quotes_answered", &dfsp::dfsp_stats::quotes_answered},
    {"transfers_fulfilled", &dfsp::dfsp_stats::transfers_fulfilled},
    {"fulfils_sent", &dfsp::dfsp_stats::fulfils_sent},
    {"commits_confirmed", &dfsp::dfsp_stats::commits_confirmed},
    {"transfers_refused", &dfsp::dfsp_stats::transfers_refused},
    {"credits_reversed", &dfsp::dfsp_stats::credits_reversed},
    {"faults_fired", &dfsp::dfsp_stats::faults_fired},
    {"outbound_started", &dfsp::dfsp_stats::outbound_started},
    {"outbound_completed", &dfsp::dfsp_stats::outbound_completed},
    {"outbound_failed", &dfsp::dfsp_stats::outbound_failed},
    {"outbound_in_flight", &dfsp::dfsp_stats::outbound_in_flight},
    {"late_callbacks", &dfsp::dfsp_stats::late_callbacks},
    {"unresolved", &dfsp::dfsp_stats::unresolved},
    {"callbacks_failed", &dfsp::dfsp_stats::callbacks_failed},
    {"requests_sent", &dfsp::dfsp_stats::requests_sent},
    {"requests_accepted", &dfsp::dfsp_stats::requests_accepted},
    {"requests_rejected", &dfsp::dfsp_stats::requests_rejected},
    {"signatures_refused", &dfsp::dfsp_stats::signatures_refused},
};
constexpr auto bank_counter_names = [] {
    std::array<std::string_view, std::size(bank_counters)> out{};
    for(std::size_t i = 0; i < out.size(); ++i)
        out[i] = bank_counters[i].name;
    return out;
}();

} // namespace

std::optional<std::uint64_t> counter_of(dfsp::dfsp_stats const& s, std::string_view name)
{
    for(auto const& c : bank_counters)
        if(c.name == name)
            return s.*c.member;
    return std::nullopt;
}

std::span<std::string_view const> counter_names() noexcept
{
    return bank_counter_names;
}

} // namespace mojasim::scenario
