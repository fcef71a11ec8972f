// A ledger onboarded the way an operator onboards the real hub (hub accounts, settlement
// model, participants, limits, funds in), a fake clock, and helpers to build commands and
// read effects. No sockets, no timers.
#pragma once

#include "simulator/core/clock.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/ledger/participant_registry.hpp"
#include "simulator/ledger/settlement_book.hpp"
#include "simulator/ledger/transfer_book.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <variant>

namespace mojasim::ledger::test {

using namespace std::chrono_literals;

inline decimal
amount(char const* text)
{
    auto d = decimal::parse(text);
    REQUIRE(d);
    return *d;
}

/// A fulfilment/condition pair made from a seed, as a payee would.
struct ilp_pair
{
    std::string fulfilment;
    std::string condition;
};

inline ilp_pair
make_ilp(std::string_view seed)
{
    ilp_pair p;
    p.fulfilment = fspiop::base64url_encode(fspiop::sha256(seed));
    p.condition = *fspiop::make_condition(p.fulfilment);
    return p;
}

struct ledger_fixture
{
    explicit ledger_fixture(transfer_book_options opts = {}) : book{participants, settlement, opts} {}

    core::manual_clock clock;
    participant_registry participants{"Hub", clock.now()};
    settlement_book settlement{clock.now()};
    transfer_book book;

    /// Hub accounts and a DEFERRED_NET model for `currency` (with or without liquidity check).
    void setup_hub(std::string const& currency = "USD", bool liquidity_check = true)
    {
        REQUIRE(participants.add_hub_account("Hub", account_type::hub_multilateral_settlement, currency, clock.now()));
        REQUIRE(participants.add_hub_account("Hub", account_type::hub_reconciliation, currency, clock.now()));
        if(participants.settlement_models().empty())
        {
            settlement_model m;
            m.name = "DEFERRED_NET";
            m.require_liquidity_check = liquidity_check;
            REQUIRE(participants.add_settlement_model(m));
        }
    }

    /// A DFSP with an NDC and funds deposited on its settlement account.
    void onboard(std::string const& name, char const* ndc, char const* funds, std::string const& currency = "USD")
    {
        REQUIRE(participants.add_participant(name, currency, clock.now()));
        REQUIRE(participants.set_initial_position_and_limits(name, currency, amount(ndc), decimal{}, clock.now()));
        if(amount(funds).is_zero())
            return;
        funds_command f;
        f.participant = name;
        f.account = settlement_account(name, currency);
        f.action = funds_action::record_funds_in;
        f.transfer_id = "funds-" + name + "-" + currency;
        f.amount = amount(funds);
        f.currency = currency;
        f.reason = "deposit";
        auto r = participants.record_funds(f, clock.now());
        REQUIRE(r);
        REQUIRE((*r)->state == funds_state::committed);
    }

    /// Hub set up, dfsp1 and dfsp2 with NDC 1000 and 10000 deposited each.
    void standard()
    {
        setup_hub();
        onboard("dfsp1", "1000", "10000");
        onboard("dfsp2", "1000", "10000");
    }

    account const& acc(std::string const& name, account_type type, std::string const& currency = "USD") const
    {
        auto const* p = participants.find(name);
        REQUIRE(p);
        auto const* a = participants.account_of(p->id, type, currency);
        REQUIRE(a);
        return *a;
    }
    decimal position(std::string const& name) const { return acc(name, account_type::position).value; }
    account_id settlement_account(std::string const& name, std::string const& currency = "USD") const
    {
        return acc(name, account_type::settlement, currency).id;
    }

    prepare_command prepare_cmd(std::string id, char const* amt = "100", std::string payer = "dfsp1",
                                std::string payee = "dfsp2")
    {
        prepare_command c;
        c.transfer_id = std::move(id);
        c.payer_fsp = payer;
        c.payee_fsp = std::move(payee);
        c.amount = amount(amt);
        c.currency = "USD";
        c.condition = make_ilp(c.transfer_id).condition;
        c.expiration = clock.now() + 30s;
        c.source = std::move(payer);
        c.hash = fspiop::body_digest("hash-" + c.transfer_id + "-" + amt);
        return c;
    }

    fulfil_command fulfil_cmd(std::string const& id, api_state requested = api_state::committed)
    {
        fulfil_command c;
        c.transfer_id = id;
        c.source = "dfsp2";
        c.destination = "dfsp1";
        c.requested = requested;
        c.fulfilment = make_ilp(id).fulfilment;
        c.hash = fspiop::body_digest("fulfil-" + id);
        return c;
    }

    reject_command reject_cmd(std::string const& id, std::string code = "5104")
    {
        reject_command c;
        c.transfer_id = id;
        c.source = "dfsp2";
        c.destination = "dfsp1";
        c.error.error_code = std::move(code);
        c.error.error_description = "Payee rejected transaction";
        c.hash = fspiop::body_digest("error-" + id);
        return c;
    }

    /// Sum of every account's value in a currency. Each movement of the ledger has an
    /// opposite one, except money in flight: reserved transfers (on the payer's position)
    /// and reserved funds out (already off a settlement balance, not yet on the hub's).
    decimal total(std::string const& currency = "USD") const
    {
        decimal sum;
        for(auto const& a : participants.accounts())
            if(a.currency == currency)
                sum = add(sum, a.value);
        return sum;
    }

    decimal reserved_in_flight(std::string const& currency = "USD") const
    {
        decimal sum;
        for(auto const& t : book.transfers())
            if(t.currency == currency && t.state == transfer_state::reserved)
                sum = add(sum, t.amount);
        return sum;
    }

    decimal positions(std::string const& currency = "USD") const
    {
        decimal sum;
        for(auto const& a : participants.accounts())
            if(a.currency == currency && a.type == account_type::position)
                sum = add(sum, a.value);
        return sum;
    }

    /// a + b, which the test's figures must keep in range.
    static decimal add(decimal a, decimal b)
    {
        auto const sum = checked_add(a, b);
        REQUIRE(sum);
        return *sum;
    }

    /// Every invariant that must hold between two commands.
    void check_sums(std::string const& currency = "USD") const
    {
        // Positions hold exactly the reservations in flight: every position starts at 0 here,
        // a commit moves the amount from payer to payee, and settlement moves net amounts
        // that sum to zero.
        CHECK(positions(currency) == reserved_in_flight(currency));
        // All accounts together: only money in flight is unbalanced (reserved transfers on
        // payer positions, reserved funds out already off a settlement balance).
        CHECK(total(currency) == add(reserved_in_flight(currency), funds_out_in_flight));
        std::size_t reserved = 0;
        for(auto const& t : book.transfers())
            reserved += t.state == transfer_state::reserved ? 1u : 0u;
        CHECK(book.in_flight() == reserved);
    }

    /// Funds-out reservations the test has made and not yet committed or aborted.
    decimal funds_out_in_flight;
};

template <class E>
E const&
effect_at(decision const& d, std::size_t i)
{
    REQUIRE(d.effects.size() > i);
    auto const* e = std::get_if<E>(&d.effects[i]);
    REQUIRE(e);
    return *e;
}

inline std::string
error_code_of(decision const& d, std::size_t i)
{
    return effect_at<notify_error>(d, i).error.error_code;
}

/// The `cause` of an ABORTED state the hub sends (GET answers, duplicates): "" when the
/// effect is not an ABORTED PUT with exactly that one extension.
inline std::string
abort_cause_of(decision const& d, std::size_t i)
{
    auto const& s = effect_at<notify_state>(d, i);
    if(s.state != api_state::aborted || s.extensions.size() != 1 || s.extensions[0].key != "cause")
        return {};
    return s.extensions[0].value;
}

} // namespace mojasim::ledger::test
