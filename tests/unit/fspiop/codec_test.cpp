// Round trips of every body type and the decode errors of each data-type rule.
// The bodies come from data/*.json (see data/README.md: written from the v1.1 schemas,
// because the OpenAPI files carry only per-field examples).
#include "simulator/fspiop/codec.hpp"

#include "support.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

namespace fspiop = mojasim::fspiop;
namespace json = boost::json;
using fspiop::errc;
using fspiop::test::read_data;

namespace {

// decode, encode, decode again: the second decode equals the first, and the encoding is
// exactly the file in compact form (the files list members in schema order).
template<class T>
void check_round_trip(std::string const& file)
{
    INFO("file " << file);
    auto const text = read_data(file);
    auto const first = fspiop::decode<T>(text);
    if(!first)
        FAIL("decode failed: " << first.error().detail());
    auto const wire = fspiop::encode(*first);
    CHECK(wire == json::serialize(json::parse(text)));
    auto const second = fspiop::decode<T>(wire);
    if(!second)
        FAIL("second decode failed: " << second.error().detail());
    CHECK(*second == *first);
    CHECK(fspiop::encode(*second) == wire);
}

json::value body(std::string const& file)
{
    return json::parse(read_data(file));
}

// Replace the value at a JSON pointer.
void set(json::value& v, std::string_view pointer, json::value x)
{
    v.at_pointer(pointer) = std::move(x);
}

// Remove member `key` of the object at `pointer` ("" = the root).
void erase(json::value& v, std::string_view pointer, std::string_view key)
{
    auto& o = pointer.empty() ? v.as_object() : v.at_pointer(pointer).as_object();
    REQUIRE(o.erase(key) == 1);
}

template<class T>
fspiop::decode_error rejected(json::value const& v, int api_major = 1)
{
    auto const r = fspiop::decode<T>(json::serialize(v), api_major);
    REQUIRE_FALSE(r);
    return r.error();
}

template<class T>
bool accepted(json::value const& v, int api_major = 1)
{
    auto const r = fspiop::decode<T>(json::serialize(v), api_major);
    if(!r)
        UNSCOPED_INFO("rejected: " << r.error().detail());
    return r.has_value();
}

// Expect (code, field) for a body of type T where the value at `pointer` is replaced by `bad`.
template<class T>
void check_bad_value(std::string const& file, std::string_view pointer, json::value bad, errc code,
                     std::string const& field)
{
    INFO(file << " " << pointer << " = " << json::serialize(bad));
    auto v = body(file);
    set(v, pointer, std::move(bad));
    auto const e = rejected<T>(v);
    CHECK(fspiop::code(e.code) == fspiop::code(code));
    CHECK(e.field == field);
}

json::string repeat(char c, std::size_t n)
{
    return json::string(std::string(n, c));
}

} // namespace

TEST_CASE("round trip: PUT /parties")
{
    check_round_trip<fspiop::put_parties>("put_parties.json");
}

TEST_CASE("round trip: POST and PUT /participants/{Type}/{ID}")
{
    check_round_trip<fspiop::post_participants_type_id>("post_participants_type_id.json");
    check_round_trip<fspiop::put_participants_type_id>("put_participants_type_id.json");
}

TEST_CASE("round trip: POST /participants and PUT /participants/{ID}")
{
    check_round_trip<fspiop::post_participants>("post_participants.json");
    check_round_trip<fspiop::put_participants>("put_participants.json");
}

TEST_CASE("round trip: POST /quotes and PUT /quotes/{ID}")
{
    check_round_trip<fspiop::post_quotes>("post_quotes.json");
    check_round_trip<fspiop::put_quotes>("put_quotes.json");
}

TEST_CASE("round trip: POST, PUT and PATCH /transfers")
{
    check_round_trip<fspiop::post_transfers>("post_transfers.json");
    check_round_trip<fspiop::put_transfers>("put_transfers.json");
    check_round_trip<fspiop::patch_transfers>("patch_transfers.json");
}

TEST_CASE("round trip: POST and PUT /bulkQuotes")
{
    check_round_trip<fspiop::post_bulk_quotes>("post_bulk_quotes.json");
    check_round_trip<fspiop::put_bulk_quotes>("put_bulk_quotes.json");
}

TEST_CASE("round trip: POST and PUT /bulkTransfers")
{
    check_round_trip<fspiop::post_bulk_transfers>("post_bulk_transfers.json");
    check_round_trip<fspiop::put_bulk_transfers>("put_bulk_transfers.json");
}

TEST_CASE("round trip: error bodies and the ILP Transaction")
{
    check_round_trip<fspiop::error_information_object>("error_information_object.json");
    check_round_trip<fspiop::transaction>("transaction.json");
}

TEST_CASE("round trip: /transactionRequests and /authorizations")
{
    check_round_trip<fspiop::post_transaction_requests>("post_transaction_requests.json");
    check_round_trip<fspiop::put_transaction_requests>("put_transaction_requests.json");
    check_round_trip<fspiop::put_authorizations>("put_authorizations.json");
}

TEST_CASE("transaction request and authorization bodies: members, enumerations and refusals")
{
    auto const post = fspiop::decode<fspiop::post_transaction_requests>(read_data("post_transaction_requests.json"));
    REQUIRE(post);
    CHECK(post->transaction_request_id == "b51ec534-ee48-4575-b6a9-ead2955b8069");
    CHECK(post->payer.fsp_id == "dfsp1");
    CHECK(post->payee.party_id_info.fsp_id == "dfsp2");
    CHECK(post->transaction_type.initiator == fspiop::transaction_initiator::payee);
    CHECK(post->authentication_type == fspiop::authentication_type::otp);
    auto const put = fspiop::decode<fspiop::put_transaction_requests>(read_data("put_transaction_requests.json"));
    REQUIRE(put);
    CHECK(put->transaction_request_state == fspiop::transaction_request_state::accepted);
    auto const auth = fspiop::decode<fspiop::put_authorizations>(read_data("put_authorizations.json"));
    REQUIRE(auth);
    CHECK(auth->response_type == fspiop::authorization_response::entered);
    REQUIRE(auth->authentication_info);
    CHECK(auth->authentication_info->authentication_value == "4711");

    // Absent optional members stay absent.
    fspiop::put_transaction_requests minimal;
    minimal.transaction_request_state = fspiop::transaction_request_state::rejected;
    CHECK(fspiop::encode(minimal) == R"({"transactionRequestState":"REJECTED"})");
    CHECK(fspiop::encode(fspiop::put_authorizations{std::nullopt, fspiop::authorization_response::resend}) ==
          R"({"responseType":"RESEND"})");

    // Required members (3102), enumerations and patterns (3100, the hub validator's mapping).
    auto v = body("post_transaction_requests.json");
    v.as_object().erase("payer");
    auto const missing = rejected<fspiop::post_transaction_requests>(v);
    CHECK(fspiop::code(missing.code) == fspiop::code(errc::missing_mandatory_element));
    CHECK(missing.field == "payer");
    check_bad_value<fspiop::post_transaction_requests>("post_transaction_requests.json", "/authenticationType",
                                                       "PIN", errc::generic_validation_error, "authenticationType");
    check_bad_value<fspiop::post_transaction_requests>("post_transaction_requests.json", "/transactionRequestId",
                                                       "not-a-uuid", errc::generic_validation_error, "transactionRequestId");
    check_bad_value<fspiop::put_transaction_requests>("put_transaction_requests.json", "/transactionRequestState",
                                                      "DONE", errc::generic_validation_error, "transactionRequestState");
    check_bad_value<fspiop::put_authorizations>("put_authorizations.json", "/responseType", "MAYBE",
                                                errc::generic_validation_error, "responseType");
    check_bad_value<fspiop::put_authorizations>("put_authorizations.json", "/authenticationInfo/authenticationValue",
                                                "12 34", errc::generic_validation_error,
                                                "authenticationInfo.authenticationValue");
    auto a = body("put_authorizations.json");
    a.as_object().erase("responseType");
    CHECK(rejected<fspiop::put_authorizations>(a).field == "responseType");
}

TEST_CASE("decoded values land in the right members")
{
    auto const q = fspiop::decode<fspiop::post_quotes>(read_data("post_quotes.json"));
    REQUIRE(q);
    CHECK(q->quote_id == "382987a8-75ce-4037-b500-c475e08c1727");
    CHECK(q->payee.party_id_info.party_id_type == fspiop::party_id_type::msisdn);
    CHECK(q->payee.party_id_info.fsp_id == "dfsp2");
    CHECK(q->payee.personal_info->complex_name->first_name == "Tom\xC3\xA1s");
    CHECK(q->payer.party_id_info.party_id_type == fspiop::party_id_type::business);
    CHECK(q->amount_type == fspiop::amount_type::send);
    CHECK(q->amount == fspiop::money{"USD", "123.45"});
    CHECK(q->fees == fspiop::money{"USD", "0.5"});
    CHECK(q->transaction_type.scenario == fspiop::transaction_scenario::transfer);
    CHECK(q->transaction_type.initiator_type == fspiop::transaction_initiator_type::business);
    CHECK(q->transaction_type.refund_info->refund_reason == "Free text indicating reason for the refund.");
    CHECK(q->geo_code->latitude == "+45.4215");
    CHECK(q->expiration == "2016-05-24T08:38:08.699-04:00");
    REQUIRE(q->extension_list.size() == 2);
    CHECK(q->extension_list[1] == fspiop::extension{"batchId", "batch-0001"});

    auto const t = fspiop::decode<fspiop::put_transfers>(read_data("put_transfers.json"));
    REQUIRE(t);
    CHECK(t->transfer_state == fspiop::transfer_state::committed);
    CHECK(t->fulfilment == "1ygceYj29xf45an9mHNM7xnbpMor2CkrnWsZhHw14EY");
}

TEST_CASE("encode omits absent optional members")
{
    fspiop::post_transfers t;
    t.transfer_id = "d8b1b8c1-3b6f-4c0e-9a1e-2f5c7e6b9a01";
    t.payee_fsp = "dfsp2";
    t.payer_fsp = "dfsp1";
    t.amount = {"USD", "5"};
    t.ilp_packet = "AQAA";
    t.condition = "eCBB-86LyuWRxAK3wIidDmjskMRPZtDe03rGjGbLtSg";
    t.expiration = "2030-01-01T00:00:00.000Z";
    CHECK(fspiop::encode(t) ==
          R"({"transferId":"d8b1b8c1-3b6f-4c0e-9a1e-2f5c7e6b9a01","payeeFsp":"dfsp2","payerFsp":"dfsp1",)"
          R"("amount":{"currency":"USD","amount":"5"},"ilpPacket":"AQAA",)"
          R"("condition":"eCBB-86LyuWRxAK3wIidDmjskMRPZtDe03rGjGbLtSg","expiration":"2030-01-01T00:00:00.000Z"})");

    fspiop::put_transfers f;
    f.transfer_state = fspiop::transfer_state::reserved;
    CHECK(fspiop::encode(f) == R"({"transferState":"RESERVED"})");

    CHECK(fspiop::encode(fspiop::put_participants_type_id{}) == "{}");

    fspiop::put_parties p;
    p.party.party_id_info.party_identifier = "123";
    p.party.personal_info.emplace(); // present but empty stays present
    CHECK(fspiop::encode(p) == R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"123"},"personalInfo":{}}})");
    auto const back = fspiop::decode<fspiop::put_parties>(fspiop::encode(p));
    REQUIRE(back);
    CHECK(*back == p);
}

TEST_CASE("encode escapes strings")
{
    fspiop::error_information_object e;
    e.error_information = {"5100", "say \"no\"\t\\ \x01", {}};
    auto const wire = fspiop::encode(e);
    CHECK(wire == R"({"errorInformation":{"errorCode":"5100","errorDescription":"say \"no\"\t\\ \u0001"}})");
    auto const back = fspiop::decode<fspiop::error_information_object>(wire);
    REQUIRE(back);
    CHECK(*back == e);
}

TEST_CASE("unknown members are ignored")
{
    auto v = body("post_transfers.json");
    v.as_object()["somethingNew"] = "x";
    v.at_pointer("/amount").as_object()["precision"] = 4;
    CHECK(accepted<fspiop::post_transfers>(v));
}

TEST_CASE("malformed JSON and wrong JSON types are 3101")
{
    for(auto bad : {"", "{", "{\"transferId\":}", "[1,2]", "null", "\"x\"", "{} x", "{\"a\":1,}"})
    {
        INFO(bad);
        auto const r = fspiop::decode<fspiop::post_transfers>(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_syntax);
        CHECK(r.error().field.empty());
    }
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/amount", "5", errc::malformed_syntax, "amount");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/amount/amount", 5, errc::malformed_syntax,
                                            "amount.amount");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/payerFsp", nullptr, errc::malformed_syntax,
                                            "payerFsp");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension", json::object{},
                                            errc::malformed_syntax, "extensionList.extension");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo", json::array{},
                                         errc::malformed_syntax, "payee.partyIdInfo");
}

TEST_CASE("a missing mandatory element is 3102 and named")
{
    struct
    {
        char const* parent;
        char const* key;
        char const* field;
    } const cases[] = {
        {"", "transferId", "transferId"},
        {"", "payeeFsp", "payeeFsp"},
        {"", "payerFsp", "payerFsp"},
        {"", "amount", "amount"},
        {"/amount", "currency", "amount.currency"},
        {"/amount", "amount", "amount.amount"},
        {"", "ilpPacket", "ilpPacket"},
        {"", "condition", "condition"},
        {"", "expiration", "expiration"},
        {"/extensionList", "extension", "extensionList.extension"},
        {"/extensionList/extension/0", "value", "extensionList.extension[0].value"},
    };
    for(auto const& c : cases)
    {
        INFO(c.field);
        auto v = body("post_transfers.json");
        erase(v, c.parent, c.key);
        auto const e = rejected<fspiop::post_transfers>(v);
        CHECK(e.code == errc::missing_mandatory_element);
        CHECK(e.field == c.field);
        auto const dot = std::string_view(c.parent).empty() ? std::string() : std::string(c.parent);
        CHECK(e.detail() == "/requestBody" + dot + " must have required property '" + c.key + "'");
    }

    auto q = body("post_quotes.json");
    erase(q, "/payee/partyIdInfo", "partyIdentifier");
    auto const e = rejected<fspiop::post_quotes>(q);
    CHECK(e.code == errc::missing_mandatory_element);
    CHECK(e.field == "payee.partyIdInfo.partyIdentifier");
    CHECK(e.body() == R"({"errorInformation":{"errorCode":"3102","errorDescription":"Missing mandatory element - )"
                      R"(/requestBody/payee/partyIdInfo must have required property 'partyIdentifier'"}})");

    auto r = body("post_quotes.json");
    erase(r, "/transactionType/refundInfo", "originalTransactionId");
    CHECK(rejected<fspiop::post_quotes>(r).field == "transactionType.refundInfo.originalTransactionId");

    auto f = body("put_transfers.json");
    erase(f, "", "transferState");
    CHECK(rejected<fspiop::put_transfers>(f).field == "transferState");

    auto p = body("patch_transfers.json");
    erase(p, "", "completedTimestamp");
    CHECK(rejected<fspiop::patch_transfers>(p).field == "completedTimestamp");

    auto err = body("error_information_object.json");
    erase(err, "/errorInformation", "errorDescription");
    CHECK(rejected<fspiop::error_information_object>(err).field == "errorInformation.errorDescription");
}

TEST_CASE("a missing member is reported before an invalid one")
{
    auto v = body("post_transfers.json");
    set(v, "/transferId", "not-a-uuid");
    erase(v, "", "expiration");
    auto const e = rejected<fspiop::post_transfers>(v);
    CHECK(e.code == errc::missing_mandatory_element);
    CHECK(e.field == "expiration");
}

TEST_CASE("Amount rule in bodies")
{
    for(auto bad : {"5.0", "-5", ".5", "00.5", "5.50", "5.", "1.23456", "+5", "1e3", " 5", "", "1234567890123456789"})
        check_bad_value<fspiop::post_transfers>("post_transfers.json", "/amount/amount", bad, errc::generic_validation_error,
                                                "amount.amount");
    for(auto ok : {"5", "0.5", "123.4567", "0", "100.05", "123456789012345678"})
    {
        INFO(ok);
        auto v = body("post_transfers.json");
        set(v, "/amount/amount", ok);
        CHECK(accepted<fspiop::post_transfers>(v));
    }
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/fees/amount", ".5", errc::generic_validation_error,
                                         "fees.amount");
    check_bad_value<fspiop::put_quotes>("put_quotes.json", "/payeeFspCommission/amount", "-0.25",
                                        errc::generic_validation_error, "payeeFspCommission.amount");
}

TEST_CASE("Currency rule in bodies")
{
    for(auto bad : {"XYZ", "usd", "US", "USDD", ""})
        check_bad_value<fspiop::post_transfers>("post_transfers.json", "/amount/currency", bad, errc::generic_validation_error,
                                                "amount.currency");
    check_bad_value<fspiop::post_participants>("post_participants.json", "/currency", "EURO", errc::generic_validation_error,
                                               "currency");
}

TEST_CASE("DateTime rule in bodies: exactly three fraction digits")
{
    for(auto bad : {"2030-01-01T00:00:00.00Z", "2030-01-01T00:00:00.0000Z", "2030-01-01T00:00:00Z",
                    "2030-02-30T00:00:00.000Z", "2030-01-01T24:00:00.000Z", "2030-01-01 00:00:00.000Z",
                    "2030-01-01T00:00:00.000", "2030-01-01T00:00:00.000+0100", "0999-01-01T00:00:00.000Z",
                    "2030-01-01T00:00:00.000+20:00"})
        check_bad_value<fspiop::post_transfers>("post_transfers.json", "/expiration", bad, errc::generic_validation_error,
                                                "expiration");
    for(auto ok : {"2030-01-01T00:00:00.000Z", "2016-05-24T08:38:08.699-04:00", "2028-02-29T23:59:59.999+05:30"})
    {
        INFO(ok);
        auto v = body("post_transfers.json");
        set(v, "/expiration", ok);
        CHECK(accepted<fspiop::post_transfers>(v));
    }
    check_bad_value<fspiop::put_transfers>("put_transfers.json", "/completedTimestamp", "2029-12-31T23:59:30.12Z",
                                           errc::generic_validation_error, "completedTimestamp");
    check_bad_value<fspiop::put_bulk_quotes>("put_bulk_quotes.json", "/expiration", "tomorrow", errc::generic_validation_error,
                                             "expiration");
}

TEST_CASE("Date rule in bodies")
{
    for(auto bad : {"1966-02-30", "1966-6-16", "66-06-16", "1966-06-16T00:00:00.000Z", "0966-06-16"})
        check_bad_value<fspiop::put_parties>("put_parties.json", "/party/personalInfo/dateOfBirth", bad,
                                             errc::generic_validation_error, "party.personalInfo.dateOfBirth");
}

TEST_CASE("CorrelationId: the hub's rule under every version, the specification's per version with strict_spec")
{
    auto const with_id = [](std::string const& id) {
        auto v = body("post_transfers.json");
        set(v, "/transferId", json::string(id));
        return v;
    };
    auto const strict = [](json::value const& v, int api_major) {
        return fspiop::decode<fspiop::post_transfers>(json::serialize(v), api_major, true);
    };
    std::string const v4 = "d8b1b8c1-3b6f-4c0e-9a1e-2f5c7e6b9a01";
    std::string const v7 = "01890a5d-ac96-774b-bcce-b302099a8057";
    std::string const ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    // The hub validates 1.0, 1.1 and 2.0 against one OpenAPI: UUID v1-7 or ULID.
    for(int major : {1, 2})
    {
        CHECK(accepted<fspiop::post_transfers>(with_id(v4), major));
        CHECK(accepted<fspiop::post_transfers>(with_id(v7), major));
        CHECK(accepted<fspiop::post_transfers>(with_id(ulid), major));
    }
    // The specification: v1.x lowercase UUID v1-5 only.
    CHECK(strict(with_id(v4), 1));
    CHECK_FALSE(strict(with_id(v7), 1));
    CHECK_FALSE(strict(with_id(ulid), 1));
    CHECK(strict(with_id(v7), 2));
    CHECK(strict(with_id(ulid), 2));
    for(auto bad : {"D8B1B8C1-3B6F-4C0E-9A1E-2F5C7E6B9A01", "d8b1b8c1-3b6f-0c0e-9a1e-2f5c7e6b9a01",
                    "d8b1b8c1-3b6f-4c0e-7a1e-2f5c7e6b9a01", "d8b1b8c13b6f4c0e9a1e2f5c7e6b9a01", "42", ""})
    {
        auto const e = rejected<fspiop::post_transfers>(with_id(bad), 1);
        CHECK(e.code == errc::generic_validation_error);
        CHECK(e.field == "transferId");
        CHECK(e.detail() == R"(/requestBody/transferId must match pattern "^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$")");
    }
    auto const e = strict(with_id(ulid), 1).error();
    CHECK(e.code == errc::generic_validation_error);
    CHECK(e.detail() == R"(/requestBody/transferId must match pattern "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")");

    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/quoteId", "x", errc::generic_validation_error, "quoteId");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionRequestId", "x", errc::generic_validation_error,
                                         "transactionRequestId");
    check_bad_value<fspiop::post_participants>("post_participants.json", "/requestId", "x", errc::generic_validation_error,
                                               "requestId");
    check_bad_value<fspiop::post_bulk_transfers>("post_bulk_transfers.json", "/individualTransfers/0/transferId", "x",
                                                 errc::generic_validation_error, "individualTransfers[0].transferId");
}

TEST_CASE("PartyIdType, PersonalIdentifierType and party identifier rules")
{
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo/partyIdType", "PHONE",
                                         errc::generic_validation_error, "payee.partyIdInfo.partyIdType");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payer/partyIdInfo/partyIdType", "msisdn",
                                         errc::generic_validation_error, "payer.partyIdInfo.partyIdType");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo/partyIdentifier", repeat('1', 129),
                                         errc::generic_validation_error, "payee.partyIdInfo.partyIdentifier");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo/partyIdentifier", "",
                                         errc::generic_validation_error, "payee.partyIdInfo.partyIdentifier");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo/partySubIdOrType", repeat('s', 129),
                                         errc::generic_validation_error, "payee.partyIdInfo.partySubIdOrType");
    // PERSONAL_ID takes a PersonalIdentifierType as sub-id in the specification; the hub's
    // OpenAPI does not say so.
    auto v = body("put_parties.json");
    set(v, "/party/partyIdInfo/partySubIdOrType", "NATIONAL_ID");
    CHECK(accepted<fspiop::put_parties>(v));
    auto const strict = fspiop::decode<fspiop::put_parties>(json::serialize(v), 1, true);
    REQUIRE_FALSE(strict);
    CHECK(strict.error().code == errc::generic_validation_error);
    CHECK(strict.error().field == "party.partyIdInfo.partySubIdOrType");
    set(v, "/party/partyIdInfo/partySubIdOrType", "DRIVING_LICENSE");
    CHECK(accepted<fspiop::put_parties>(v));
    // 128 characters, multi-byte ones counting once, are fine.
    std::string long_id;
    for(int i = 0; i < 128; ++i)
        long_id += "\xC3\xA9";
    auto w = body("post_quotes.json");
    set(w, "/payee/partyIdInfo/partyIdentifier", json::string(long_id));
    CHECK(accepted<fspiop::post_quotes>(w));
}

TEST_CASE("FspId rule")
{
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/payerFsp", "", errc::generic_validation_error, "payerFsp");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/payeeFsp", repeat('d', 33), errc::generic_validation_error,
                                            "payeeFsp");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/payee/partyIdInfo/fspId", repeat('d', 33),
                                         errc::generic_validation_error, "payee.partyIdInfo.fspId");
    check_bad_value<fspiop::put_participants_type_id>("put_participants_type_id.json", "/fspId", "",
                                                      errc::generic_validation_error, "fspId");
    auto v = body("post_transfers.json");
    set(v, "/payeeFsp", repeat('d', 32));
    CHECK(accepted<fspiop::post_transfers>(v));
}

TEST_CASE("Name rules: PartyName by length, first/middle/last name by pattern")
{
    check_bad_value<fspiop::put_parties>("put_parties.json", "/party/name", repeat('n', 129), errc::generic_validation_error,
                                         "party.name");
    check_bad_value<fspiop::put_parties>("put_parties.json", "/party/name", "", errc::generic_validation_error, "party.name");
    for(auto bad : {"Bob!", "   ", "", "Bob\tSmith", "<script>", "Jo@n"})
        check_bad_value<fspiop::put_parties>("put_parties.json", "/party/personalInfo/complexName/firstName", bad,
                                             errc::generic_validation_error, "party.personalInfo.complexName.firstName");
    check_bad_value<fspiop::put_parties>("put_parties.json", "/party/personalInfo/complexName/lastName",
                                         repeat('k', 129), errc::generic_validation_error,
                                         "party.personalInfo.complexName.lastName");
    check_bad_value<fspiop::put_parties>("put_parties.json", "/party/personalInfo/complexName/middleName", "J. \xE2\x98\x83",
                                         errc::generic_validation_error, "party.personalInfo.complexName.middleName");
    auto v = body("put_parties.json");
    set(v, "/party/personalInfo/complexName/lastName", "O'Brien-Smith, Jr._2");
    CHECK(accepted<fspiop::put_parties>(v));
    set(v, "/party/name", "Anything goes here! 100%");
    CHECK(accepted<fspiop::put_parties>(v));
}

TEST_CASE("MerchantClassificationCode rule")
{
    for(auto bad : {"12345", "", "12a", "-1"})
        check_bad_value<fspiop::put_parties>("put_parties.json", "/party/merchantClassificationCode", bad,
                                             errc::generic_validation_error, "party.merchantClassificationCode");
}

TEST_CASE("AmountType, TransactionScenario, Initiator, InitiatorType and sub-scenario rules")
{
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/amountType", "BOTH", errc::generic_validation_error, "amountType");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/scenario", "GIFT", errc::generic_validation_error,
                                         "transactionType.scenario");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/initiator", "BANK",
                                         errc::generic_validation_error, "transactionType.initiator");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/initiatorType", "ROBOT",
                                         errc::generic_validation_error, "transactionType.initiatorType");
    for(auto bad : {"g2p", "G2P-CASH", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEF_"})
        check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/subScenario", bad,
                                             errc::generic_validation_error, "transactionType.subScenario");
    for(auto bad : {"012", "12", "1234", "abc"})
        check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/balanceOfPayments", bad,
                                             errc::generic_validation_error, "transactionType.balanceOfPayments");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/transactionType/refundInfo/refundReason",
                                         repeat('r', 129), errc::generic_validation_error,
                                         "transactionType.refundInfo.refundReason");
    check_bad_value<fspiop::post_bulk_quotes>("post_bulk_quotes.json", "/individualQuotes/0/amountType", "SENDER",
                                              errc::generic_validation_error, "individualQuotes[0].amountType");
}

TEST_CASE("TransferState and BulkTransferState rules")
{
    check_bad_value<fspiop::put_transfers>("put_transfers.json", "/transferState", "DONE", errc::generic_validation_error,
                                           "transferState");
    check_bad_value<fspiop::patch_transfers>("patch_transfers.json", "/transferState", "committed",
                                             errc::generic_validation_error, "transferState");
    check_bad_value<fspiop::put_bulk_transfers>("put_bulk_transfers.json", "/bulkTransferState", "DONE",
                                                errc::generic_validation_error, "bulkTransferState");
    for(auto state : {"RECEIVED", "RESERVED", "COMMITTED", "ABORTED"})
    {
        auto v = body("put_transfers.json");
        set(v, "/transferState", state);
        auto const r = fspiop::decode<fspiop::put_transfers>(json::serialize(v));
        REQUIRE(r);
        CHECK(fspiop::to_string(r->transfer_state) == state);
    }
}

TEST_CASE("GeoCode rules")
{
    for(auto bad : {"91", "90.1", "-90.0000001", "+", "1.", "01", "45,1", "100"})
        check_bad_value<fspiop::post_quotes>("post_quotes.json", "/geoCode/latitude", bad, errc::generic_validation_error,
                                             "geoCode.latitude");
    for(auto bad : {"181", "180.1", "1800", "-180.0000001"})
        check_bad_value<fspiop::post_quotes>("post_quotes.json", "/geoCode/longitude", bad, errc::generic_validation_error,
                                             "geoCode.longitude");
    auto v = body("post_quotes.json");
    erase(v, "/geoCode", "longitude");
    CHECK(rejected<fspiop::post_quotes>(v).field == "geoCode.longitude");
}

TEST_CASE("ErrorCode and ErrorDescription rules")
{
    for(auto bad : {"0123", "123", "12345", "31O1", ""})
        check_bad_value<fspiop::error_information_object>("error_information_object.json",
                                                          "/errorInformation/errorCode", bad, errc::generic_validation_error,
                                                          "errorInformation.errorCode");
    check_bad_value<fspiop::error_information_object>("error_information_object.json", "/errorInformation/errorCode",
                                                      3101, errc::malformed_syntax, "errorInformation.errorCode");
    check_bad_value<fspiop::error_information_object>("error_information_object.json",
                                                      "/errorInformation/errorDescription", repeat('e', 129),
                                                      errc::generic_validation_error, "errorInformation.errorDescription");
    check_bad_value<fspiop::put_participants>("put_participants.json", "/partyList/1/errorInformation/errorCode", "x",
                                              errc::generic_validation_error, "partyList[1].errorInformation.errorCode");
    // A scheme-specific code is a valid ErrorCode.
    auto v = body("error_information_object.json");
    set(v, "/errorInformation/errorCode", "5241");
    CHECK(accepted<fspiop::error_information_object>(v));
}

TEST_CASE("IlpPacket, IlpCondition and IlpFulfilment rules")
{
    for(auto bad : {"", "abc+def", "abc/def", "abc===", "=", "ab=c"})
        check_bad_value<fspiop::post_transfers>("post_transfers.json", "/ilpPacket", bad, errc::generic_validation_error,
                                                "ilpPacket");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/ilpPacket", repeat('A', 32769),
                                            errc::generic_validation_error, "ilpPacket");
    auto v = body("post_transfers.json");
    set(v, "/ilpPacket", "AQAA==");
    CHECK(accepted<fspiop::post_transfers>(v));

    std::string const good = "eCBB-86LyuWRxAK3wIidDmjskMRPZtDe03rGjGbLtSg";
    for(auto const& bad : {good.substr(0, 42), good + "A", good.substr(0, 42) + "=", good.substr(0, 42) + "+"})
        check_bad_value<fspiop::post_transfers>("post_transfers.json", "/condition", json::string(bad),
                                                errc::generic_validation_error, "condition");
    check_bad_value<fspiop::put_transfers>("put_transfers.json", "/fulfilment", "short", errc::generic_validation_error,
                                           "fulfilment");
    check_bad_value<fspiop::put_bulk_transfers>("put_bulk_transfers.json", "/individualTransferResults/0/fulfilment",
                                                "x", errc::generic_validation_error, "individualTransferResults[0].fulfilment");
    check_bad_value<fspiop::put_quotes>("put_quotes.json", "/condition", "x", errc::generic_validation_error, "condition");
}

TEST_CASE("Note rule")
{
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/note", "", errc::generic_validation_error, "note");
    check_bad_value<fspiop::post_quotes>("post_quotes.json", "/note", repeat('n', 129), errc::generic_validation_error, "note");
    check_bad_value<fspiop::transaction>("transaction.json", "/note", "", errc::generic_validation_error, "note");
    auto v = body("post_quotes.json");
    set(v, "/note", repeat('n', 128));
    CHECK(accepted<fspiop::post_quotes>(v));
}

TEST_CASE("ExtensionList rules: 1..16 items, key 1..32, value 1..128")
{
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension", json::array{},
                                            errc::generic_validation_error, "extensionList.extension");
    json::array seventeen;
    for(int i = 0; i < 17; ++i)
        seventeen.push_back(json::object{{"key", "k"}, {"value", "v"}});
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension", seventeen,
                                            errc::generic_validation_error, "extensionList.extension");
    seventeen.pop_back();
    auto v = body("post_transfers.json");
    set(v, "/extensionList/extension", seventeen);
    CHECK(accepted<fspiop::post_transfers>(v));

    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension/0/key", repeat('k', 33),
                                            errc::generic_validation_error, "extensionList.extension[0].key");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension/0/key", "",
                                            errc::generic_validation_error, "extensionList.extension[0].key");
    check_bad_value<fspiop::post_transfers>("post_transfers.json", "/extensionList/extension/0/value", repeat('v', 129),
                                            errc::generic_validation_error, "extensionList.extension[0].value");
    check_bad_value<fspiop::put_parties>("put_parties.json", "/party/partyIdInfo/extensionList/extension/0/value", "",
                                         errc::generic_validation_error, "party.partyIdInfo.extensionList.extension[0].value");
}

TEST_CASE("array sizes of bulk and batch bodies")
{
    check_bad_value<fspiop::post_bulk_transfers>("post_bulk_transfers.json", "/individualTransfers", json::array{},
                                                 errc::generic_validation_error, "individualTransfers");
    check_bad_value<fspiop::post_bulk_quotes>("post_bulk_quotes.json", "/individualQuotes", json::array{},
                                              errc::generic_validation_error, "individualQuotes");
    check_bad_value<fspiop::post_participants>("post_participants.json", "/partyList", json::array{},
                                               errc::generic_validation_error, "partyList");

    auto v = body("post_bulk_transfers.json");
    auto const item = v.at_pointer("/individualTransfers/0");
    json::array thousand(1000, item);
    set(v, "/individualTransfers", thousand);
    CHECK(accepted<fspiop::post_bulk_transfers>(v));
    thousand.push_back(item);
    set(v, "/individualTransfers", thousand);
    auto const e = rejected<fspiop::post_bulk_transfers>(v);
    CHECK(e.code == errc::generic_validation_error);
    CHECK(e.field == "individualTransfers");

    auto p = body("post_participants.json");
    json::array many(10001, p.at_pointer("/partyList/0"));
    set(p, "/partyList", many);
    CHECK(rejected<fspiop::post_participants>(p).code == errc::generic_validation_error);

    // Results may be empty.
    auto r = body("put_bulk_quotes.json");
    set(r, "/individualQuoteResults", json::array{});
    CHECK(accepted<fspiop::put_bulk_quotes>(r));

    // Errors inside items name the item.
    check_bad_value<fspiop::post_bulk_transfers>("post_bulk_transfers.json",
                                                 "/individualTransfers/0/transferAmount/amount", "1.00",
                                                 errc::generic_validation_error, "individualTransfers[0].transferAmount.amount");
    check_bad_value<fspiop::put_bulk_quotes>("put_bulk_quotes.json", "/individualQuoteResults/1/quoteId", 7,
                                             errc::malformed_syntax, "individualQuoteResults[1].quoteId");
}

TEST_CASE("decode_parsed validates an already parsed body")
{
    auto const v = body("post_transfers.json");
    auto const r = fspiop::decode_parsed<fspiop::post_transfers>(v);
    REQUIRE(r);
    CHECK(r->payer_fsp == "dfsp1");
    auto w = v;
    set(w, "/payerFsp", 1);
    auto const bad = fspiop::decode_parsed<fspiop::post_transfers>(w);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "payerFsp");
}

TEST_CASE("enum names round trip")
{
    for(auto name : fspiop::enum_names<fspiop::party_id_type>::names)
        CHECK(fspiop::to_string(*fspiop::from_string<fspiop::party_id_type>(name)) == name);
    CHECK_FALSE(fspiop::from_string<fspiop::party_id_type>("Msisdn"));
    CHECK(fspiop::from_string<fspiop::bulk_transfer_state>("PROCESSING") == fspiop::bulk_transfer_state::processing);
    CHECK(fspiop::to_string(fspiop::personal_identifier_type::other_id) == "OTHER_ID");
}
