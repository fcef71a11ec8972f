// FSPIOP-Signature end to end: DFSPs that sign and verify, a switch that validates and
// signs, keys handed over during self-onboarding (PUT/GET /participants/{name}/jwsKey), and
// the forged_signature fault refused by the switch with 3105.
#include "tests/integration/dfsp/world.hpp"

#include "simulator/fspiop/jws.hpp"

#include <boost/json/parse.hpp>

using namespace mojasim;
using dfsp::decimal;
using ledger::transfer_state;
namespace jws = fspiop::jws;

namespace {

// RSA-2048 key generation takes tens of milliseconds: each key once per binary.
jws::key const& hub_key()
{
    static jws::key const k = jws::generate_rsa();
    return k;
}
jws::key const& dfsp1_key()
{
    static jws::key const k = jws::generate_rsa();
    return k;
}
jws::key const& dfsp2_key()
{
    static jws::key const k = jws::generate_rsa();
    return k;
}

// Everyone signs and validates.
test::world_options signed_world()
{
    test::world_options o;
    o.tweak_switch = [](central::switch_config& c) {
        c.jws.validate = true;
        c.jws.sign = true;
        c.jws.signing_key = hub_key();
    };
    o.tweak_dfsp1 = [](dfsp::config& c) {
        c.jws.sign = true;
        c.jws.validate = true;
        c.jws.signing_key = dfsp1_key();
    };
    o.tweak_dfsp2 = [](dfsp::config& c) {
        c.jws.sign = true;
        c.jws.validate = true;
        c.jws.signing_key = dfsp2_key();
    };
    return o;
}

// The peers' keys, as a scheme's key directory would hand them out: forwarded messages carry
// their original sender's signature.
void exchange_peer_keys(test::world& w)
{
    w.dfsp1->add_jws_key("dfsp2", w.dfsp2->jws_public_key());
    w.dfsp2->add_jws_key("dfsp1", w.dfsp1->jws_public_key());
}

net::awaitable<void> signed_payment(net::asio::io_context& ioc)
{
    test::world w(ioc, signed_world());
    co_await w.setup();
    exchange_peer_keys(w);
    // Onboarding handed both public keys to the switch and took the hub's.
    CHECK(w.dfsp1->settings().jws.public_keys.contains("Hub"));
    CHECK(w.dfsp2->settings().jws.public_keys.contains("Hub"));
    std::string const key_url = w.hub->admin_url() + "/participants/dfsp2/jwsKey";
    auto const registered = co_await w.call(key_url, net::method::get, {});
    CHECK(registered.status == 200);
    auto const shown = boost::json::parse(registered.body).as_object().at("publicKey").as_string();
    CHECK(std::string(shown) == dfsp2_key().public_pem());

    auto const o = co_await w.pay(w.transfer_body(test::amina, "10"));
    INFO(o.body);
    CHECK(o.state() == "COMPLETED");
    CHECK(w.switch_state(o.id()) == transfer_state::committed);
    CHECK(w.balance(*w.dfsp2, test::amina) == test::dec("10"));
    CHECK(w.dfsp1->stats().signatures_refused == 0);
    CHECK(w.dfsp2->stats().signatures_refused == 0);
    CHECK(w.dfsp2->stats().callbacks_failed == 0);
    co_await w.check_conservation();
}

net::awaitable<void> forged_fulfil(net::asio::io_context& ioc)
{
    test::world w(ioc, signed_world());
    co_await w.setup();
    exchange_peer_keys(w);
    w.dfsp2->faults().replace({test::rule(R"({"step":"transfer","party":"0495822412","action":"forged_signature"})")});
    auto const o = co_await w.pay(w.transfer_body(test::amina, "10", "RECEIVE", R"("prepareExpirySeconds":1)"));
    INFO(o.body);
    // The switch refused the fulfil (3105), so the transfer expired and the credit went back.
    CHECK(o.state() == "ERROR_OCCURRED");
    CHECK(o.error_code() == "3303");
    CHECK(w.switch_state(o.id()) == transfer_state::expired_reserved);
    CHECK(w.dfsp2->stats().signatures_refused == 1);
    CHECK(w.dfsp2->stats().faults_fired == 1);
    co_await w.check_conservation();
    CHECK(w.balance(*w.dfsp2, test::amina) == decimal{});

    // The next payment, signed properly, goes through.
    auto const next = co_await w.pay(w.transfer_body(test::brian, "10"));
    CHECK(next.state() == "COMPLETED");
}

net::awaitable<void> forged_quote_unchecked_without_validation(net::asio::io_context& ioc)
{
    // Without validation at the switch, the forged signature passes the switch and reaches
    // the payer, which verifies it with the payee's key and refuses it with 3105: the
    // connector then times out waiting for the quote.
    auto opts = signed_world();
    opts.tweak_switch = [](central::switch_config& c) {
        c.jws.sign = true;
        c.jws.signing_key = hub_key();
    };
    test::world w(ioc, opts);
    co_await w.setup();
    exchange_peer_keys(w);
    w.dfsp2->faults().replace({test::rule(R"({"step":"quote","party":"0495822412","action":"forged_signature"})")});
    auto const o = co_await w.pay(w.transfer_body(test::amina, "10"));
    INFO(o.body);
    CHECK(o.status == 504);
    CHECK(o.state() == "ERROR_OCCURRED");
    // The switch forwarded it (200 to dfsp2), and the payer's 3105 went back to the switch.
    CHECK(w.dfsp2->stats().signatures_refused == 0);
    auto const failed = co_await w.settle([&] { return w.hub->callbacks().failed >= 1; });
    CHECK(failed);
    co_await w.check_conservation();
}

net::awaitable<void> hub_messages_checked(net::asio::io_context& ioc)
{
    // The payee verifies the hub's own messages too: with a wrong key for the hub, the
    // switch's PUT copy of the commit is refused (3105) and counted as a failed callback.
    auto opts = signed_world();
    test::world w(ioc, opts);
    co_await w.setup();
    exchange_peer_keys(w);
    w.dfsp2->add_jws_key("Hub", dfsp1_key().public_key());
    auto const o = co_await w.pay(w.transfer_body(test::amina, "10"));
    CHECK(o.state() == "COMPLETED");
    auto const refused = co_await w.settle([&] { return w.hub->callbacks().failed_by_fsp.contains("dfsp2"); });
    CHECK(refused);
    CHECK(w.dfsp2->stats().commits_confirmed == 0);
}

} // namespace

TEST_CASE("jws: signing and verifying DFSPs pay through a validating, signing switch", "[jws]")
{
    test::run_async(signed_payment);
}

TEST_CASE("jws: the forged_signature fault on the fulfil is refused with 3105 and the transfer expires", "[jws]")
{
    test::run_async(forged_fulfil);
}

TEST_CASE("jws: a forged quote callback is refused by the payer when the switch does not validate", "[jws]")
{
    test::run_async(forged_quote_unchecked_without_validation);
}

TEST_CASE("jws: the payee verifies the hub's own messages with the hub's key", "[jws]")
{
    test::run_async(hub_messages_checked);
}
