// Hostile participants: spoofed FSPIOP-Source, a third FSP speaking for someone else's
// transfer, concurrent duplicates, fulfils racing the expiry (at the switch, and through the
// real banks with the payee's fulfil delayed to about the connector's expiry, so the payee
// commits its side while the switch may expire the transfer and must then take it back). The attacker is onboarded like
// any DFSP (test FSPs "mallory" and "trent", callbacks sent to a closed port) so its moves
// count in the sum of positions; the real banks' books must still equal their positions.
#include "tests/integration/hostile/hostile_world.hpp"

using namespace mojasim;
using namespace mojasim::test;

namespace {

// Nobody listens there: callbacks to the test FSPs fail fast and are dropped.
constexpr char const* nowhere = "http://127.0.0.1:9";

std::optional<ledger::transfer_state> state_of(hostile_world& h, std::string const& id)
{
    auto& w = h.world();
    return w.on(w.switch_actor().executor(), [&] { return w.switch_actor().transfer_state(id); });
}

bool is_final(std::optional<ledger::transfer_state> s)
{
    using ts = ledger::transfer_state;
    return s && *s != ts::received_prepare && *s != ts::reserved && *s != ts::received_fulfil &&
           *s != ts::received_error && *s != ts::reserved_timeout;
}

std::string name_of(std::optional<ledger::transfer_state> s)
{
    return s ? std::string(ledger::to_string(*s)) : "(none)";
}

/// Send the same text on `n` connections at once (all written before any answer is read);
/// the statuses answered.
std::vector<unsigned> at_once(std::uint16_t port, std::string const& text, int n)
{
    std::vector<raw_conn> conns;
    for(int i = 0; i < n; ++i)
        conns.emplace_back(port);
    for(auto& c : conns)
        REQUIRE(c.send(text));
    std::vector<unsigned> statuses;
    for(auto& c : conns)
    {
        auto const r = c.read_reply();
        REQUIRE(r);
        statuses.push_back(r->status);
    }
    return statuses;
}

} // namespace

TEST_CASE("hostile: spoofed sources", "[hostile]")
{
    hostile_world h;
    h.onboard("mallory", nowhere);
    h.onboard("trent", nowhere);
    auto const sw = h.port(api::fspiop, "switch");

    // A source the hub does not know.
    {
        auto const p = h.make_prepare("nobody", "dfsp2", "5");
        auto const r = roundtrip(sw, fspiop_text("POST", "/transfers", "nobody", "dfsp2", p.body));
        INFO(r.body);
        CHECK(r.status == 400);
        CHECK(fspiop_code(r) == "3200");
        CHECK(!state_of(h, p.id).has_value());
    }
    // The Hub's own name as a source.
    {
        auto const p = h.make_prepare("Hub", "dfsp2", "5");
        auto const r = roundtrip(sw, fspiop_text("POST", "/transfers", "Hub", "dfsp2", p.body));
        CHECK(r.status == 400);
        CHECK(!state_of(h, p.id).has_value());
    }
    // Mallory prepares a transfer with dfsp1 as the payer: refused, nothing reserved at dfsp1.
    {
        auto const p = h.make_prepare("dfsp1", "trent", "5");
        auto const r = roundtrip(sw, fspiop_text("POST", "/transfers", "mallory", "trent", p.body));
        INFO(r.body);
        CHECK((r.status == 202 || r.status == 400));
        REQUIRE(eventually([&] { return is_final(state_of(h, p.id)) || !state_of(h, p.id); }));
        auto const s = state_of(h, p.id);
        INFO(name_of(s));
        CHECK((!s || (*s != ledger::transfer_state::committed && *s != ledger::transfer_state::reserved)));
        CHECK(h.read().dfsp1_position == dec("0"));
    }
    // Mallory fulfils a transfer between trent and dfsp2... as dfsp2 it cannot; as herself the
    // fulfil is not the payee's and must not commit (central-ledger aborts it: 3100).
    {
        auto const p = h.make_prepare("trent", "mallory", "5");
        auto const r = roundtrip(sw, fspiop_text("POST", "/transfers", "trent", "mallory", p.body));
        REQUIRE(r.status == 202);
        REQUIRE(eventually([&] { return state_of(h, p.id) == ledger::transfer_state::reserved; }));
        // dfsp1, not the payee, sends the right fulfilment.
        auto const f = roundtrip(sw, fspiop_text("PUT", "/transfers/" + p.id, "dfsp1", "trent", h.fulfil_body(p)));
        CHECK(f.status == 200);
        REQUIRE(eventually([&] { return state_of(h, p.id) != ledger::transfer_state::reserved; }));
        CHECK(state_of(h, p.id) != ledger::transfer_state::committed);
        CHECK(h.read().dfsp1_position == dec("0"));
    }
    // Headers that lie about the body: FSPIOP-Source dfsp1 with payerFsp dfsp2.
    {
        auto const p = h.make_prepare("dfsp2", "dfsp1", "5");
        auto const r = roundtrip(sw, fspiop_text("POST", "/transfers", "dfsp1", "dfsp2", p.body));
        CHECK((r.status == 202 || r.status == 400));
        REQUIRE(eventually([&] { return is_final(state_of(h, p.id)) || !state_of(h, p.id); }));
        CHECK(state_of(h, p.id) != ledger::transfer_state::committed);
    }
    // The banks' own FSPIOP listeners hear a forged commit notice for a transfer they never saw.
    for(auto const* bank : {"dfsp1", "dfsp2"})
    {
        auto const id = h.ids.uuid_v4();
        auto const r = roundtrip(h.port(api::fspiop, bank),
                                fspiop_text("PATCH", "/transfers/" + id, "mallory", bank,
                                            R"({"transferState":"COMMITTED","completedTimestamp":")" +
                                                core::format_datetime(std::chrono::system_clock::now()) + R"("})"));
        CHECK(r.status < 500);
    }
    h.require_intact();
}

TEST_CASE("hostile: a third FSP's error on someone else's transfer does not silence the payee", "[hostile]")
{
    hostile_world h;
    h.onboard("mallory", nowhere);
    h.onboard("trent", nowhere);
    h.onboard("peggy", nowhere);
    auto const sw = h.port(api::fspiop, "switch");
    auto const p = h.make_prepare("trent", "peggy", "7");
    REQUIRE(roundtrip(sw, fspiop_text("POST", "/transfers", "trent", "peggy", p.body)).status == 202);
    REQUIRE(eventually([&] { return state_of(h, p.id) == ledger::transfer_state::reserved; }));
    std::string const error = R"({"errorInformation":{"errorCode":"5104","errorDescription":"Transaction declined"}})";
    // Mallory answers first, with the very body the payee will send.
    auto const forged = roundtrip(sw, fspiop_text("PUT", "/transfers/" + p.id + "/error", "mallory", "trent", error));
    CHECK(forged.status == 200);
    // The payee's genuine error: the transfer ends aborted, never left reserved.
    auto const genuine = roundtrip(sw, fspiop_text("PUT", "/transfers/" + p.id + "/error", "peggy", "trent", error));
    CHECK(genuine.status == 200);
    bool const ended = eventually([&] { return is_final(state_of(h, p.id)); }, 5s);
    INFO(name_of(state_of(h, p.id)));
    CHECK(ended);
    // A fulfil after that commits nothing.
    auto const late = roundtrip(sw, fspiop_text("PUT", "/transfers/" + p.id, "peggy", "trent", h.fulfil_body(p)));
    CHECK(late.status == 200);
    h.require_conserved();
    CHECK(state_of(h, p.id) != ledger::transfer_state::committed);
    CHECK(h.world().position("trent") == dec("0"));
    CHECK(h.world().position("peggy") == dec("0"));
}

TEST_CASE("hostile: concurrent duplicates", "[hostile]")
{
    hostile_world h;
    h.onboard("mallory", nowhere);
    h.onboard("trent", nowhere);
    auto const sw = h.port(api::fspiop, "switch");

    // The same prepare on 20 connections at once: reserved once.
    auto const p = h.make_prepare("mallory", "trent", "11");
    auto const prepare_text = fspiop_text("POST", "/transfers", "mallory", "trent", p.body);
    for(auto const s : at_once(sw, prepare_text, 20))
        CHECK(s == 202);
    REQUIRE(eventually([&] { return state_of(h, p.id) == ledger::transfer_state::reserved; }));
    CHECK(h.world().position("mallory") == dec("11"));
    // The same id with another body: refused (3106), the reservation unchanged.
    auto const changed = h.make_prepare("mallory", "trent", "12");
    std::string modified = changed.body;
    modified.replace(modified.find(changed.id), changed.id.size(), p.id);
    auto const refused = roundtrip(sw, fspiop_text("POST", "/transfers", "mallory", "trent", modified));
    CHECK((refused.status == 202 || refused.status == 400));
    CHECK(h.world().position("mallory") == dec("11"));
    // The fulfil on 20 connections at once: committed once.
    for(auto const s : at_once(sw, fspiop_text("PUT", "/transfers/" + p.id, "trent", "mallory", h.fulfil_body(p)), 20))
        CHECK(s == 200);
    REQUIRE(eventually([&] { return state_of(h, p.id) == ledger::transfer_state::committed; }));
    h.require_conserved();
    CHECK(h.world().position("mallory") == dec("11"));
    CHECK(h.world().position("trent") == dec("-11"));

    // Duplicates through the real banks: the same connector request sent twice at once is
    // two payments (the SDK has no idempotency key), each whole.
    auto const body = h.payment_body(brian, "4");
    for(auto const s : at_once(h.port(api::connector), http_text("POST", "/transfers", {{"Content-Type", "application/json"}}, body), 2))
        CHECK(s == 200);
    h.require_conserved();
    CHECK(h.read().dfsp1_position == dec("8"));
    CHECK(h.world().balance("dfsp2", brian) == dec("8"));
    h.require_intact();
}

TEST_CASE("hostile: fulfils racing the expiry", "[hostile]")
{
    hostile_world h;
    h.onboard("mallory", nowhere);
    h.onboard("trent", nowhere);
    auto const sw = h.port(api::fspiop, "switch");

    // Prepares whose expirations are spread over the time their fulfils take to arrive: some
    // fulfils come first, some after the sweeper expired the transfer, some in between.
    constexpr int n = 60;
    std::vector<hostile_world::prepare> prepares;
    {
        raw_conn c(sw);
        for(int i = 0; i < n; ++i)
        {
            prepares.push_back(h.make_prepare("mallory", "trent", "1", std::chrono::milliseconds(150 + 4 * i)));
            REQUIRE(c.send(fspiop_text("POST", "/transfers", "mallory", "trent", prepares.back().body)));
            auto const r = c.read_reply();
            REQUIRE(r);
            CHECK(r->status == 202);
        }
        for(auto const& p : prepares)
        {
            REQUIRE(c.send(fspiop_text("PUT", "/transfers/" + p.id, "trent", "mallory", h.fulfil_body(p))));
            auto const r = c.read_reply();
            REQUIRE(r);
            CHECK(r->status == 200);
        }
    }
    // Every transfer ends committed or expired, and the positions are the committed sum.
    REQUIRE(eventually([&] {
        return std::all_of(prepares.begin(), prepares.end(), [&](auto const& p) { return is_final(state_of(h, p.id)); });
    }));
    int committed = 0;
    int expired = 0;
    for(auto const& p : prepares)
    {
        auto const s = state_of(h, p.id);
        INFO(p.id + " " + name_of(s));
        if(s == ledger::transfer_state::committed)
            ++committed;
        else
        {
            CHECK((s == ledger::transfer_state::expired_reserved || s == ledger::transfer_state::expired_prepared ||
                   s == ledger::transfer_state::aborted_error || s == ledger::transfer_state::invalid));
            ++expired;
        }
    }
    INFO(committed << " committed, " << expired << " expired");
    CHECK(committed + expired == n);
    CHECK(h.world().position("mallory") == decimal::from_units(static_cast<std::int64_t>(committed) * decimal::one));
    CHECK(h.world().position("trent") == -decimal::from_units(static_cast<std::int64_t>(committed) * decimal::one));
    h.require_intact();
}

TEST_CASE("hostile: payee fulfils racing the expiry through the real banks", "[hostile]")
{
    hostile_options o;
    o.transfer_expiry = 1000ms;
    for(int i = 0; i < 5; ++i)
    {
        scenario::fault f;
        f.dfsp = "dfsp2";
        f.rule.id = "late-" + std::to_string(i);
        f.rule.step = dfsp::fault_step::transfer;
        f.rule.action = dfsp::fault_action::delay;
        f.rule.amount = decimal::from_units((10 + i) * decimal::one);
        f.rule.delay = std::chrono::milliseconds(900 + 50 * i);
        o.faults.push_back(f);
    }
    hostile_world h(o);
    std::vector<raw_conn> conns;
    for(int i = 0; i < 5; ++i)
    {
        conns.emplace_back(h.port(api::connector), 30s);
        REQUIRE(conns.back().send(http_text("POST", "/transfers", {{"Content-Type", "application/json"}},
                                            h.payment_body(brian, std::to_string(10 + i)))));
    }
    for(auto& c : conns)
    {
        auto const r = c.read_reply();
        REQUIRE(r);
        INFO(r->body);
        CHECK((r->status == 200 || r->status == 500 || r->status == 504));
    }
    h.require_conserved();
    auto const f = h.read();
    INFO(f.text());
    CHECK(f.dfsp2_books == -f.dfsp2_position);
    h.require_intact();
}
