// Transfers over real HTTP: commit, commit notification, wrong fulfilment, payee error,
// liquidity and net debit cap, expiry, duplicates, GET, API versions.
#include "switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

net::awaitable<void>
commit(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const body = world::prepare_body(id, "100.25");

    // Prepare: 202, then the same body reaches the payee with the payer's headers.
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    CHECK(r.status == 202);
    auto prepare = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(prepare);
    CHECK(prepare->body == body);
    CHECK(prepare->fields.value_or("FSPIOP-Source") == "dfsp1");
    CHECK(prepare->fields.value_or("FSPIOP-Destination") == "dfsp2");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("100.25"));
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::reserved);

    // Fulfil: the payer gets the payee's PUT, the payee a copy from the hub.
    auto const fulfil = world::fulfil_body(id);
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, fulfil, "dfsp1"));
    CHECK(r.status == 200);
    auto to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(to_payer);
    CHECK(to_payer->body == fulfil);
    CHECK(to_payer->fields.value_or("FSPIOP-Source") == "dfsp2");
    auto copy = co_await w.dfsp2.expect(method::put, "/transfers/" + id);
    REQUIRE(copy);
    CHECK(copy->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(copy->fields.value_or("FSPIOP-Destination") == "dfsp2");
    CHECK(json_text(copy->body, {"transferState"}) == "COMMITTED");
    CHECK(json_text(copy->body, {"fulfilment"}) == world::fulfilment_of(id));

    // Positions: payer +amount, payee -amount, also through the Admin API.
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("100.25"));
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal::parse("-100.25"));
    auto pos = co_await w.admin(method::get, "/participants/dfsp2/positions?currency=USD");
    CHECK(pos.status == 200);
    CHECK(pos.body.find(R"("value":-100.25)") != std::string::npos);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::committed);
    CHECK(w.hub.transfers().find(id)->window == w.hub.settlement().open_window());
}

net::awaitable<void>
reserved_fulfil(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got1 = co_await w.prepare(id, "10");
    REQUIRE(got1);
    co_await w.dfsp2.send(w.fspiop(),
                          w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id, "RESERVED"), "dfsp1"));

    // The payer hears COMMITTED from the hub; the payee gets the PATCH.
    auto to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(to_payer);
    CHECK(to_payer->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(json_text(to_payer->body, {"transferState"}) == "COMMITTED");
    auto patch = co_await w.dfsp2.expect(method::patch, "/transfers/" + id);
    REQUIRE(patch);
    CHECK(json_text(patch->body, {"transferState"}) == "COMMITTED");
    CHECK(!json_text(patch->body, {"completedTimestamp"}).empty());
    CHECK(json_text(patch->body, {"fulfilment"}).empty());
    CHECK(patch->fields.value_or("Content-Type") == media("transfers"));
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal::parse("-10"));
}

net::awaitable<void>
wrong_fulfilment(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got2 = co_await w.prepare(id, "70");
    REQUIRE(got2);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("70"));
    auto const bad = world::fulfil_body(id, "COMMITTED", world::fulfilment_of("something else"));
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, bad, "dfsp1"));

    auto error = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(error);
    CHECK(error_code_in(*error) == "3100");
    CHECK(error->fields.value_or("FSPIOP-Source") == "Hub");
    auto copy = co_await w.dfsp2.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(copy);
    CHECK(error_code_in(*copy) == "3100");
    // The reservation is released.
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal{});
    CHECK(ledger::to_api(*w.hub.transfer_state(id)) == ledger::api_state::aborted);
}

net::awaitable<void>
payee_error(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got3 = co_await w.prepare(id, "50");
    REQUIRE(got3);
    auto const body = fspiop::error_body(fspiop::errc::payee_rejected_transaction);
    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id + "/error", body, "dfsp1"));
    CHECK(r.status == 200);

    auto forwarded = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(forwarded);
    CHECK(forwarded->body == body);
    CHECK(error_code_in(*forwarded) == "5104");
    CHECK(forwarded->fields.value_or("FSPIOP-Source") == "dfsp2");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);

    // An error code outside the FSPIOP numbering is refused at once.
    auto const id2 = w.new_id();
    auto const got4 = co_await w.prepare(id2, "5");
    REQUIRE(got4);
    r = co_await w.dfsp2.send(
        w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id2 + "/error",
                                 R"({"errorInformation":{"errorCode":"9999","errorDescription":"odd"}})", "dfsp1"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3100");
    CHECK(w.hub.transfer_state(id2) == ledger::transfer_state::reserved);
}

net::awaitable<void>
liquidity_and_limit(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.onboard_hub();
    co_await w.onboard(w.dfsp1, "1000", "600"); // cap 1000, only 600 deposited
    co_await w.onboard(w.dfsp2, "1000", "5000");

    auto const over_funds = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/transfers", world::prepare_body(over_funds, "700"), "dfsp2"));
    auto e = co_await w.dfsp1.expect(method::put, "/transfers/" + over_funds + "/error");
    REQUIRE(e);
    CHECK(error_code_in(*e) == "4001");
    CHECK(e->fields.value_or("FSPIOP-Source") == "Hub");

    // More funds: now the cap is what stops it.
    auto const listing = co_await w.admin(method::get, "/participants/dfsp1/accounts");
    auto accounts = boost::json::parse(listing.body).as_array();
    std::string settlement_id;
    for(auto const& a : accounts)
        if(a.at("ledgerAccountType") == "SETTLEMENT")
            settlement_id = std::to_string(a.at("id").as_int64());
    auto r = co_await w.admin(method::post, "/participants/dfsp1/accounts/" + settlement_id,
                              R"({"transferId":")" + w.new_id() +
                                  R"(","externalReference":"top-up","action":"recordFundsIn","reason":"top-up",)"
                                  R"("amount":{"amount":5000,"currency":"USD"}})");
    REQUIRE(r.status == 202);
    auto const over_cap = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/transfers", world::prepare_body(over_cap, "1000.0001"), "dfsp2"));
    e = co_await w.dfsp1.expect(method::put, "/transfers/" + over_cap + "/error");
    REQUIRE(e);
    CHECK(error_code_in(*e) == "4200");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.dfsp2.unexpected().empty());

    // Raising the cap through the Admin API lets it through.
    r = co_await w.admin(method::put, "/participants/dfsp1/limits",
                         R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":2000,"alarmPercentage":10}})");
    CHECK(r.status == 200);
    CHECK(json_text(r.body, {"limit", "value"}) == "2000");
    auto const ok = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/transfers", world::prepare_body(ok, "1000.0001"), "dfsp2"));
    auto const got5 = co_await w.dfsp2.expect(method::post, "/transfers");
    CHECK(got5);
}

net::awaitable<void>
expiry(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "20", 300ms), "dfsp2"));
    auto const got6 = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(got6);
    // The payee never answers: both sides hear 3303 from the hub.
    auto payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error", 3s);
    REQUIRE(payer);
    CHECK(error_code_in(*payer) == "3303");
    CHECK(payer->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(payer->fields.value_or("FSPIOP-Destination") == "dfsp1");
    auto payee = co_await w.dfsp2.expect(method::put, "/transfers/" + id + "/error", 3s);
    REQUIRE(payee);
    CHECK(error_code_in(*payee) == "3303");
    CHECK(payee->fields.value_or("FSPIOP-Destination") == "dfsp2");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::expired_reserved);

    // A GET afterwards reports ABORTED with the 3303 as its cause, never an internal state.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}));
    auto get = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(get);
    CHECK(json_text(get->body, {"transferState"}) == "ABORTED");
    CHECK(json_text(get->body, {"extensionList"}) == R"({"extension":[{"key":"cause","value":"3303: Transfer expired"}]})");
}

net::awaitable<void>
duplicates(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const body = world::prepare_body(id, "30");
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    auto const got7 = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(got7);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, world::fulfil_body(id), "dfsp1"));
    auto const got8 = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(got8);

    // The same POST after the commit: COMMITTED is resent to the payer, nothing moves.
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", body, "dfsp2"));
    CHECK(r.status == 202);
    auto resent = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(resent);
    CHECK(json_text(resent->body, {"transferState"}) == "COMMITTED");
    CHECK(json_text(resent->body, {"fulfilment"}) == world::fulfilment_of(id));
    CHECK(resent->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("30"));

    // The same id with another body: 3106.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", world::prepare_body(id, "31"), "dfsp2"));
    auto modified = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(modified);
    CHECK(error_code_in(*modified) == "3106");
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("30"));
}

net::awaitable<void>
get_transfer(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const unknown = w.new_id();
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + unknown, {}));
    CHECK(r.status == 202);
    auto e = co_await w.dfsp1.expect(method::put, "/transfers/" + unknown + "/error");
    REQUIRE(e);
    CHECK(error_code_in(*e) == "3208");

    auto const id = w.new_id();
    auto const got9 = co_await w.prepare(id, "1");
    REQUIRE(got9);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::get, "/transfers/" + id, {}));
    auto state = co_await w.dfsp2.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "RESERVED");
}

net::awaitable<void>
version_two(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got10 = co_await w.prepare(id, "2");
    REQUIRE(got10);
    // A 2.0 request is answered in 2.0.
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}, {}, "2.0"));
    CHECK(r.status == 202);
    auto state = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    CHECK(state->fields.value_or("Content-Type") == media("transfers", "2.0"));

    // A 1.0 RESERVED fulfil is dropped, as the hub does.
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id,
                                                   world::fulfil_body(id, "RESERVED"), "dfsp1", "1.0"));
    auto const got11 = co_await w.dfsp1.expect(method::put, "/transfers/" + id, 200ms);
    CHECK_FALSE(got11);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::reserved);
}

// The usual world and a third FSP, `third`, and a transfer reserved from dfsp1 to dfsp2.
net::awaitable<std::string>
reserved_beside(world& w, test_fsp& third, std::string amount)
{
    co_await w.setup();
    co_await w.onboard(third, "1000", "5000");
    auto id = w.new_id();
    auto const got = co_await w.prepare(id, std::move(amount));
    REQUIRE(got);
    co_return id;
}

// A third FSP's PUT /transfers/{ID}/error, then the payee's genuine 5104 with the same body.
// central-ledger checks the route before the duplicate check: the third FSP's error aborts
// the transfer (ABORT_VALIDATION, 3100 from the hub to the payer) and is never recorded, so
// the payee's 5104 is answered as a callback for a transfer no longer reserved.
net::awaitable<void>
third_fsp_error(asio::io_context& ioc)
{
    world w(ioc);
    test_fsp dfsp3(ioc, "dfsp3");
    auto const id = co_await reserved_beside(w, dfsp3, "50");
    auto const body = fspiop::error_body(fspiop::errc::payee_rejected_transaction);
    auto r = co_await dfsp3.send(w.fspiop(), dfsp3.make(method::put, "/transfers/" + id + "/error", body, "dfsp1"));
    CHECK(r.status == 200);

    auto to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payer);
    CHECK(to_payer->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(error_code_in(*to_payer) == "3100");
    CHECK(json_text(to_payer->body, {"errorInformation", "errorDescription"}) ==
          "Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response");
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});

    // The payee's genuine error: answered (not dropped as a duplicate, not 3106).
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id + "/error", body, "dfsp1"));
    CHECK(r.status == 200);
    auto to_payee = co_await w.dfsp2.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payee);
    CHECK(to_payee->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(json_text(to_payee->body, {"errorInformation", "errorDescription"}) ==
          "Generic validation error - non-RESERVED transfer state");
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);

    // A GET from the payer reports ABORTED with the stored 3100 as its cause; it heard nothing
    // else, and the third FSP nothing at all.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}));
    auto state = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "ABORTED");
    CHECK(json_text(state->body, {"extensionList", "extension"}) ==
          R"([{"key":"cause","value":"3100: Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response"}])");
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(w.dfsp2.unexpected().empty());
    CHECK(dfsp3.unexpected().empty());
}

// A third FSP's fulfil (with the right fulfilment), then the payee's own with the same body.
net::awaitable<void>
third_fsp_fulfil(asio::io_context& ioc)
{
    world w(ioc);
    test_fsp dfsp3(ioc, "dfsp3");
    auto const id = co_await reserved_beside(w, dfsp3, "40");
    auto const fulfil = world::fulfil_body(id);
    auto r = co_await dfsp3.send(w.fspiop(), dfsp3.make(method::put, "/transfers/" + id, fulfil, "dfsp1"));
    CHECK(r.status == 200);

    auto to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payer);
    CHECK(to_payer->fields.value_or("FSPIOP-Source") == "Hub");
    CHECK(json_text(to_payer->body, {"errorInformation", "errorDescription"}) ==
          "Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response");
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});

    // The payee's fulfil is not a duplicate of the forged one: it hears why it cannot commit
    // (and that is the first error it hears: the hub sent it no copy of the abort).
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, fulfil, "dfsp1"));
    CHECK(r.status == 200);
    auto to_payee = co_await w.dfsp2.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payee);
    CHECK(json_text(to_payee->body, {"errorInformation", "errorDescription"}) ==
          "Generic validation error - non-RESERVED transfer state");
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal{});
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}));
    auto const state = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    CHECK(json_text(state->body, {"transferState"}) == "ABORTED");
    CHECK(w.dfsp1.unexpected().empty());
    CHECK(dfsp3.unexpected().empty());
}


// Issue 14 §1. ml-api-adapter's createCallbackHeaders (src/lib/headers.js) sets
// FSPIOP-HTTP-Method and FSPIOP-URI (the path from the resource on, rendered from its endpoint
// template) on every message it sends, forwarded or hub-made; its Hapi server answers every
// request with Date and Cache-Control: no-cache (Hapi's default route cache policy). The test
// FSPs send neither header, so each one seen below is the hub's.
void
check_callback_headers(net::request const& r, std::string_view method_name, std::string const& uri)
{
    INFO(net::to_string(r.method) << " " << r.target);
    CHECK(r.fields.value_or("FSPIOP-HTTP-Method") == method_name);
    CHECK(r.fields.value_or("FSPIOP-URI") == uri);
}

void
check_answer_headers(net::response const& r)
{
    INFO(r);
    CHECK(core::parse_http_date(r.fields.value_or("Date")));
    CHECK(r.fields.value_or("Cache-Control") == "no-cache");
    if(!r.body.empty())
        CHECK(r.fields.value_or("Content-Type") == "application/json");
}

net::awaitable<void>
callback_headers(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const put_uri = "/transfers/" + id;
    auto const error_uri = put_uri + "/error";

    // The prepare: 202 with Date and Cache-Control; forwarded with the callback headers.
    auto const prepare_body = world::prepare_body(id, "10");
    auto r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", prepare_body, "dfsp2"));
    CHECK(r.status == 202);
    check_answer_headers(r);
    auto const prepare = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(prepare);
    check_callback_headers(*prepare, "POST", "/transfers");

    // The fulfil: 200; the forward to the payer and the hub's copy to the payee.
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, put_uri, world::fulfil_body(id), "dfsp1"));
    CHECK(r.status == 200);
    check_answer_headers(r);
    auto const to_payer = co_await w.dfsp1.expect(method::put, put_uri);
    REQUIRE(to_payer);
    check_callback_headers(*to_payer, "PUT", put_uri);
    auto const copy = co_await w.dfsp2.expect(method::put, put_uri);
    REQUIRE(copy);
    check_callback_headers(*copy, "PUT", put_uri);

    // A GET answered by the hub, a duplicate re-sent, an error callback.
    r = co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, put_uri, {}));
    CHECK(r.status == 202);
    check_answer_headers(r);
    auto const got = co_await w.dfsp1.expect(method::put, put_uri);
    REQUIRE(got);
    check_callback_headers(*got, "PUT", put_uri);
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::post, "/transfers", prepare_body, "dfsp2"));
    auto const resent = co_await w.dfsp1.expect(method::put, put_uri);
    REQUIRE(resent);
    check_callback_headers(*resent, "PUT", put_uri);
    auto const unknown = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + unknown, {}));
    auto const not_found = co_await w.dfsp1.expect(method::put, "/transfers/" + unknown + "/error");
    REQUIRE(not_found);
    check_callback_headers(*not_found, "PUT", "/transfers/" + unknown + "/error");

    // The PATCH of a RESERVED fulfil.
    auto const id2 = w.new_id();
    auto const got2 = co_await w.prepare(id2, "5");
    REQUIRE(got2);
    co_await w.dfsp2.send(w.fspiop(),
                          w.dfsp2.make(method::put, "/transfers/" + id2, world::fulfil_body(id2, "RESERVED"), "dfsp1"));
    auto const patch = co_await w.dfsp2.expect(method::patch, "/transfers/" + id2);
    REQUIRE(patch);
    check_callback_headers(*patch, "PATCH", "/transfers/" + id2);
    auto const notice = co_await w.dfsp1.expect(method::put, "/transfers/" + id2);
    REQUIRE(notice);
    check_callback_headers(*notice, "PUT", "/transfers/" + id2);

    // A payee error forwarded, expiry notices to both sides.
    auto const id3 = w.new_id();
    auto const got3 = co_await w.prepare(id3, "5");
    REQUIRE(got3);
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id3 + "/error",
                                                   fspiop::error_body(fspiop::errc::payee_rejected_transaction),
                                                   "dfsp1"));
    auto const forwarded_error = co_await w.dfsp1.expect(method::put, "/transfers/" + id3 + "/error");
    REQUIRE(forwarded_error);
    check_callback_headers(*forwarded_error, "PUT", "/transfers/" + id3 + "/error");
    auto const id4 = w.new_id();
    co_await w.dfsp1.send(w.fspiop(),
                          w.dfsp1.make(method::post, "/transfers", world::prepare_body(id4, "5", 300ms), "dfsp2"));
    auto const got4 = co_await w.dfsp2.expect(method::post, "/transfers");
    REQUIRE(got4);
    auto const expired = co_await w.dfsp2.expect(method::put, "/transfers/" + id4 + "/error", 3s);
    REQUIRE(expired);
    check_callback_headers(*expired, "PUT", "/transfers/" + id4 + "/error");

    // A refusal (400 with a body) and the Admin API's answers carry them too.
    auto bad = w.dfsp1.make(method::post, "/transfers", world::prepare_body(w.new_id(), "1"), "dfsp2");
    bad.fields.erase("Date");
    r = co_await w.dfsp1.send(w.fspiop(), std::move(bad));
    CHECK(r.status == 400);
    check_answer_headers(r);
    r = co_await w.admin(method::get, "/participants/dfsp1");
    CHECK(r.status == 200);
    check_answer_headers(r);
}

// Issue 14 §2. Expected body from central-ledger: getTransfer answers with
// TransferObjectTransform.toFulfil of the read model (src/domain/transfer/transform.js:
// completedTimestamp, transferState, no fulfilment for an aborted transfer), whose
// extensionList the facade's getById completes for an ABORTED transfer with
// {key: 'cause', value: `${errorCode}: ${errorDescription}`.substr(0, 128)}
// (src/models/transfer/facade.js); the unknown id's 3208 text is getTransfer's own.
net::awaitable<void>
aborted_get(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "70");
    REQUIRE(got);
    auto const bad = world::fulfil_body(id, "COMMITTED", world::fulfilment_of("something else"));
    co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, bad, "dfsp1"));
    auto const error = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(error);

    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + id, {}));
    auto const state = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(state);
    auto const completed = json_text(state->body, {"completedTimestamp"});
    CHECK(core::parse_datetime(completed));
    CHECK(state->body == R"({"completedTimestamp":")" + completed +
                             R"(","transferState":"ABORTED","extensionList":{"extension":[{"key":"cause",)"
                             R"("value":"3100: Generic validation error - invalid fulfilment"}]}})");
    CHECK(state->fields.value_or("FSPIOP-Source") == "Hub");
    // No error callback for a GET of an aborted transfer.
    CHECK(w.dfsp1.unexpected().empty());

    auto const unknown = w.new_id();
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/transfers/" + unknown, {}));
    auto const e = co_await w.dfsp1.expect(method::put, "/transfers/" + unknown + "/error");
    REQUIRE(e);
    CHECK(e->body == R"({"errorInformation":{"errorCode":"3208","errorDescription":)"
                     R"("Transfer ID not found - Provided Transfer ID was not found on the server."}})");
}

// Issue 14 §2: a fulfil without fulfilment is taken (200: ml-api-adapter's schema has it
// optional) and aborts the transfer with 3100; strict_spec keeps the specification's 3102.
net::awaitable<void>
fulfil_without_fulfilment(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "40");
    REQUIRE(got);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("40"));
    auto const body = R"({"completedTimestamp":")" + core::format_datetime(std::chrono::system_clock::now()) +
                      R"(","transferState":"COMMITTED"})";
    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, body, "dfsp1"));
    CHECK(r.status == 200);
    auto const to_payee = co_await w.dfsp2.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payee);
    CHECK(to_payee->body ==
          R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - fulfilment is missing"}})");
    auto const to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id + "/error");
    REQUIRE(to_payer);
    CHECK(error_code_in(*to_payer) == "3100");
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::aborted_error);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal{});
    CHECK(w.hub.position("dfsp2", "USD") == core::decimal{});

    // strict_spec: refused at once, the transfer stays reserved.
    auto cfg = world::config();
    cfg.strict_spec = true;
    world strict(ioc, cfg);
    co_await strict.setup();
    auto const id2 = strict.new_id();
    auto const got2 = co_await strict.prepare(id2, "40");
    REQUIRE(got2);
    r = co_await strict.dfsp2.send(strict.fspiop(),
                                   strict.dfsp2.make(method::put, "/transfers/" + id2, body, "dfsp1"));
    CHECK(r.status == 400);
    CHECK(json_text(r.body, {"errorInformation", "errorCode"}) == "3102");
    CHECK(strict.hub.transfer_state(id2) == ledger::transfer_state::reserved);
    CHECK(strict.hub.position("dfsp1", "USD") == core::decimal::parse("40"));
}

// Issue 14 §2. ml-api-adapter's fulfil validation (src/api/transfers/validator.js, and its
// handler test "reply with status code 400 if completedTimestamp is in the future"): 400,
// FSPIOPError 3100 "completedTimestamp fails because future timestamp was provided", with
// MAX_CALLBACK_TIME_LAG_DILATION_MILLISECONDS (200) of tolerance. The switch's clock is
// manual, so the boundary is exact.
net::awaitable<void>
future_completed_timestamp(asio::io_context& ioc)
{
    // Static: the clock must outlive the io_context's run.
    static core::manual_clock clock;
    clock.set(std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    world w(ioc, world::config(), clock);
    co_await w.setup();
    auto const id = w.new_id();
    auto const got = co_await w.prepare(id, "25");
    REQUIRE(got);
    auto const fulfil_at = [&](std::chrono::milliseconds ahead) {
        fspiop::put_transfers p;
        p.fulfilment = world::fulfilment_of(id);
        p.completed_timestamp = core::format_datetime(clock.now() + ahead);
        p.transfer_state = fspiop::transfer_state::committed;
        return fspiop::encode(p);
    };

    auto r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, fulfil_at(201ms), "dfsp1"));
    CHECK(r.status == 400);
    CHECK(r.body == R"({"errorInformation":{"errorCode":"3100","errorDescription":)"
                    R"("Generic validation error - completedTimestamp fails because future timestamp was provided"}})");
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::reserved);
    CHECK(w.hub.position("dfsp1", "USD") == core::decimal::parse("25"));

    // Within the tolerance: committed.
    r = co_await w.dfsp2.send(w.fspiop(), w.dfsp2.make(method::put, "/transfers/" + id, fulfil_at(200ms), "dfsp1"));
    CHECK(r.status == 200);
    auto const to_payer = co_await w.dfsp1.expect(method::put, "/transfers/" + id);
    REQUIRE(to_payer);
    CHECK(w.hub.transfer_state(id) == ledger::transfer_state::committed);
}

} // namespace

TEST_CASE("switch: transfer commit moves payer +amount and payee -amount", "[switch][transfers]")
{
    run_async(commit);
}

TEST_CASE("switch: a RESERVED fulfil commits and sends PATCH to the payee", "[switch][transfers]")
{
    run_async(reserved_fulfil);
}

TEST_CASE("switch: a wrong fulfilment is 3100 and releases the reservation", "[switch][transfers]")
{
    run_async(wrong_fulfilment);
}

TEST_CASE("switch: a payee error 5104 aborts and is forwarded to the payer", "[switch][transfers]")
{
    run_async(payee_error);
}

TEST_CASE("switch: liquidity 4001, then net debit cap 4200", "[switch][transfers]")
{
    run_async(liquidity_and_limit);
}

TEST_CASE("switch: expiry sends 3303 to payer and payee", "[switch][transfers]")
{
    run_async(expiry);
}

TEST_CASE("switch: duplicate POST after commit resends COMMITTED, a changed body gets 3106", "[switch][transfers]")
{
    run_async(duplicates);
}

TEST_CASE("switch: GET of an unknown transfer gets 3208", "[switch][transfers]")
{
    run_async(get_transfer);
}

TEST_CASE("switch: a third FSP's error aborts with 3100 and never hides the payee's own", "[switch][transfers]")
{
    run_async(third_fsp_error);
}

TEST_CASE("switch: a third FSP's fulfil aborts with 3100, the payee's fulfil is not its duplicate", "[switch][transfers]")
{
    run_async(third_fsp_fulfil);
}

TEST_CASE("switch: a 2.0 request is answered in 2.0", "[switch][transfers]")
{
    run_async(version_two);
}

} // namespace mojasim::test

namespace mojasim::test {

TEST_CASE("switch: every transfer message carries FSPIOP-URI and FSPIOP-HTTP-Method, answers Date and Cache-Control",
          "[switch][transfers][headers]")
{
    run_async(callback_headers);
}

TEST_CASE("switch: GET of an ABORTED transfer answers PUT ABORTED with its cause", "[switch][transfers]")
{
    run_async(aborted_get);
}

TEST_CASE("switch: a fulfil without fulfilment aborts with 3100 (3102 under strict_spec)", "[switch][transfers]")
{
    run_async(fulfil_without_fulfilment);
}

TEST_CASE("switch: a completedTimestamp beyond 200 ms in the future is 400 3100", "[switch][transfers]")
{
    run_async(future_completed_timestamp);
}

} // namespace mojasim::test
