// 1,000 connector transfers in flight at once: none is lost, money is conserved.
#include "tests/integration/dfsp/world.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <map>

using namespace mojasim;
using test::dec;
using dfsp::decimal;

namespace {

struct tally
{
    int done = 0;
    std::map<std::string, int> states;   ///< "COMPLETED", "ERROR_OCCURRED 5104", ...
    std::vector<std::string> ids;
};

net::awaitable<void> pay_one(test::world* w, std::string body, tally* t)
{
    auto const o = co_await w->pay(std::move(body));
    auto key = o.state();
    if(!o.error_code().empty())
        key += " " + o.error_code();
    ++t->states[key];
    t->ids.push_back(o.id());
    ++t->done;
}

// Each connection is two descriptors in this process (client and server side).
std::size_t usable_connections(std::size_t wanted)
{
    rlimit lim{};
    if(getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return 100;
    if(lim.rlim_cur < 4096 && lim.rlim_max > lim.rlim_cur)
    {
        lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 4096);
        setrlimit(RLIMIT_NOFILE, &lim);
        getrlimit(RLIMIT_NOFILE, &lim);
    }
    auto const spare = lim.rlim_cur > 512 ? (lim.rlim_cur - 512) / 2 : 100;
    return std::min<std::size_t>(wanted, static_cast<std::size_t>(spare));
}

} // namespace

TEST_CASE("1,000 concurrent connector transfers complete with no lost callback and money conserved")
{
    test::run_async(
        [](net::asio::io_context& ioc) -> net::awaitable<void> {
            constexpr int n = 1000;
            test::world w(ioc);
            net::client_options co;
            co.max_connections_per_host = usable_connections(n);
            co.request_timeout = std::chrono::milliseconds(120'000);
            w.client = std::make_unique<net::client>(ioc.get_executor(), co);
            co_await w.setup();
            // Every 50th transfer is rejected by the payee, so both outcomes run concurrently.
            w.dfsp2->faults().replace({test::rule(R"({"step":"transfer","party":"0455510400","every":5,"action":"error"})")});

            tally t;
            char const* const payees[] = {test::amina, test::brian, test::esi};
            auto const ex = co_await net::asio::this_coro::executor;
            for(int i = 0; i < n; ++i)
            {
                // Amounts 1.01 .. 10.00 so that no two neighbours look alike.
                auto const amount = decimal::from_units(decimal::one + (i % 900 + 1) * 100);
                auto body = w.transfer_body(payees[i % 3], amount.to_string());
                net::spawn(ex, pay_one(&w, std::move(body), &t), "load");
            }
            auto const all_done = co_await w.settle_within([&t] { return t.done == n; }, std::chrono::milliseconds(240'000));
            REQUIRE(all_done);
            INFO(t.states.size());
            // Esi gets every third transfer (334), and the payee rejects every fifth of those.
            CHECK(t.states["COMPLETED"] == n - 334 / 5);
            CHECK(t.states["ERROR_OCCURRED 5104"] == 334 / 5);
            CHECK(t.states.size() == 2);
            std::sort(t.ids.begin(), t.ids.end());
            CHECK(std::adjacent_find(t.ids.begin(), t.ids.end()) == t.ids.end());

            auto const s1 = w.dfsp1->stats();
            CHECK(s1.outbound_started == n);
            CHECK(s1.outbound_completed + s1.outbound_failed == n);
            CHECK(s1.unresolved == 0);
            CHECK(w.dfsp2->stats().transfers_fulfilled == static_cast<std::uint64_t>(n - 334 / 5));
            co_await w.check_conservation();
            for(auto const& id : t.ids)
            {
                auto const state = w.switch_state(id);
                REQUIRE(state);
                CHECK(ledger::is_final(*state));
            }
        },
        std::chrono::seconds(300));
}
