#include "simulator/fspiop/errors.hpp"

#include <catch2/catch.hpp>

#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace fspiop = mojasim::fspiop;
using fspiop::errc;

TEST_CASE("errc holds every code of the FSPIOP error table")
{
    // The codes of the FSPIOP API definition's error table (7xxx is a range there; see below).
    int const codes[] = {1000, 1001, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 3000, 3001, 3002, 3003, 3040,
                         3100, 3101, 3102, 3103, 3104, 3105, 3106, 3107, 3200, 3201, 3202, 3203, 3204, 3205,
                         3206, 3207, 3208, 3209, 3210, 3300, 3301, 3302, 3303, 4000, 4001, 4100, 4101, 4102,
                         4103, 4200, 4300, 4400, 5000, 5001, 5100, 5101, 5102, 5103, 5104, 5105, 5106, 5107,
                         5200, 5300, 5400, 6000, 7000};
    for(int c : codes)
    {
        INFO("code " << c);
        auto const e = fspiop::errc_from_code(c);
        REQUIRE(e);
        CHECK(fspiop::code(*e) == c);
        CHECK_FALSE(fspiop::description(*e).empty());
    }
    // all_errcs() is sorted, unique and round-trips through the string form.
    auto const all = fspiop::all_errcs();
    CHECK(all.size() >= std::size(codes));
    for(std::size_t i = 0; i < all.size(); ++i)
    {
        if(i > 0)
            CHECK(fspiop::code(all[i - 1]) < fspiop::code(all[i]));
        CHECK(fspiop::errc_from_code(fspiop::code_string(all[i])) == all[i]);
    }
}

TEST_CASE("errc values and standard descriptions")
{
    CHECK(fspiop::code(errc::transfer_expired) == 3303);
    CHECK(fspiop::code(errc::payer_fsp_insufficient_liquidity) == 4001);
    CHECK(fspiop::code(errc::payer_limit_error) == 4200);
    CHECK(fspiop::code(errc::party_not_found) == 3204);
    CHECK(fspiop::code(errc::modified_request) == 3106);
    CHECK(fspiop::code(errc::transfer_id_not_found) == 3208);
    CHECK(fspiop::code(errc::generic_validation_error) == 3100);
    CHECK(fspiop::code(errc::malformed_syntax) == 3101);
    CHECK(fspiop::code(errc::missing_mandatory_element) == 3102);
    CHECK(fspiop::code(errc::too_large_payload) == 3104);
    CHECK(fspiop::code(errc::unacceptable_version) == 3001);
    CHECK(fspiop::code(errc::destination_communication_error) == 1001);
    CHECK(fspiop::code(errc::payee_rejected_transaction) == 5104);
    CHECK(fspiop::code(errc::destination_fsp_error) == 3201);
    CHECK(fspiop::code(errc::generic_id_not_found) == 3200);

    CHECK(fspiop::description(errc::transfer_expired) == "Transfer expired");
    CHECK(fspiop::description(errc::payer_fsp_insufficient_liquidity) == "Payer FSP insufficient liquidity");
    CHECK(fspiop::description(errc::generic_validation_error) == "Generic validation error");
    CHECK(fspiop::description(errc::malformed_syntax) == "Malformed syntax");
    CHECK(fspiop::description(errc::missing_mandatory_element) == "Missing mandatory element");
    CHECK(fspiop::description(errc::unacceptable_version) == "Unacceptable version requested");
    CHECK(fspiop::description(errc::destination_fsp_error) == "Destination FSP Error");
    CHECK(fspiop::description(errc::party_not_found) == "Party not found");
    CHECK(fspiop::description(errc::payer_limit_error) == "Payer limit error");
    CHECK(fspiop::description(static_cast<errc>(1234)).empty());
}

TEST_CASE("errc_from_code accepts known codes only, as int or exact 4-digit text")
{
    CHECK(fspiop::errc_from_code(3303) == errc::transfer_expired);
    CHECK(fspiop::errc_from_code("4001") == errc::payer_fsp_insufficient_liquidity);
    CHECK_FALSE(fspiop::errc_from_code(3241));   // scheme-specific: valid form, unknown
    CHECK_FALSE(fspiop::errc_from_code("3241"));
    CHECK_FALSE(fspiop::errc_from_code(0));
    CHECK_FALSE(fspiop::errc_from_code(99999));
    for(auto bad : {"", "330", "33030", "0300", " 3303", "3303 ", "33a3", "+303"})
    {
        INFO(bad);
        CHECK_FALSE(fspiop::errc_from_code(std::string_view(bad)));
    }
}

TEST_CASE("generic_parent maps scheme codes to the generic code of their sub-category")
{
    CHECK(fspiop::generic_parent(3241) == errc::generic_id_not_found);
    CHECK(fspiop::generic_parent(4150) == errc::generic_payer_rejection);
    CHECK(fspiop::generic_parent(5999) == errc::generic_payee_error);
    CHECK(fspiop::generic_parent(3303) == errc::transfer_expired);
    CHECK(fspiop::generic_parent(1099) == errc::communication_error);
    CHECK_FALSE(fspiop::generic_parent(8123));
    CHECK_FALSE(fspiop::generic_parent(999));
}

TEST_CASE("http_status of synchronous errors")
{
    CHECK(fspiop::http_status(errc::unacceptable_version) == 406);
    CHECK(fspiop::http_status(errc::unknown_uri) == 404);
    CHECK(fspiop::http_status(errc::not_implemented) == 501);
    CHECK(fspiop::http_status(errc::service_currently_unavailable) == 503);
    CHECK(fspiop::http_status(errc::malformed_syntax) == 400);
    CHECK(fspiop::http_status(errc::missing_mandatory_element) == 400);
    CHECK(fspiop::http_status(errc::generic_validation_error) == 400);
    CHECK(fspiop::http_status(errc::transfer_expired) == 400);
}

TEST_CASE("category is the first digit")
{
    CHECK(fspiop::category(errc::destination_communication_error) == fspiop::error_category::communication);
    CHECK(fspiop::category(errc::internal_server_error) == fspiop::error_category::server);
    CHECK(fspiop::category(errc::transfer_expired) == fspiop::error_category::client);
    CHECK(fspiop::category(errc::payer_limit_error) == fspiop::error_category::payer);
    CHECK(fspiop::category(errc::payee_rejected_transaction) == fspiop::error_category::payee);
    CHECK(fspiop::category(errc::generic_settlement_error) == fspiop::error_category::settlement);
    CHECK(fspiop::category(errc::tp_consent_invalid) == fspiop::error_category::third_party);
}

TEST_CASE("error_body writes the hub's exact error body")
{
    CHECK(fspiop::error_body(errc::generic_validation_error, "payerFsp does not match FSPIOP-Source") ==
          R"({"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error - payerFsp does not match FSPIOP-Source"}})");
    CHECK(fspiop::error_body(errc::transfer_expired) ==
          R"({"errorInformation":{"errorCode":"3303","errorDescription":"Transfer expired"}})");

    std::vector<fspiop::extension> const ext{{"1", "0"}, {"1", "1"}};
    CHECK(fspiop::error_body(errc::unacceptable_version, "x", ext) ==
          R"({"errorInformation":{"errorCode":"3001","errorDescription":"Unacceptable version requested - x",)"
          R"("extensionList":{"extension":[{"key":"1","value":"0"},{"key":"1","value":"1"}]}}})");
}

TEST_CASE("error_body escapes JSON and keeps the description within 128 characters")
{
    CHECK(fspiop::error_body(errc::malformed_syntax, "bad \"x\"\n\\") ==
          R"({"errorInformation":{"errorCode":"3101","errorDescription":"Malformed syntax - bad \"x\"\n\\"}})");

    std::string const long_detail(300, 'a');
    auto const info = fspiop::error_information::from(errc::malformed_syntax, long_detail);
    CHECK(info.error_description.size() == 128);
    CHECK(info.error_description.starts_with("Malformed syntax - aaa"));
    auto const body = fspiop::error_body(errc::malformed_syntax, long_detail);
    CHECK(body == R"({"errorInformation":{"errorCode":"3101","errorDescription":")" + info.error_description + R"("}})");

    // Multi-byte characters count once and are never cut in half.
    std::string umlauts;
    for(int i = 0; i < 200; ++i)
        umlauts += "\xC3\xBC"; // ü
    auto const u = fspiop::error_information::from(errc::malformed_syntax, umlauts);
    CHECK(u.error_description.size() == std::string_view("Malformed syntax - ").size() + 2 * (128 - 19));
}

TEST_CASE("error_information body for arbitrary codes")
{
    fspiop::error_information info{"5241", "Scheme specific", {{"k", "v"}}};
    CHECK_FALSE(info.code());
    CHECK(fspiop::error_body(info) ==
          R"({"errorInformation":{"errorCode":"5241","errorDescription":"Scheme specific","extensionList":{"extension":[{"key":"k","value":"v"}]}}})");
    auto const std_info = fspiop::error_information::from(errc::party_not_found);
    CHECK(std_info.error_code == "3204");
    CHECK(std_info.error_description == "Party not found");
    CHECK(std_info.code() == errc::party_not_found);
}

TEST_CASE("errc works as a boost::system error code")
{
    boost::system::error_code ec = errc::transfer_expired;
    CHECK(ec.value() == 3303);
    CHECK(ec.message() == "Transfer expired");
    CHECK(ec == errc::transfer_expired);
    CHECK(ec != errc::quote_expired);
    boost::system::result<int> r = boost::system::error_code(errc::payer_limit_error);
    REQUIRE_FALSE(r);
    CHECK(r.error() == errc::payer_limit_error);
}

TEST_CASE("spec error codes are the known ones and scheme-specific codes of a known category")
{
    CHECK(fspiop::is_spec_error_code("3303"));  // known
    CHECK(fspiop::is_spec_error_code("3241"));  // scheme-specific, falls back to 3200
    CHECK(fspiop::is_spec_error_code("5999"));  // scheme-specific, falls back to 5000
    CHECK_FALSE(fspiop::is_spec_error_code("9999"));  // no such category
    CHECK_FALSE(fspiop::is_spec_error_code("0303"));
    CHECK_FALSE(fspiop::is_spec_error_code("330"));
    CHECK_FALSE(fspiop::is_spec_error_code("33a3"));
    CHECK_FALSE(fspiop::is_spec_error_code(""));
}
