// FSPIOP-Signature (JWS) at the switch over real HTTP: signed messages pass and are forwarded
// untouched, hub-made messages are signed with the hub's key, and a tampered body, a wrong
// key, a missing signature and a spoofed FSPIOP-Source are refused with 3105. Keys are
// registered through the Admin API (PUT /participants/{name}/jwsKey, a mojasim extension).
#include "switch_harness.hpp"

#include "simulator/admin/admin_api.hpp"
#include "simulator/fspiop/jws.hpp"

namespace mojasim::test {

namespace {

using net::method;
namespace jws = fspiop::jws;

// RSA-2048 key generation takes tens of milliseconds: each key once per binary.
jws::key const& key_of(std::string_view who)
{
    static jws::key const hub = jws::generate_rsa();
    static jws::key const dfsp1 = jws::generate_rsa();
    static jws::key const dfsp2 = jws::generate_rsa();
    static jws::key const mallory = jws::generate_rsa();
    if(who == "Hub")
        return hub;
    if(who == "dfsp1")
        return dfsp1;
    if(who == "dfsp2")
        return dfsp2;
    return mallory;
}

central::switch_config jws_config(bool validate = true, bool sign = true)
{
    auto c = world::config();
    c.jws.validate = validate;
    c.jws.sign = sign;
    c.jws.signing_key = key_of("Hub");
    return c;
}

/// Sign `req` (made by test_fsp::make) as `source` with `k`, as the SDK does: FSPIOP-URI and
/// FSPIOP-HTTP-Method headers, and a protected header naming them, the source and the
/// destination.
net::request signed_with(jws::key const& k, net::request req, std::string_view claimed_source = {})
{
    auto const uri = jws::uri_of(req.target);
    auto const method_name = std::string(net::to_string(req.method));
    req.fields.set("FSPIOP-URI", uri);
    req.fields.set("FSPIOP-HTTP-Method", method_name);
    auto const source = claimed_source.empty() ? std::string(*req.fields.get("FSPIOP-Source")) : std::string(claimed_source);
    auto const destination = std::string(req.fields.get("FSPIOP-Destination").value_or(""));
    req.fields.set("FSPIOP-Signature", jws::sign(k, {uri, method_name, source, destination}, req.body));
    return req;
}

net::awaitable<void> register_key(world& w, std::string const& fsp)
{
    // (Bodies and paths as locals: g++ 12 mishandles temporaries inside a co_await's call.)
    auto const path = "/participants/" + fsp + "/jwsKey";
    auto body = admin_api::encode(admin_api::jws_key{key_of(fsp).public_pem()});
    auto const r = co_await w.admin(method::put, path, std::move(body));
    REQUIRE(r.status == 200);
}

net::awaitable<void> setup_signed(world& w)
{
    co_await w.setup();
    co_await register_key(w, "dfsp1");
    co_await register_key(w, "dfsp2");
}

/// The 3105 a refused message gets, synchronously.
void check_3105(net::response const& r)
{
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3105");
}

net::awaitable<void>
signed_happy_path(asio::io_context& ioc)
{
    world w(ioc, jws_config());
    co_await setup_signed(w);
    auto const id = w.new_id();

    // The hub's public key, as a DFSP fetches it.
    std::string const hub_key_path = "/participants/Hub/jwsKey";
    auto hub_key_answer = co_await w.admin(method::get, hub_key_path);
    REQUIRE(hub_key_answer.status == 200);
    auto const hub_key = jws::load_pem(json_text(hub_key_answer.body, {"publicKey"}));
    REQUIRE(hub_key);

    // A signed prepare passes and reaches the payee with the payer's signature untouched.
    auto prepare = signed_with(key_of("dfsp1"),
                               w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "10"), "dfsp2"));
    auto const signature = std::string(*prepare.fields.get("FSPIOP-Signature"));
    auto r = co_await w.dfsp1.send(w.fspiop(), std::move(prepare));
    CHECK(r.status == 202);
    auto got = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(got);
    CHECK(got->fields.value_or("FSPIOP-Signature") == signature);
    jws::message_fields const as_sent{"/transfers", "POST", "dfsp1", "dfsp2"};
    auto const forwarded_ok = jws::verify(key_of("dfsp1").public_key(), signature, as_sent, got->body);
    CHECK(forwarded_ok);

    // A signed fulfil: the payer gets the payee's signature, the payee a copy signed by the hub.
    auto fulfil = signed_with(key_of("dfsp2"),
                              w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
    auto const payee_signature = std::string(*fulfil.fields.get("FSPIOP-Signature"));
    r = co_await w.dfsp2.send(w.fspiop(), std::move(fulfil));
    CHECK(r.status == 200);
    auto to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(to_payer);
    CHECK(to_payer->fields.value_or("FSPIOP-Signature") == payee_signature);
    auto copy = co_await w.dfsp2.expect(method::put, "/transfers/" + id);
    REQUIRE(copy);
    CHECK(copy->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(copy->fields.value_or("FSPIOP-URI") == "/transfers/" + id);
    CHECK(copy->fields.value_or("FSPIOP-HTTP-Method") == "PUT");
    auto const hub_signature = copy->fields.value_or("FSPIOP-Signature");
    REQUIRE(!hub_signature.empty());
    auto const uri = "/transfers/" + id;
    jws::message_fields const expected{uri, "PUT", "Hub", "dfsp2"};
    auto const verified = jws::verify(*hub_key, hub_signature, expected, copy->body);
    CHECK(verified);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::committed);
}

net::awaitable<void>
refusals(asio::io_context& ioc)
{
    world w(ioc, jws_config());
    co_await setup_signed(w);
    auto const id = w.new_id();
    auto const body = world::prepare_body(id, "10");

    // A tampered body: signed over one amount, sent with another.
    auto tampered = signed_with(key_of("dfsp1"), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    tampered.body = world::prepare_body(id, "1000");
    auto r = co_await w.dfsp1.send(w.fspiop(), std::move(tampered));
    check_3105(r);

    // Signed with a key that is not dfsp1's.
    auto wrong_key = signed_with(key_of("mallory"), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    r = co_await w.dfsp1.send(w.fspiop(), std::move(wrong_key));
    check_3105(r);

    // No signature at all.
    auto unsigned_prepare = w.dfsp1.make(method::post, "/transfers", body, "dfsp2");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(unsigned_prepare));
    check_3105(r);
    CHECK(json_text(r.body, {"errorInformation", "errorDescription"}).find("FSPIOP-Signature is required") !=
          std::string::npos);

    // Signed for another path (a replay of a prepare's signature on a quote).
    auto replay = signed_with(key_of("dfsp1"), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    replay.target = "/quotes";
    replay.fields.set("Content-Type", media("quotes"));
    replay.fields.set("Accept", media("quotes"));
    r = co_await w.dfsp1.send(w.fspiop(), std::move(replay));
    check_3105(r);

    // None of them reached the payee or moved money; the genuine one still passes.
    CHECK(!w.hub.transfer_state(id));
    CHECK(w.dfsp2.unexpected().empty());
    auto genuine = signed_with(key_of("dfsp1"), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    r = co_await w.dfsp1.send(w.fspiop(), std::move(genuine));
    CHECK(r.status == 202);
    auto got = co_await w.dfsp2.expect(method::post, "/transfers");
    CHECK(got);
}

/// dfsp1 answers a transfer it pays as if it were the payee dfsp2.
net::awaitable<net::response> spoofed_fulfil(world& w, std::string const& id, bool claim_in_protected_header)
{
    auto req = w.dfsp1.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1");
    req.fields.set("FSPIOP-Source", "dfsp2");
    // Either the protected header claims dfsp2 too (then dfsp1's key cannot make dfsp2's
    // signature), or it names dfsp1 honestly (then it does not match the HTTP header).
    auto signed_req = claim_in_protected_header ? signed_with(key_of("dfsp1"), std::move(req), "dfsp2")
                                                : signed_with(key_of("dfsp1"), std::move(req), "dfsp1");
    auto r = co_await w.dfsp1.send(w.fspiop(), std::move(signed_req));
    co_return r;
}

net::awaitable<void>
spoofed_source(asio::io_context& ioc)
{
    {
        // Without JWS a spoofed FSPIOP-Source goes through: dfsp1 commits its own payment.
        world w(ioc, jws_config(false, false));
        co_await setup_signed(w);
        auto const id = w.new_id();
        auto const got = co_await w.prepare(id, "10");
        REQUIRE(got);
        auto const r = co_await spoofed_fulfil(w, id, true);
        CHECK(r.status == 200);
        bool const committed = co_await eventually(
            [&] { return w.hub.transfer_state(id) == ledger::transfer_state::committed; });
        CHECK(committed);
    }
    world w(ioc, jws_config());
    co_await setup_signed(w);
    auto const id = w.new_id();
    auto prepare = signed_with(key_of("dfsp1"),
                               w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "10"), "dfsp2"));
    co_await w.dfsp1.send(w.fspiop(), std::move(prepare));
    auto const got = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(got);
    auto r = co_await spoofed_fulfil(w, id, true);
    check_3105(r);
    r = co_await spoofed_fulfil(w, id, false);
    check_3105(r);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::reserved);
}

net::awaitable<void>
off_by_default(asio::io_context& ioc)
{
    // The default config: keys may be registered, but nothing is checked or signed.
    world w(ioc);
    co_await setup_signed(w);
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "10");
    REQUIRE(got);
    auto fulfil = w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1");
    co_await w.dfsp2.send(w.fspiop(), std::move(fulfil));
    auto copy = co_await w.dfsp2.expect(method::put, "/transfers/" + id);
    REQUIRE(copy);
    CHECK(copy->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(!copy->fields.contains("FSPIOP-Signature"));
    auto const hub_key = co_await w.admin(method::get, "/participants/Hub/jwsKey");
    CHECK(hub_key.status == 400);
}

net::awaitable<void>
validation_only_for_known_keys(asio::io_context& ioc)
{
    // Validation on, but dfsp1's key not registered: its unsigned messages pass (the hub
    // checks senders whose key it holds).
    world w(ioc, jws_config(true, false));
    co_await w.setup();
    co_await register_key(w, "dfsp2");
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "10");
    REQUIRE(got);
    auto fulfil = w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1");
    auto r = co_await w.dfsp2.send(w.fspiop(), std::move(fulfil));
    check_3105(r);
    // GET carries no body and is not signed.
    auto get = w.dfsp2.make(method::get, "/transfers/" + id, {}, "dfsp1");
    r = co_await w.dfsp2.send(w.fspiop(), std::move(get));
    CHECK(r.status == 202);
}

net::awaitable<void>
admin_key_registration(asio::io_context& ioc)
{
    world w(ioc, jws_config());
    co_await w.setup();
    auto r = co_await w.admin(method::put, "/participants/dfsp1/jwsKey", R"({"publicKey":"not a key"})");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    r = co_await w.admin(method::put, "/participants/dfsp1/jwsKey", R"({"key":"x"})");
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3102");
    auto body = admin_api::encode(admin_api::jws_key{key_of("dfsp1").public_pem()});
    r = co_await w.admin(method::put, "/participants/nobody/jwsKey", std::move(body));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3200");
    r = co_await w.admin(method::get, "/participants/dfsp1/jwsKey");
    CHECK(r.status == 400);
    // A private key given by mistake: only its public half is kept and shown.
    body = admin_api::encode(admin_api::jws_key{key_of("dfsp1").private_pem()});
    r = co_await w.admin(method::put, "/participants/dfsp1/jwsKey", std::move(body));
    CHECK(r.status == 200);
    r = co_await w.admin(method::get, "/participants/dfsp1/jwsKey");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"publicKey"}) == key_of("dfsp1").public_pem());
}

} // namespace

TEST_CASE("switch, jws: a signed payment passes, signatures are forwarded untouched, hub messages are signed",
          "[switch][jws]")
{
    run_async(signed_happy_path);
}

TEST_CASE("switch, jws: a tampered body, a wrong key, a missing signature and another path are refused with 3105",
          "[switch][jws]")
{
    run_async(refusals);
}

TEST_CASE("switch, jws: a spoofed FSPIOP-Source is refused with 3105 once JWS is on", "[switch][jws]")
{
    run_async(spoofed_source);
}

TEST_CASE("switch, jws: off by default", "[switch][jws]")
{
    run_async(off_by_default);
}

TEST_CASE("switch, jws: only senders with a registered key are checked, only messages with a body", "[switch][jws]")
{
    run_async(validation_only_for_known_keys);
}

TEST_CASE("switch, jws: the Admin API registers and shows public keys", "[switch][jws]")
{
    run_async(admin_key_registration);
}

} // namespace mojasim::test
