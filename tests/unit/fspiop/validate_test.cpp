// The data-type checks of validate.hpp, one TEST_CASE per rule, with the accepted and the
// rejected forms side by side.
#include "simulator/fspiop/validate.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace fspiop = mojasim::fspiop;

namespace {

template<class F>
void accepts(F f, std::initializer_list<std::string_view> values)
{
    for(auto v : values)
    {
        INFO("should accept \"" << v << "\"");
        CHECK(f(v));
    }
}

template<class F>
void rejects(F f, std::initializer_list<std::string_view> values)
{
    for(auto v : values)
    {
        INFO("should reject \"" << v << "\"");
        CHECK_FALSE(f(v));
    }
}

} // namespace

TEST_CASE("is_amount")
{
    auto const f = [](std::string_view s) { return fspiop::is_amount(s); };
    accepts(f, {"5", "0.5", "123.4567", "0", "5.5", "100.05", "123456789012345678", "123456789012345678.0001"});
    rejects(f, {"5.0", "-5", ".5", "00.5", "5.50", "5.", "1.23456", "+5", "1e3", " 5", "5 ", "", "05",
                "1234567890123456789", "0.0", "1,5"});
}

TEST_CASE("is_currency")
{
    auto const f = [](std::string_view s) { return fspiop::is_currency(s); };
    accepts(f, {"USD", "EUR", "UGX", "XOF", "JPY", "BHD"});
    rejects(f, {"usd", "XYZ", "US", "USDD", ""});
}

TEST_CASE("is_datetime")
{
    auto const f = [](std::string_view s) { return fspiop::is_datetime(s); };
    accepts(f, {"2016-05-24T08:38:08.699Z", "2016-05-24T08:38:08.699-04:00", "2024-02-29T00:00:00.000+19:59",
                "9999-12-31T23:59:59.999Z"});
    rejects(f, {"2016-05-24T08:38:08.69Z", "2016-05-24T08:38:08.6999Z", "2016-05-24T08:38:08Z",
                "2023-02-29T00:00:00.000Z", "2016-05-24T08:38:60.000Z", "2016-05-24T08:38:08.699",
                "2016-05-24T08:38:08.699+20:00", "2016-05-24T08:38:08.699+01:60", "0999-05-24T08:38:08.699Z",
                "2016-05-24t08:38:08.699Z", ""});
}

TEST_CASE("is_date")
{
    auto const f = [](std::string_view s) { return fspiop::is_date(s); };
    accepts(f, {"1966-06-16", "2000-02-29", "1987-08-05"});
    rejects(f, {"1900-02-29", "1966-6-16", "1966-06-16Z", "0999-01-01", "1966-13-01", ""});
}

TEST_CASE("is_correlation_id: the hub's rule, or the specification's per API version with strict_spec")
{
    std::string_view const v4 = "b51ec534-ee48-4575-b6a9-ead2955b8069";
    std::string_view const v1 = "b51ec534-ee48-1575-b6a9-ead2955b8069";
    std::string_view const v7 = "01890a5d-ac96-774b-bcce-b302099a8057";
    std::string_view const ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    CHECK(fspiop::is_correlation_id(v4, 1, true));
    CHECK(fspiop::is_correlation_id(v1, 1, true));
    CHECK_FALSE(fspiop::is_correlation_id(v7, 1, true));
    CHECK_FALSE(fspiop::is_correlation_id(ulid, 1, true));
    // The hub validates every version against one OpenAPI (UUID v1-7 or ULID).
    CHECK(fspiop::is_correlation_id(v7, 1));
    CHECK(fspiop::is_correlation_id(ulid, 1));
    CHECK(fspiop::is_correlation_id(ulid, 1, false));
    CHECK(fspiop::is_correlation_id(ulid, 2, true));
    CHECK(fspiop::is_correlation_id(v4, 2));
    CHECK(fspiop::is_correlation_id(v7, 2));
    CHECK(fspiop::is_correlation_id(ulid, 2));
    CHECK(fspiop::is_correlation_id("ZZZZZZZZZZZZZZZZZZZZZZZZZZ", 2)); // the v2.0 pattern does not bound the time
    for(auto bad : {"B51EC534-EE48-4575-B6A9-EAD2955B8069", "b51ec534-ee48-8575-b6a9-ead2955b8069",
                    "b51ec534-ee48-4575-c6a9-ead2955b8069", "b51ec534ee484575b6a9ead2955b8069",
                    "01arz3ndektsv4rrffq69g5fav", "01ARZ3NDEKTSV4RRFFQ69G5FAI", ""})
    {
        INFO(bad);
        CHECK_FALSE(fspiop::is_correlation_id(bad, 1));
        CHECK_FALSE(fspiop::is_correlation_id(bad, 1, true));
        CHECK_FALSE(fspiop::is_correlation_id(bad, 2));
    }
}

TEST_CASE("lengths count characters: FspId, PartyIdentifier, PartySubIdOrType, PartyName, Note, ...")
{
    std::string const e_acute = "\xC3\xA9";
    std::string s32, s33;
    for(int i = 0; i < 32; ++i)
        s32 += e_acute;
    s33 = s32 + "x";
    CHECK(fspiop::char_count(s32) == 32);
    CHECK(fspiop::is_fsp_id("dfsp1"));
    CHECK(fspiop::is_fsp_id(s32));
    CHECK_FALSE(fspiop::is_fsp_id(s33));
    CHECK_FALSE(fspiop::is_fsp_id(""));
    CHECK(fspiop::is_extension_key(s32));
    CHECK_FALSE(fspiop::is_extension_key(s33));

    std::string const s128(128, 'x');
    std::string const s129(129, 'x');
    for(auto f : {fspiop::is_party_identifier, fspiop::is_party_sub_id_or_type, fspiop::is_party_name,
                  fspiop::is_note, fspiop::is_refund_reason, fspiop::is_error_description,
                  fspiop::is_extension_value})
    {
        CHECK(f("x"));
        CHECK(f(s128));
        CHECK_FALSE(f(s129));
        CHECK_FALSE(f(""));
    }
}

TEST_CASE("enumerations")
{
    CHECK(fspiop::is_party_id_type("MSISDN"));
    CHECK(fspiop::is_party_id_type("ALIAS"));
    CHECK_FALSE(fspiop::is_party_id_type("msisdn"));
    CHECK_FALSE(fspiop::is_party_id_type("CONSENT"));
    CHECK(fspiop::is_personal_identifier_type("PASSPORT"));
    CHECK(fspiop::is_personal_identifier_type("OTHER_ID"));
    CHECK_FALSE(fspiop::is_personal_identifier_type("NATIONAL_ID"));
    CHECK(fspiop::is_amount_type("SEND"));
    CHECK(fspiop::is_amount_type("RECEIVE"));
    CHECK_FALSE(fspiop::is_amount_type("send"));
    CHECK(fspiop::is_transaction_scenario("REFUND"));
    CHECK_FALSE(fspiop::is_transaction_scenario("G2P"));
    CHECK(fspiop::is_transaction_initiator("PAYEE"));
    CHECK_FALSE(fspiop::is_transaction_initiator("HUB"));
    CHECK(fspiop::is_transaction_initiator_type("AGENT"));
    CHECK_FALSE(fspiop::is_transaction_initiator_type("PERSON"));
    CHECK(fspiop::is_transfer_state("ABORTED"));
    CHECK_FALSE(fspiop::is_transfer_state("EXPIRED_RESERVED"));
    CHECK(fspiop::is_bulk_transfer_state("PROCESSING"));
    CHECK_FALSE(fspiop::is_bulk_transfer_state("COMMITTED"));
}

TEST_CASE("is_name")
{
    auto const f = [](std::string_view s) { return fspiop::is_name(s); };
    accepts(f, {"Henrik", "Johannes", "O'Brien-Smith", "Dr. J, Jr", "a_b", "Tom\xC3\xA1s", "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD",
                "\xE5\xBC\xA0\xE4\xBC\x9F", " x "});
    rejects(f, {"", " ", "   ", "Bob!", "Jo@n", "tab\there", "x\xE2\x98\x83", "\xC2\xA0", "\xF0\x9F\x98\x80",
                "bad\xC3", "100%"});
    std::string const s128(128, 'n');
    CHECK(fspiop::is_name(s128));
    CHECK_FALSE(fspiop::is_name(s128 + "n"));
}

TEST_CASE("patterned strings: MerchantClassificationCode, ErrorCode, sub-scenario, BoP, Integer, OTP, TokenCode")
{
    accepts([](auto s) { return fspiop::is_merchant_classification_code(s); }, {"1", "4321", "0000"});
    rejects([](auto s) { return fspiop::is_merchant_classification_code(s); }, {"", "12345", "12a"});
    accepts([](auto s) { return fspiop::is_error_code(s); }, {"1000", "3101", "5241", "9999"});
    rejects([](auto s) { return fspiop::is_error_code(s); }, {"0100", "310", "31010", "31a1", ""});
    accepts([](auto s) { return fspiop::is_transaction_sub_scenario(s); }, {"SOCIAL_CASH_TRANSFER", "LOCALLY_DEFINED_SUBSCENARIO", "_"});
    rejects([](auto s) { return fspiop::is_transaction_sub_scenario(s); },
            {"", "G2P", "g2p", "CASH-1", "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEF_"});
    accepts([](auto s) { return fspiop::is_balance_of_payments(s); }, {"123", "999", "100"});
    rejects([](auto s) { return fspiop::is_balance_of_payments(s); }, {"012", "12", "1234", ""});
    accepts([](auto s) { return fspiop::is_integer(s); }, {"1", "42", "1000000"});
    rejects([](auto s) { return fspiop::is_integer(s); }, {"0", "01", "-1", "", "1.0"});
    accepts([](auto s) { return fspiop::is_otp_value(s); }, {"123", "1234567890"});
    rejects([](auto s) { return fspiop::is_otp_value(s); }, {"12", "12345678901", "12a4"});
    accepts([](auto s) { return fspiop::is_token_code(s); }, {"Test", "abc123XYZ"});
    rejects([](auto s) { return fspiop::is_token_code(s); }, {"abc", "Test-Code", std::string_view("x").substr(0, 0)});
}

TEST_CASE("ILP binary strings")
{
    std::string const c43 = "Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU";
    CHECK(fspiop::is_ilp_condition(c43));
    CHECK(fspiop::is_ilp_fulfilment(c43));
    CHECK_FALSE(fspiop::is_ilp_condition(c43.substr(1)));
    CHECK_FALSE(fspiop::is_ilp_condition(c43 + "A"));
    CHECK_FALSE(fspiop::is_ilp_condition(c43.substr(1) + "="));
    CHECK_FALSE(fspiop::is_ilp_condition(c43.substr(1) + "/"));

    accepts([](auto s) { return fspiop::is_ilp_packet(s); }, {"AQ", "AQ==", "AQI=", "a-_b"});
    rejects([](auto s) { return fspiop::is_ilp_packet(s); }, {"", "=", "==", "AQ===", "A+Q", "A/Q", "A=Q", "AQ\n"});
    CHECK(fspiop::is_ilp_packet(std::string(32768, 'A')));
    CHECK_FALSE(fspiop::is_ilp_packet(std::string(32769, 'A')));
}

TEST_CASE("Latitude and Longitude")
{
    accepts([](auto s) { return fspiop::is_latitude(s); },
            {"+45.4215", "-90", "90.000000", "0", "-0.3476", "89.999999", "9"});
    rejects([](auto s) { return fspiop::is_latitude(s); },
            {"90.000001", "91", "-91", "01", "1.", ".5", "1.1234567", "+-1", "", "45,4"});
    accepts([](auto s) { return fspiop::is_longitude(s); }, {"+75.6972", "-180", "180.0", "179.999999", "99"});
    rejects([](auto s) { return fspiop::is_longitude(s); }, {"180.5", "181", "1800", "099", ""});
}

TEST_CASE("is_msisdn (our E.164 choice, not applied by decode)")
{
    accepts([](auto s) { return fspiop::is_msisdn(s); }, {"256700000001", "+256700000001", "16135551212"});
    rejects([](auto s) { return fspiop::is_msisdn(s); }, {"0700000001", "+", "1", "1234567890123456", "25670-000"});
}
