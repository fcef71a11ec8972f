// The payee's decisions: parties, quotes (terms, ILP packet, condition by the SDK recipe) and
// transfers (packet checks, expiry, fulfilment).
#include "simulator/dfsp/payee.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using dfsp::decimal;

namespace {

decimal d(char const* s)
{
    return *decimal::parse(s);
}

struct payee_fixture
{
    dfsp::payee_config cfg;
    dfsp::payee_settings settings;
    dfsp::party_directory dir;
    dfsp::quote_memory quotes{16};
    core::time_point now = *core::parse_datetime("2030-01-01T00:00:00.000Z");

    payee_fixture()
    {
        cfg.fee.fixed = d("0.5");
        cfg.fee.percent = d("1");
        settings.fsp_id = "dfsp2";
        settings.currency = "USD";
        settings.ilp_secret = "dfsp2-test-secret";
        settings.payee = &cfg;
        dfsp::party_config p;
        p.id = "256700000002";
        p.first_name = "Jane";
        p.last_name = "Doe";
        p.date_of_birth = "1990-05-17";
        p.display_name = "Jane Doe";
        p.account = "acc-jane";
        dir.add(p);
    }

    // The quote request of the test vector below.
    static fspiop::post_quotes quote_request(fspiop::amount_type type = fspiop::amount_type::receive,
                                             std::string amount = "100")
    {
        fspiop::post_quotes q;
        q.quote_id = "7c23e80c-d078-4077-8263-2c047876fcf6";
        q.transaction_id = "85feac2f-39b2-491b-817e-4a03203d4f14";
        q.payee.party_id_info.party_identifier = "256700000002";
        q.payee.party_id_info.fsp_id = "dfsp2";
        q.payer.party_id_info.party_identifier = "256700000001";
        q.payer.party_id_info.fsp_id = "dfsp1";
        q.payer.name = "Treasury";
        q.amount_type = type;
        q.amount = fspiop::money{"USD", std::move(amount)};
        q.transaction_type.initiator_type = fspiop::transaction_initiator_type::business;
        return q;
    }

    // The prepare a payer builds from a quote answer.
    static fspiop::post_transfers prepare(fspiop::put_quotes const& quote, std::string expiration)
    {
        fspiop::post_transfers t;
        t.transfer_id = "85feac2f-39b2-491b-817e-4a03203d4f14";
        t.payer_fsp = "dfsp1";
        t.payee_fsp = "dfsp2";
        t.amount = quote.transfer_amount;
        t.ilp_packet = quote.ilp_packet;
        t.condition = quote.condition;
        t.expiration = std::move(expiration);
        return t;
    }
};

// Computed independently of mojasim from fspiop.md §6.2-6.3 with Python's standard library:
//
//   import base64, hashlib, hmac
//   b64u = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
//   def vlen(n): return bytes([n]) if n < 128 else (lambda b: bytes([0x80 | len(b)]) + b)(
//                     n.to_bytes((n.bit_length() + 7) // 8, 'big'))
//   def voct(b): return vlen(len(b)) + b
//   tx = ('{"quoteId":"7c23e80c-d078-4077-8263-2c047876fcf6","transactionId":"85feac2f-39b2-491b-817e-4a03203d4f14",'
//         '"transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"BUSINESS"},'
//         '"payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000002","fspId":"dfsp2"}},'
//         '"payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":"dfsp1"},'
//         '"name":"Treasury"},"expiration":"2030-01-01T00:01:00.000Z","amount":{"currency":"USD","amount":"101.5"}}')
//   contents = ((10150).to_bytes(8, 'big') + voct(b'g.dfsp2.msisdn.256700000002')
//               + voct(b64u(tx.encode()).encode()) + b'\x00')
//   packet = b64u(b'\x01' + voct(contents))
//   ful = hmac.new(base64.b64encode(b'dfsp2-test-secret'), packet.encode(), hashlib.sha256).digest()
//   print(packet, b64u(ful), b64u(hashlib.sha256(ful).digest()))
//
// (RECEIVE 100 USD with a fee of 0.5 + 1 % gives transferAmount 101.5 = 10150 cents; the quote
// expires 60 s after 2030-01-01T00:00:00.000Z.)
constexpr char const* vector_packet =
    "AYICugAAAAAAACemG2cuZGZzcDIubXNpc2RuLjI1NjcwMDAwMDAwMoICkmV5SnhkVzkwWlVsa0lqb2lOMk15TTJVNE1HTXRaREEzT0MwME1EYz"
    "NMVGd5TmpNdE1tTXdORGM0TnpabVkyWTJJaXdpZEhKaGJuTmhZM1JwYjI1SlpDSTZJamcxWm1WaFl6Sm1MVE01WWpJdE5Ea3hZaTA0TVRkbExU"
    "UmhNRE15TUROa05HWXhOQ0lzSW5SeVlXNXpZV04wYVc5dVZIbHdaU0k2ZXlKelkyVnVZWEpwYnlJNklsUlNRVTVUUmtWU0lpd2lhVzVwZEdsaG"
    "RHOXlJam9pVUVGWlJWSWlMQ0pwYm1sMGFXRjBiM0pVZVhCbElqb2lRbFZUU1U1RlUxTWlmU3dpY0dGNVpXVWlPbnNpY0dGeWRIbEpaRWx1Wm04"
    "aU9uc2ljR0Z5ZEhsSlpGUjVjR1VpT2lKTlUwbFRSRTRpTENKd1lYSjBlVWxrWlc1MGFXWnBaWElpT2lJeU5UWTNNREF3TURBd01ESWlMQ0ptYz"
    "NCSlpDSTZJbVJtYzNBeUluMTlMQ0p3WVhsbGNpSTZleUp3WVhKMGVVbGtTVzVtYnlJNmV5SndZWEowZVVsa1ZIbHdaU0k2SWsxVFNWTkVUaUlz"
    "SW5CaGNuUjVTV1JsYm5ScFptbGxjaUk2SWpJMU5qY3dNREF3TURBd01TSXNJbVp6Y0Vsa0lqb2laR1p6Y0RFaWZTd2libUZ0WlNJNklsUnlaV0"
    "Z6ZFhKNUluMHNJbVY0Y0dseVlYUnBiMjRpT2lJeU1ETXdMVEF4TFRBeFZEQXdPakF4T2pBd0xqQXdNRm9pTENKaGJXOTFiblFpT25zaVkzVnlj"
    "bVZ1WTNraU9pSlZVMFFpTENKaGJXOTFiblFpT2lJeE1ERXVOU0o5ZlEA";
constexpr char const* vector_fulfilment = "cat2Uuo_byoCiHLfso6zgYJVI7jt6UQYenokOFVqaBs";
constexpr char const* vector_condition = "Xh5hq4FbyrYR83NPGcaVBKWo9YaNEkrYOaDc1WhB2iQ";

} // namespace

TEST_CASE("a known party is answered with its details, an unknown one with 3204")
{
    payee_fixture f;
    auto const ok = dfsp::answer_party(f.dir, f.settings, fspiop::party_id_type::msisdn, "256700000002", "");
    REQUIRE(ok);
    auto const& p = ok->party;
    CHECK(p.party_id_info.fsp_id == "dfsp2");
    CHECK(p.name == "Jane Doe");
    REQUIRE(p.personal_info);
    CHECK(p.personal_info->complex_name->first_name == "Jane");
    CHECK(p.personal_info->date_of_birth == "1990-05-17");
    // The body is valid FSPIOP.
    CHECK(fspiop::decode<fspiop::put_parties>(fspiop::encode(*ok)));

    auto const missing = dfsp::answer_party(f.dir, f.settings, fspiop::party_id_type::msisdn, "256700000099", "");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == fspiop::errc::party_not_found);
    CHECK(missing.error().body() == R"({"errorInformation":{"errorCode":"3204","errorDescription":"Party not found"}})");
    // Another id type is another party.
    CHECK_FALSE(dfsp::answer_party(f.dir, f.settings, fspiop::party_id_type::email, "256700000002", ""));
}

TEST_CASE("the quote's packet, condition and fulfilment match the SDK recipe on an independent vector")
{
    payee_fixture f;
    auto const a = dfsp::answer_quote(f.dir, f.settings, payee_fixture::quote_request(), f.now);
    REQUIRE(a);
    auto const& r = a->response;
    CHECK(r.transfer_amount == fspiop::money{"USD", "101.5"});
    CHECK(r.payee_receive_amount == fspiop::money{"USD", "100"});
    CHECK(r.payee_fsp_fee == fspiop::money{"USD", "1.5"});
    CHECK(r.expiration == "2030-01-01T00:01:00.000Z");
    CHECK(r.ilp_packet == vector_packet);
    CHECK(r.condition == vector_condition);
    CHECK(a->split.account == "acc-jane");
    CHECK(a->split.payee_receive_amount == d("100"));
    CHECK(a->split.payee_fsp_fee == d("1.5"));
    CHECK(fspiop::decode<fspiop::put_quotes>(fspiop::encode(r)));

    // The transfer built from it is accepted with the vector's fulfilment, crediting 100.
    f.quotes.remember("7c23e80c-d078-4077-8263-2c047876fcf6", a->split);
    auto const prepare = payee_fixture::prepare(r, "2030-01-01T00:00:30.000Z");
    auto const t = dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1);
    REQUIRE(t);
    CHECK(t->fulfilment == vector_fulfilment);
    CHECK(fspiop::check_fulfilment(t->fulfilment, prepare.condition));
    CHECK(t->account == "acc-jane");
    CHECK(t->credit == d("100"));
    CHECK(t->fee == d("1.5"));
    CHECK(t->payee_party_id == "256700000002");
}

TEST_CASE("a SEND quote keeps the amount and takes the fee from what the payee receives")
{
    payee_fixture f;
    auto const a = dfsp::answer_quote(f.dir, f.settings, payee_fixture::quote_request(fspiop::amount_type::send, "50"), f.now);
    REQUIRE(a);
    CHECK(a->response.transfer_amount.amount == "50");
    CHECK(a->response.payee_fsp_fee->amount == "1");
    CHECK(a->response.payee_receive_amount->amount == "49");
    auto const t = fspiop::decode_ilp_transaction(a->response.ilp_packet);
    REQUIRE(t);
    CHECK(t->amount.amount == "50");
    CHECK(t->quote_id == "7c23e80c-d078-4077-8263-2c047876fcf6");
}

TEST_CASE("quotes the payee cannot serve are refused with the right code")
{
    payee_fixture f;
    auto q = payee_fixture::quote_request();
    q.payee.party_id_info.party_identifier = "256700000099";
    CHECK(dfsp::answer_quote(f.dir, f.settings, q, f.now).error().code == fspiop::errc::party_not_found);

    q = payee_fixture::quote_request();
    q.amount.currency = "EUR";
    CHECK(dfsp::answer_quote(f.dir, f.settings, q, f.now).error().code == fspiop::errc::payee_unsupported_currency);

    q = payee_fixture::quote_request();
    q.expiration = "2029-12-31T23:59:59.000Z";
    CHECK(dfsp::answer_quote(f.dir, f.settings, q, f.now).error().code == fspiop::errc::quote_expired);

    q = payee_fixture::quote_request(fspiop::amount_type::receive, "1.005");
    CHECK(dfsp::answer_quote(f.dir, f.settings, q, f.now).error().code == fspiop::errc::generic_validation_error);

    q = payee_fixture::quote_request(fspiop::amount_type::send, "0.5");
    CHECK(dfsp::answer_quote(f.dir, f.settings, q, f.now).error().code == fspiop::errc::payee_fsp_rejected_quote);

    // A request expiring before the payee's own limit shortens the quote.
    q = payee_fixture::quote_request();
    q.expiration = "2030-01-01T00:00:10.000Z";
    auto const a = dfsp::answer_quote(f.dir, f.settings, q, f.now);
    REQUIRE(a);
    CHECK(a->response.expiration == "2030-01-01T00:00:10.000Z");
}

TEST_CASE("a transfer whose amount differs from the quoted packet is refused")
{
    payee_fixture f;
    auto const a = dfsp::answer_quote(f.dir, f.settings, payee_fixture::quote_request(), f.now);
    REQUIRE(a);
    auto prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    prepare.amount.amount = "101.6";
    auto const t = dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == fspiop::errc::generic_validation_error);
    CHECK(t.error().field == "amount.amount");

    prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    prepare.amount.currency = "EUR";
    CHECK(dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1).error().field == "amount.currency");

    prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    prepare.payer_fsp = "dfsp3";
    CHECK(dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1).error().field == "payerFsp");
}

TEST_CASE("expired transfers, foreign packets and wrong conditions are refused")
{
    payee_fixture f;
    auto const a = dfsp::answer_quote(f.dir, f.settings, payee_fixture::quote_request(), f.now);
    REQUIRE(a);

    auto prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:00.000Z");
    CHECK(dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1).error().code ==
          fspiop::errc::transfer_expired);

    prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    prepare.condition = vector_fulfilment; // well-formed, but not the packet's condition
    auto const wrong = dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().field == "condition");

    prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    prepare.ilp_packet = "AQID";
    CHECK(dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1).error().field == "ilpPacket");

    // Another secret (another payee) derives another fulfilment: the condition does not match.
    auto other = f.settings;
    other.ilp_secret = "someone-else";
    prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    CHECK(dfsp::accept_transfer(f.dir, other, f.quotes, prepare, f.now, 1).error().field == "condition");
}

TEST_CASE("without the remembered quote the fee rule splits the transferred amount")
{
    payee_fixture f;
    auto const a = dfsp::answer_quote(f.dir, f.settings, payee_fixture::quote_request(), f.now);
    REQUIRE(a);
    auto const prepare = payee_fixture::prepare(a->response, "2030-01-01T00:00:30.000Z");
    auto const t = dfsp::accept_transfer(f.dir, f.settings, f.quotes, prepare, f.now, 1);
    REQUIRE(t);
    // 101.5 with 0.5 + 1 % (1.015 -> 1.02): fee 1.52, credit 99.98; together the amount.
    CHECK(t->fee == d("1.52"));
    CHECK(t->credit == d("99.98"));
    CHECK(checked_add(t->fee, t->credit) == d("101.5"));
}

TEST_CASE("the quote memory forgets the oldest quotes beyond its capacity")
{
    dfsp::quote_memory m(2);
    m.remember("a", {"x", d("1"), d("0")});
    m.remember("b", {"x", d("2"), d("0")});
    m.remember("a", {"x", d("3"), d("0")});
    m.remember("c", {"x", d("4"), d("0")});
    CHECK(m.size() == 2);
    CHECK(m.find("a") == nullptr);
    CHECK(m.find("b")->payee_receive_amount == d("2"));
    CHECK(m.find("c")->payee_receive_amount == d("4"));
}
