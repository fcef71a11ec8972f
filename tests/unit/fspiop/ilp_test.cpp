#include "simulator/fspiop/ilp.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/validate.hpp"

#include "support.hpp"

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <string>

namespace fspiop = mojasim::fspiop;
using fspiop::errc;
using fspiop::test::read_data;

namespace {

// The expected values below were computed independently with python3 (hashlib, hmac,
// base64), not with this library:
//
//   import base64, hashlib, hmac
//   b64u = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
//   def vlen(n): return bytes([n]) if n < 128 else (lambda b: bytes([0x80 | len(b)]) + b)(n.to_bytes((n.bit_length() + 7) // 8, 'big'))
//   voct = lambda b: vlen(len(b)) + b
//   tx = '{"quoteId":"382987a8-75ce-4037-b500-c475e08c1727",...,"amount":{"currency":"USD","amount":"100.5"}}'  # = sdk_transaction_json
//   contents = (10050).to_bytes(8, 'big') + voct(b'g.dfsp2.msisdn.256700000002') + voct(b64u(tx.encode()).encode()) + b'\x00'
//   packet = b64u(b'\x01' + voct(contents))
//   ful = hmac.new(base64.b64encode(b'mojasim-test-secret'), packet.encode(), hashlib.sha256).digest()
//   print(packet, b64u(ful), b64u(hashlib.sha256(ful).digest()))
//
//   python3 -c "import hashlib,base64; print(base64.urlsafe_b64encode(hashlib.sha256(bytes(32)).digest()).rstrip(b'=').decode())"
//   python3 -c "import hashlib,base64; print(base64.b64encode(hashlib.sha256(b'{\"a\":1}').digest()).decode().rstrip('='))"

constexpr std::string_view sdk_transaction_json =
    R"({"quoteId":"382987a8-75ce-4037-b500-c475e08c1727","transactionId":"d8b1b8c1-3b6f-4c0e-9a1e-2f5c7e6b9a01",)"
    R"("transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"BUSINESS"},)"
    R"("payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000002","fspId":"dfsp2"}},)"
    R"("payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"256700000001","fspId":"dfsp1"}},)"
    R"("expiration":"2030-01-01T00:00:00.000Z","amount":{"currency":"USD","amount":"100.5"}})";

constexpr std::string_view sdk_secret = "mojasim-test-secret";

constexpr std::string_view sdk_packet =
    "AYICogAAAAAAACdCG2cuZGZzcDIubXNpc2RuLjI1NjcwMDAwMDAwMoICemV5SnhkVzkwWlVsa0lqb2lNemd5T1RnM1lUZ3ROelZqWlMwME1ETTNMV0kx"
    "TURBdFl6UTNOV1V3T0dNeE56STNJaXdpZEhKaGJuTmhZM1JwYjI1SlpDSTZJbVE0WWpGaU9HTXhMVE5pTm1ZdE5HTXdaUzA1WVRGbExUSm1OV00zWlRa"
    "aU9XRXdNU0lzSW5SeVlXNXpZV04wYVc5dVZIbHdaU0k2ZXlKelkyVnVZWEpwYnlJNklsUlNRVTVUUmtWU0lpd2lhVzVwZEdsaGRHOXlJam9pVUVGWlJW"
    "SWlMQ0pwYm1sMGFXRjBiM0pVZVhCbElqb2lRbFZUU1U1RlUxTWlmU3dpY0dGNVpXVWlPbnNpY0dGeWRIbEpaRWx1Wm04aU9uc2ljR0Z5ZEhsSlpGUjVj"
    "R1VpT2lKTlUwbFRSRTRpTENKd1lYSjBlVWxrWlc1MGFXWnBaWElpT2lJeU5UWTNNREF3TURBd01ESWlMQ0ptYzNCSlpDSTZJbVJtYzNBeUluMTlMQ0p3"
    "WVhsbGNpSTZleUp3WVhKMGVVbGtTVzVtYnlJNmV5SndZWEowZVVsa1ZIbHdaU0k2SWsxVFNWTkVUaUlzSW5CaGNuUjVTV1JsYm5ScFptbGxjaUk2SWpJ"
    "MU5qY3dNREF3TURBd01TSXNJbVp6Y0Vsa0lqb2laR1p6Y0RFaWZYMHNJbVY0Y0dseVlYUnBiMjRpT2lJeU1ETXdMVEF4TFRBeFZEQXdPakF3T2pBd0xq"
    "QXdNRm9pTENKaGJXOTFiblFpT25zaVkzVnljbVZ1WTNraU9pSlZVMFFpTENKaGJXOTFiblFpT2lJeE1EQXVOU0o5ZlEA";
constexpr std::string_view sdk_fulfilment = "1ygceYj29xf45an9mHNM7xnbpMor2CkrnWsZhHw14EY";
constexpr std::string_view sdk_condition = "eCBB-86LyuWRxAK3wIidDmjskMRPZtDe03rGjGbLtSg";

fspiop::transaction sdk_transaction()
{
    fspiop::transaction t;
    t.quote_id = "382987a8-75ce-4037-b500-c475e08c1727";
    t.transaction_id = "d8b1b8c1-3b6f-4c0e-9a1e-2f5c7e6b9a01";
    t.transaction_type = {fspiop::transaction_scenario::transfer, {}, fspiop::transaction_initiator::payer,
                          fspiop::transaction_initiator_type::business, std::nullopt, {}};
    t.payee.party_id_info.party_id_type = fspiop::party_id_type::msisdn;
    t.payee.party_id_info.party_identifier = "256700000002";
    t.payee.party_id_info.fsp_id = "dfsp2";
    t.payer.party_id_info.party_id_type = fspiop::party_id_type::msisdn;
    t.payer.party_id_info.party_identifier = "256700000001";
    t.payer.party_id_info.fsp_id = "dfsp1";
    t.expiration = "2030-01-01T00:00:00.000Z";
    t.amount = {"USD", "100.5"};
    return t;
}

std::string bytes(std::initializer_list<unsigned> values)
{
    std::string s;
    for(auto v : values)
        s += static_cast<char>(v);
    return s;
}

} // namespace

TEST_CASE("base64url and base64 follow RFC 4648")
{
    struct
    {
        std::string_view raw, url;
    } const vectors[] = {{"", ""},         {"f", "Zg"},         {"fo", "Zm8"},        {"foo", "Zm9v"},
                         {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
    for(auto const& v : vectors)
    {
        CHECK(fspiop::base64url_encode(v.raw) == v.url);
        CHECK(fspiop::base64url_decode(v.url) == std::string(v.raw));
    }
    auto const binary = bytes({0xfb, 0xff, 0xfe});
    CHECK(fspiop::base64url_encode(binary) == "-__-");
    CHECK(fspiop::base64_encode(binary) == "+//+");
    CHECK(fspiop::base64_encode("f") == "Zg==");
    CHECK(fspiop::base64_encode("fo") == "Zm8=");
    CHECK(fspiop::base64_encode("foo") == "Zm9v");

    CHECK(fspiop::base64url_decode("Zg==") == std::string("f"));
    CHECK(fspiop::base64url_decode("Zm8=") == std::string("fo"));
    CHECK_FALSE(fspiop::base64url_decode("Z"));
    CHECK_FALSE(fspiop::base64url_decode("Zg==="));
    CHECK_FALSE(fspiop::base64url_decode("Z=g="));
    CHECK_FALSE(fspiop::base64url_decode("+//+"));
    CHECK_FALSE(fspiop::base64url_decode("Zm9v\n"));

    std::string all;
    for(int i = 0; i < 256; ++i)
        all += static_cast<char>(i);
    CHECK(fspiop::base64url_decode(fspiop::base64url_encode(all)) == all);
}

TEST_CASE("ILP v1 payment packet: OER layout and round trip")
{
    fspiop::ilp_payment p{1200, "g.dfsp2.msisdn.123", "hello"};
    auto const raw = fspiop::encode_ilp_payment(p);
    auto const expected = bytes({0x01, 0x22, 0, 0, 0, 0, 0, 0, 0x04, 0xb0, 0x12}) + "g.dfsp2.msisdn.123" +
                          bytes({0x05}) + "hello" + bytes({0x00});
    CHECK(raw == expected);
    CHECK(fspiop::decode_ilp_payment(raw) == p);

    // Long-form lengths (data of 320 bytes, envelope above 255).
    fspiop::ilp_payment big{std::uint64_t{0x0102030405060708}, std::string(52, 'a'), std::string(320, 'd')};
    auto const big_raw = fspiop::encode_ilp_payment(big);
    CHECK(big_raw.substr(0, 4) == bytes({0x01, 0x82, 0x01, 0x81}));
    CHECK(big_raw.substr(4, 8) == bytes({1, 2, 3, 4, 5, 6, 7, 8}));
    CHECK(big_raw.substr(12 + 1 + 52, 3) == bytes({0x82, 0x01, 0x40}));
    CHECK(fspiop::decode_ilp_payment(big_raw) == big);

    fspiop::ilp_payment max_amount{~std::uint64_t{0}, "g", std::string(200, 'x')};
    CHECK(fspiop::decode_ilp_payment(fspiop::encode_ilp_payment(max_amount)) == max_amount);
}

TEST_CASE("ILP packet decoding rejects damaged packets")
{
    auto const raw = fspiop::encode_ilp_payment({5, "g.a", "xyz"});
    auto damaged = [&](auto&& edit) {
        std::string s = raw;
        edit(s);
        return fspiop::decode_ilp_payment(s);
    };
    CHECK_FALSE(damaged([](std::string& s) { s[0] = 0x0c; }));                      // ILPv4 prepare type
    CHECK_FALSE(damaged([](std::string& s) { s.pop_back(); }));                     // truncated
    CHECK_FALSE(damaged([](std::string& s) { s += 'x'; }));                         // trailing byte
    CHECK_FALSE(damaged([](std::string& s) { s.back() = 1; }));                     // extensions
    CHECK_FALSE(damaged([](std::string& s) { s[1] = static_cast<char>(0x80); }));   // indefinite length
    CHECK_FALSE(damaged([](std::string& s) { s[10] = 0x7f; }));                     // address runs past the end
    CHECK_FALSE(fspiop::decode_ilp_payment(""));
    CHECK_FALSE(fspiop::decode_ilp_payment(bytes({0x01})));
}

TEST_CASE("the spec's example packet decodes and re-encodes identically")
{
    // The IlpPacket example of the v1.1 OpenAPI (the packet of the API Definition's example).
    auto const root = YAML::LoadFile(fspiop::test::reference_path("fspiop-rest-v1.1-openapi3-snippets.yaml"));
    auto const example = root["components"]["schemas"]["IlpPacket"]["example"].as<std::string>();
    auto const raw = fspiop::base64url_decode(example);
    REQUIRE(raw);
    auto const p = fspiop::decode_ilp_payment(*raw);
    REQUIRE(p);
    CHECK(p->amount == 1200);
    CHECK(p->destination.starts_with("levelone.dfsp1.mer."));
    CHECK(p->data.size() == 320);
    CHECK(p->data.starts_with("PSK/1.0\n"));
    CHECK(fspiop::encode_ilp_payment(*p) == *raw);
    // Its data is not a Transaction, so the FSPIOP layer reports the packet as invalid.
    auto const t = fspiop::decode_ilp_transaction(example);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::malformed_syntax);
    CHECK(t.error().field == "ilpPacket");
}

TEST_CASE("packet, fulfilment and condition match an independent SDK-recipe computation")
{
    auto const t = sdk_transaction();
    CHECK(fspiop::encode(t) == sdk_transaction_json);
    auto const packet = fspiop::make_ilp_packet(t);
    REQUIRE(packet);
    CHECK(*packet == sdk_packet);
    CHECK(fspiop::make_fulfilment(sdk_secret, sdk_packet) == sdk_fulfilment);
    CHECK(fspiop::make_condition(sdk_fulfilment) == std::string(sdk_condition));
    CHECK(fspiop::check_fulfilment(sdk_fulfilment, sdk_condition));

    auto const r = fspiop::make_ilp_response(t, sdk_secret);
    REQUIRE(r);
    CHECK(r->ilp_packet == sdk_packet);
    CHECK(r->fulfilment == sdk_fulfilment);
    CHECK(r->condition == sdk_condition);

    // The payee reads the Transaction back from the packet alone.
    auto const back = fspiop::decode_ilp_transaction(sdk_packet);
    REQUIRE(back);
    CHECK(*back == t);

    // A different secret gives a different fulfilment that does not meet the condition.
    auto const other = fspiop::make_fulfilment("another-secret", sdk_packet);
    CHECK(other != sdk_fulfilment);
    CHECK_FALSE(fspiop::check_fulfilment(other, sdk_condition));
}

TEST_CASE("the condition of 32 zero bytes and the switch's fulfilment check")
{
    auto const zero = fspiop::base64url_encode(std::string(32, '\0'));
    CHECK(zero == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK(fspiop::make_condition(zero) == std::string("Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"));
    CHECK(fspiop::check_fulfilment(zero, "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"));
    CHECK(fspiop::check_fulfilment(zero + "=", "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU")); // padding tolerated

    // A wrong fulfilment (one bit flipped)
    auto const one = fspiop::base64url_encode(std::string(31, '\0') + '\x01');
    CHECK_FALSE(fspiop::check_fulfilment(one, "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"));
    // 31 and 33 bytes
    auto const short31 = fspiop::base64url_encode(std::string(31, '\0'));
    auto const long33 = fspiop::base64url_encode(std::string(33, '\0'));
    CHECK(short31.size() == 42);
    CHECK_FALSE(fspiop::check_fulfilment(short31, fspiop::base64url_encode(fspiop::sha256(std::string(31, '\0')))));
    CHECK_FALSE(fspiop::check_fulfilment(long33, fspiop::base64url_encode(fspiop::sha256(std::string(33, '\0')))));
    CHECK_FALSE(fspiop::make_condition(short31));
    // Garbage
    CHECK_FALSE(fspiop::check_fulfilment("", "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"));
    CHECK_FALSE(fspiop::check_fulfilment(zero.substr(0, 42) + "+", "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"));
    CHECK_FALSE(fspiop::check_fulfilment(zero, "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSV"));
    CHECK_FALSE(fspiop::check_fulfilment(zero, "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKS"));

    // check_fulfilment agrees with make_condition on many fulfilments.
    for(int i = 0; i < 200; ++i)
    {
        auto const f = fspiop::base64url_encode(fspiop::sha256(std::to_string(i)));
        auto const c = fspiop::make_condition(f);
        REQUIRE(c);
        CHECK(fspiop::check_fulfilment(f, *c));
        CHECK_FALSE(fspiop::check_fulfilment(f, fspiop::base64url_encode(fspiop::sha256(*c))));
    }
}

TEST_CASE("ILP address and amount in minor units")
{
    fspiop::party p;
    p.party_id_info.party_id_type = fspiop::party_id_type::personal_id;
    p.party_id_info.party_identifier = "AB123cd";
    p.party_id_info.party_sub_id_or_type = "PASSPORT";
    p.party_id_info.fsp_id = "DFSP2";
    CHECK(fspiop::ilp_address(p) == "g.DFSP2.personal_id.ab123cd.passport");
    p.party_id_info.party_sub_id_or_type.clear();
    p.party_id_info.party_id_type = fspiop::party_id_type::account_id;
    CHECK(fspiop::ilp_address(p) == "g.DFSP2.account_id.ab123cd");

    auto amount_of = [](std::string currency, std::string amount) -> std::optional<std::uint64_t> {
        auto t = sdk_transaction();
        t.amount = {std::move(currency), std::move(amount)};
        auto const packet = fspiop::make_ilp_packet(t);
        if(!packet)
            return std::nullopt;
        return fspiop::decode_ilp_payment(*fspiop::base64url_decode(*packet))->amount;
    };
    CHECK(amount_of("USD", "100.5") == 10050u);
    CHECK(amount_of("USD", "100") == 10000u);
    CHECK(amount_of("JPY", "1500") == 1500u);
    CHECK(amount_of("BHD", "1.505") == 1505u);
    CHECK(amount_of("UGX", "50000") == 50000u);
    CHECK_FALSE(amount_of("JPY", "1.5"));
    CHECK_FALSE(amount_of("USD", "0.001"));
    CHECK_FALSE(amount_of("XYZ", "1"));
    CHECK_FALSE(amount_of("USD", "1.50"));

    auto t = sdk_transaction();
    t.amount = {"USD", "0.001"};
    auto const e = fspiop::make_ilp_packet(t);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == errc::generic_validation_error);
    CHECK(e.error().field == "amount.amount");
}

TEST_CASE("make_transaction takes what the SDK takes from the quote")
{
    auto const q = fspiop::decode<fspiop::post_quotes>(read_data("post_quotes.json"));
    auto const r = fspiop::decode<fspiop::put_quotes>(read_data("put_quotes.json"));
    REQUIRE(q);
    REQUIRE(r);
    auto const t = fspiop::make_transaction(*q, *r);
    CHECK(t.quote_id == q->quote_id);
    CHECK(t.transaction_id == q->transaction_id);
    CHECK(t.payee == q->payee);
    CHECK(t.payer == q->payer);
    CHECK(t.transaction_type == q->transaction_type);
    CHECK(t.amount == r->transfer_amount);
    CHECK(t.expiration == r->expiration);
    CHECK(t.note.empty());

    auto const ilp = fspiop::make_ilp_response(t, "s3cret");
    REQUIRE(ilp);
    CHECK(fspiop::is_ilp_packet(ilp->ilp_packet));
    auto const back = fspiop::decode_ilp_transaction(ilp->ilp_packet);
    REQUIRE(back);
    CHECK(*back == t);
    CHECK(fspiop::check_fulfilment(fspiop::make_fulfilment("s3cret", ilp->ilp_packet), ilp->condition));
}

TEST_CASE("transfer_matches_transaction")
{
    auto const t = sdk_transaction();
    fspiop::post_transfers tr;
    tr.payer_fsp = "dfsp1";
    tr.payee_fsp = "dfsp2";
    tr.amount = {"USD", "100.5"};
    CHECK(fspiop::transfer_matches_transaction(tr, t));
    auto changed = tr;
    changed.amount.amount = "100.51";
    CHECK_FALSE(fspiop::transfer_matches_transaction(changed, t));
    changed = tr;
    changed.payee_fsp = "dfsp3";
    CHECK_FALSE(fspiop::transfer_matches_transaction(changed, t));
    changed = tr;
    changed.amount.currency = "EUR";
    CHECK_FALSE(fspiop::transfer_matches_transaction(changed, t));
}

TEST_CASE("body_hash is base64 SHA-256 without padding")
{
    CHECK(fspiop::body_hash(R"({"a":1})") == "AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI");
    CHECK(fspiop::body_hash(R"({"a":1})").size() == 43);
    CHECK(fspiop::body_hash(R"({"a":2})") != fspiop::body_hash(R"({"a":1})"));
    // The 32-byte digest the switch keeps is the same SHA-256.
    auto const d = fspiop::body_digest(R"({"a":1})");
    CHECK(std::string(d.begin(), d.end()) == fspiop::sha256(R"({"a":1})"));
    CHECK(fspiop::body_digest(R"({"a":2})") != d);
}
