// Acceptance: 10,000 random transfers with random outcomes (commit, commit notification,
// payee error, expiry, duplicates, modified requests, wrong fulfilments, rejections for
// liquidity and limits) end with every transfer final and the positions summing to zero;
// the sums hold after every step, and once every window is settled each position is zero
// and each settlement balance tells exactly what its participant sent and received.
#include "ledger_fixture.hpp"

#include <random>

namespace mojasim::ledger::test {

namespace {

constexpr std::size_t transfer_count = 10'000;
std::array<std::string, 4> const fsps = {"dfsp1", "dfsp2", "dfsp3", "dfsp4"};

decimal
random_amount(std::mt19937_64& rng)
{
    // 0.0001 .. 800.0000, exact in units of 1/10000.
    std::uniform_int_distribution<std::int64_t> units(1, 8'000'000);
    return decimal::from_units(units(rng));
}

} // namespace

TEST_CASE("transfers: 10,000 random transfers end final with positions summing to zero", "[ledger][random]")
{
    ledger_fixture f;
    f.setup_hub();
    // Small caps and deposits so that 4001 and 4200 happen too.
    f.onboard("dfsp1", "3000", "2000");
    f.onboard("dfsp2", "3000", "5000");
    f.onboard("dfsp3", "1500", "5000");
    f.onboard("dfsp4", "5000", "5000");

    std::mt19937_64 rng(20240611);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    std::vector<std::string> ids;
    std::vector<prepare_command> prepares; // as first sent, for duplicates
    std::vector<std::size_t> open;         // indices of transfers that may still be reserved
    std::size_t outcomes[8] = {};

    auto commit_settlement = [&] {
        // Close the open window and settle every closed one.
        REQUIRE(f.settlement.close(f.settlement.open_window(), "random", f.clock.now()));
        std::vector<window_id> closed;
        for(auto const& w : f.settlement.windows())
            if(w.state == window_state::closed)
                closed.push_back(w.id);
        auto s = f.settlement.create_settlement("DEFERRED_NET", "", closed, f.participants, f.clock.now());
        REQUIRE(s);
        REQUIRE(f.settlement.advance_all((*s)->id, settlement_state::settled, "", f.participants, f.clock.now()));
    };

    for(std::size_t step = 0; ids.size() < transfer_count || !open.empty(); ++step)
    {
        auto const roll = pick(100);
        if(ids.size() < transfer_count && (roll < 45 || open.empty()))
        {
            // A new prepare; one in fifty is invalid.
            auto const payer = pick(fsps.size());
            auto payee = (payer + 1 + pick(fsps.size() - 1)) % fsps.size();
            auto cmd = f.prepare_cmd("r" + std::to_string(ids.size()), "1", fsps[payer], fsps[payee]);
            cmd.amount = random_amount(rng);
            cmd.hash = fspiop::body_digest("h" + cmd.transfer_id);
            cmd.expiration = f.clock.now() + std::chrono::milliseconds(500 + pick(20'000));
            if(pick(50) == 0)
                cmd.payee_fsp = cmd.payer_fsp;
            auto const before = f.position(cmd.payer_fsp);
            auto d = f.book.prepare(cmd, f.clock.now());
            REQUIRE(d.changed);
            if(d.state == transfer_state::reserved)
            {
                CHECK(f.position(cmd.payer_fsp) == ledger_fixture::add(before, cmd.amount));
                open.push_back(ids.size());
            }
            else
            {
                CHECK(f.position(cmd.payer_fsp) == before);
                auto const code = error_code_of(d, 0);
                CHECK((code == "3100" || code == "4001" || code == "4200"));
                ++outcomes[code == "3100" ? 0 : code == "4001" ? 1 : 2];
            }
            ids.push_back(cmd.transfer_id);
            prepares.push_back(std::move(cmd));
        }
        else if(roll < 85 && !open.empty())
        {
            // An answer from the payee, or a duplicate from the payer.
            auto const slot = pick(open.size());
            auto const i = open[slot];
            auto const& p = prepares[i];
            auto const what = pick(8);
            decision d;
            if(what == 0)
            {
                d = f.book.prepare(p, f.clock.now()); // same body again
                CHECK_FALSE(d.changed);
            }
            else if(what == 1)
            {
                auto changed = p;
                changed.hash[0] ^= 1;
                d = f.book.prepare(changed, f.clock.now());
                CHECK_FALSE(d.changed);
                if(f.book.state_of(p.transfer_id) == transfer_state::reserved)
                    CHECK(error_code_of(d, 0) == "3106");
            }
            else
            {
                auto fulfil = f.fulfil_cmd(p.transfer_id, what == 2 ? api_state::reserved : api_state::committed);
                fulfil.source = p.payee_fsp;
                fulfil.destination = p.payer_fsp;
                if(what <= 4)
                    d = f.book.fulfil(fulfil, f.clock.now());
                else if(what == 5)
                {
                    fulfil.fulfilment = make_ilp("wrong").fulfilment;
                    d = f.book.fulfil(fulfil, f.clock.now());
                }
                else
                {
                    auto reject = f.reject_cmd(p.transfer_id, what == 6 ? "5104" : "5105");
                    reject.source = p.payee_fsp;
                    reject.destination = p.payer_fsp;
                    d = f.book.reject(reject, f.clock.now());
                }
                // Every answer to a reserved transfer finishes it.
                REQUIRE(d.state);
                CHECK(is_final(*d.state));
                ++outcomes[*d.state == transfer_state::committed  ? 3
                           : *d.state == transfer_state::expired_reserved ? 4
                                                                       : 5];
            }
            if(is_final(*f.book.state_of(p.transfer_id)))
            {
                open[slot] = open.back();
                open.pop_back();
            }
        }
        else
        {
            // Time passes; the sweeper runs (not always, so that late fulfils meet expired
            // transfers that were not swept yet); now and then the windows are settled.
            f.clock.advance(std::chrono::milliseconds(pick(400)));
            if(pick(2) == 0)
            {
                for(auto const& e : f.book.expire_due(f.clock.now()))
                {
                    CHECK(e.outcome.state == transfer_state::expired_reserved);
                    CHECK(error_code_of(e.outcome, 0) == "3303");
                    ++outcomes[6];
                }
            }
            open.erase(std::remove_if(open.begin(), open.end(),
                                      [&](std::size_t i) { return is_final(*f.book.state_of(ids[i])); }),
                       open.end());
            if(pick(40) == 0)
            {
                commit_settlement();
                ++outcomes[7];
            }
        }
        if(step % 97 == 0)
            f.check_sums();
    }

    // Whatever is left expires.
    f.clock.advance(std::chrono::minutes(1));
    f.book.expire_due(f.clock.now());

    // Every transfer is final; positions sum to zero.
    REQUIRE(f.book.size() == transfer_count);
    for(auto const& id : ids)
        CHECK(is_final(*f.book.state_of(id)));
    CHECK(f.book.in_flight() == 0);
    CHECK(f.positions() == decimal{});
    f.check_sums();

    // Every outcome happened.
    INFO("invalid " << outcomes[0] << ", 4001 " << outcomes[1] << ", 4200 " << outcomes[2] << ", committed "
                    << outcomes[3] << ", expired at fulfil " << outcomes[4] << ", aborted " << outcomes[5]
                    << ", swept " << outcomes[6] << ", settlements " << outcomes[7]);
    for(auto n : outcomes)
        CHECK(n > 0);

    // Settle everything: each position is zero and each settlement balance is the deposit
    // minus what the participant sent plus what it received.
    commit_settlement();
    std::map<std::string, decimal> sent;
    for(auto const& t : f.book.transfers())
    {
        if(t.state != transfer_state::committed)
            continue;
        CHECK(f.book.state_of(t.id) == transfer_state::settled);
        sent[t.payer_fsp] = ledger_fixture::add(sent[t.payer_fsp], t.amount);
        sent[t.payee_fsp] = ledger_fixture::add(sent[t.payee_fsp], -t.amount);
    }
    decimal const deposits[] = {amount("2000"), amount("5000"), amount("5000"), amount("5000")};
    for(std::size_t i = 0; i < fsps.size(); ++i)
    {
        CHECK(f.position(fsps[i]) == decimal{});
        CHECK(f.acc(fsps[i], account_type::settlement).value == ledger_fixture::add(-deposits[i], sent[fsps[i]]));
    }
    f.check_sums();
}

} // namespace mojasim::ledger::test
