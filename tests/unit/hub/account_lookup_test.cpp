// PH-EE's account lookup flow, the pure part: the request, the rewrite of each row, the 404s
// and the whole batch's failure.
#include "payment-hub/account_lookup.hpp"
#include "payment-hub/config.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mojasim;
using namespace mojasim::hub;

namespace {

std::unique_ptr<batch> batch_of(std::string const& rows, std::string& body)
{
    std::string const csv = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                            "payee_identifier_type,payee_identifier,amount,currency,note\r\n" + rows;
    body = "--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"x.csv\"\r\n\r\n" + csv + "\r\n--b--\r\n";
    upload_request req;
    req.correlation_id = "corr";
    req.purpose = "p";
    req.type = "csv";
    req.tenant = "greenbank";
    req.filename = "x.csv";
    req.content_type = "multipart/form-data; boundary=b";
    req.body = body;
    auto result = validate_upload(req, {}, core::time_point{});
    static payment_mode_table const modes{{"MOJALOOP", connector::party_id_type::msisdn}};
    batch_info info;
    info.batch_id = "b-1";
    info.tenant = "greenbank";
    info.payer_fsp = "dfsp1";
    int ids = 0;
    std::uint64_t key = 1;
    return make_batch(std::move(info), std::get<accepted_upload>(result), batch_rules{&modes, nullptr}, 1000,
                      [&] { return "t-" + std::to_string(++ids); }, key);
}

std::string row(int i, std::string const& payee, std::string const& mode = "MOJALOOP")
{
    return std::to_string(i) + ",r-" + std::to_string(i) + "," + mode + ",msisdn,0413356886,NATIONAL_ID," + payee
        + ",10,USD,n\r\n";
}

} // namespace

TEST_CASE("lookup request: one beneficiary per payable row, duplicates kept, other fields empty", "[hub][lookup]")
{
    std::string body;
    auto b = batch_of(row(0, "NID-1") + row(1, "NID-2") + row(2, "NID-1") + row(3, "NID-3", "CASH"), body);
    auto r = lookup_request(*b, "2251799813685291", "greenbank");
    CHECK(mapper::phee::encode_request(r) ==
          R"({"requestID":"2251799813685291","sourceBBID":"greenbank","beneficiaries":[)"
          R"({"payeeIdentity":"NID-1","paymentModality":"","financialAddress":"","bankingInstitutionCode":""},)"
          R"({"payeeIdentity":"NID-2","paymentModality":"","financialAddress":"","bankingInstitutionCode":""},)"
          R"({"payeeIdentity":"NID-1","paymentModality":"","financialAddress":"","bankingInstitutionCode":""}]})");
}

TEST_CASE("lookup answer: found rows rewritten to FA and payee DFSP, the rest 404, counters add up", "[hub][lookup]")
{
    std::string body;
    auto b = batch_of(row(0, "NID-1") + row(1, "NID-2") + row(2, "NID-404") + row(3, "NID-1"), body);
    auto answer = mapper::phee::decode_batch_lookup(
        R"({"requestID":"7","registeringInstitutionId":"greenbank","beneficiaryDTOList":[
            {"payeeIdentity":"NID-1","paymentModality":"01","financialAddress":"0495000001","bankingInstitutionCode":"dfsp2"},
            {"payeeIdentity":"NID-2","paymentModality":"01","financialAddress":"0496000001","bankingInstitutionCode":"dfsp3"},
            {"payeeIdentity":"NID-1","paymentModality":"01","financialAddress":"ignored","bankingInstitutionCode":"x"}]})");
    REQUIRE(answer);
    auto const out = apply_lookup(*b, *answer, 2000);
    CHECK(out.resolved == 3);
    CHECK(out.not_found == 1);
    CHECK(b->rows[0].payee_identifier == "0495000001");
    CHECK(b->strings.get(b->rows[0].payee_dfsp) == "dfsp2");
    CHECK(b->rows[1].payee_identifier == "0496000001");
    CHECK(b->strings.get(b->rows[1].payee_dfsp) == "dfsp3");
    CHECK(b->rows[3].payee_identifier == "0495000001"); // the first entry wins
    CHECK(b->rows[2].payee_identifier == "NID-404");
    CHECK(b->rows[2].status == row_status::failed);
    CHECK_FALSE(b->rows[2].payable);
    CHECK(b->strings.get(b->rows[2].error_code) == "404");
    CHECK(b->strings.get(b->rows[2].error_description) == "Payee Identifier not found");
    CHECK(b->ongoing() == 3);
    CHECK(b->failed() == 1);
}

TEST_CASE("lookup failure: every waiting row fails with the note, rows already failed keep theirs", "[hub][lookup]")
{
    std::string body;
    auto b = batch_of(row(0, "NID-1") + row(1, "NID-2", "CASH"), body);
    REQUIRE(b->failed() == 1); // CASH: payment mode not configured
    fail_lookup(*b, 2000, lookup_note::timed_out_code, lookup_note::timed_out);
    CHECK(b->finished());
    CHECK(b->failed() == 2);
    CHECK(b->strings.get(b->rows[0].error_code) == "504");
    CHECK(b->strings.get(b->rows[0].error_description) == lookup_note::timed_out);
    CHECK(b->strings.get(b->rows[1].error_description) == row_note::mode_not_configured);
    CHECK(b->note == std::string(lookup_note::timed_out));
}

TEST_CASE("config: a tenant's lookup flow, its mapper and wait, errors name the key", "[hub][lookup]")
{
    auto c = parse_hub_config("tenants: {greenbank: {connector_url: http://x:1, flow: bulk_processor_account_lookup, "
                              "mapper_url: http://m:5200/, registering_institution: SocialWelfare, lookup_timeout_ms: 250}}\n"
                              "lookup_callback_url: http://hub:5000/batchAccountLookupCallback");
    auto const& t = c.tenants.at("greenbank");
    CHECK(t.account_lookup());
    CHECK(t.mapper_url == "http://m:5200");
    CHECK(t.registering_institution == "SocialWelfare");
    CHECK(t.lookup_timeout == std::chrono::milliseconds(250));
    CHECK(c.lookup_callback_url == "http://hub:5000/batchAccountLookupCallback");
    CHECK_FALSE(parse_hub_config("tenants: {greenbank: {connector_url: http://x:1}}").tenants.at("greenbank").account_lookup());

    auto fails_with = [](std::string const& yaml, std::string const& what) {
        try
        {
            parse_hub_config(yaml);
            FAIL("accepted: " << yaml);
        }
        catch(std::exception const& e)
        {
            CHECK_THAT(e.what(), Catch::Contains(what));
        }
    };
    fails_with("tenants: {greenbank: {connector_url: http://x:1, flow: zeebe}}",
               "tenants.greenbank.flow must be bulk_processor or bulk_processor_account_lookup");
    fails_with("tenants: {greenbank: {connector_url: http://x:1, flow: bulk_processor_account_lookup}}",
               "tenants.greenbank.mapper_url must be an http:// URL");
}
