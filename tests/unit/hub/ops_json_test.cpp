// The operations app's JSON: BatchDTO, Transfer, Page, /batches, callback body, formats.
#include "payment-hub/ops_json.hpp"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace mojasim;
using namespace mojasim::hub;
namespace json = boost::json;

namespace {

std::int64_t const t0 = 1714557600000; // 2024-05-01T10:00:00Z, a Wednesday

std::string const header = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                           "payee_identifier_type,payee_identifier,amount,currency,note\r\n";

std::unique_ptr<batch> sample(std::string const& rows, std::string* body_store)
{
    *body_store = "--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"x.csv\"\r\n\r\n" + header + rows
        + "\r\n--b--\r\n";
    upload_request req;
    req.correlation_id = "6b7f3a52";
    req.purpose = "G2P Payment";
    req.type = "csv";
    req.tenant = "greenbank";
    req.filename = "x.csv";
    req.content_type = "multipart/form-data; boundary=b";
    req.body = *body_store;
    auto up = std::get<accepted_upload>(validate_upload(req, {}, core::time_point{}));
    static payment_mode_table const modes{{"MOJALOOP", connector::party_id_type::msisdn}};
    batch_info info;
    info.batch_id = "3c1f";
    info.tenant = "greenbank";
    info.payer_fsp = "dfsp1";
    info.request_id = "6b7f3a52";
    int n = 0;
    std::uint64_t key = 2251799813685249ULL;
    return make_batch(info, up, batch_rules{&modes, nullptr}, t0, [&n] { return "txn-" + std::to_string(++n); }, key);
}

json::object parse(std::string const& s) { return json::parse(s).as_object(); }

} // namespace

TEST_CASE("ops: percentages are rounded down to two decimals, in two Java styles", "[hub][ops]")
{
    CHECK(percent_java(3, 4) == "75.0");
    CHECK(percent_java(1, 4) == "25.0");
    CHECK(percent_java(1, 3) == "33.33");
    CHECK(percent_java(2, 3) == "66.66");
    CHECK(percent_java(1, 8) == "12.5");
    CHECK(percent_java(1, 16) == "6.25");
    CHECK(percent_java(3, 3) == "100.0");
    CHECK(percent_java(0, 5) == "0.0");
    CHECK(percent_java(0, 0) == "0.0");
    CHECK(percent_java(1, 10000) == "0.01");
    CHECK(percent_decimal_format(3, 4) == "75");
    CHECK(percent_decimal_format(2, 3) == "66.66");
    CHECK(percent_decimal_format(1, 8) == "12.5");
    CHECK(percent_decimal_format(0, 3) == "0");
}

TEST_CASE("ops: dates as Java's Date.toString and as Jackson writes them", "[hub][ops]")
{
    CHECK(java_date(t0) == "Wed May 01 10:00:00 UTC 2024");
    CHECK(jackson_date(t0 + 123) == "2024-05-01T10:00:00.123+00:00");
    CHECK(parse_filter_date("2024-05-01 10:00:00") == t0);
    CHECK(parse_filter_date("2024-05-01T10:00:00.123Z") == t0 + 123);
    CHECK(parse_filter_date("2024-05-01") == t0 - 36'000'000);
    CHECK_FALSE(parse_filter_date("2024-13-01").has_value());
    CHECK_FALSE(parse_filter_date("yesterday").has_value());
    CHECK_FALSE(parse_filter_date("2024-05-01 25:00:00").has_value());
}

TEST_CASE("ops: the BatchDTO of /batch/{id} has PH-EE's names, integer amounts and mixed-case status", "[hub][ops]")
{
    std::string body;
    auto b = sample("0,a,MOJALOOP,msisdn,1,msisdn,2,50.0,USD,n\r\n1,b,MOJALOOP,msisdn,1,msisdn,3,50.75,USD,n\r\n"
                    "2,c,MOJALOOP,msisdn,1,msisdn,4,50.5,USD,n\r\n3,d,gsma,msisdn,1,msisdn,5,49.99,USD,n\r\n",
                    &body);
    auto o = parse(batch_dto_json(*b, summary_kind::aggregate, "http://ops/files/3c1f_response.csv"));
    CHECK(o.at("status") == "Pending");
    CHECK(o.at("total") == 4);
    CHECK(o.at("ongoing") == 3);
    CHECK(o.at("failed") == 1);
    CHECK(o.at("successful") == 0);
    // 201.24 in all, truncated; 49.99 failed -> 49 (the parts need not add up: PH-EE
    // truncates each sum).
    CHECK(o.at("totalAmount") == 201);
    CHECK(o.at("failedAmount") == 49);
    CHECK(o.at("pendingAmount") == 151);

    b->complete_row(0, t0 + 1);
    b->complete_row(1, t0 + 2);
    b->complete_row(2, t0 + 3);
    auto const text = batch_dto_json(*b, summary_kind::aggregate, "http://ops/files/3c1f_response.csv");
    CHECK(text == R"({"batchId":"3c1f","requestId":"6b7f3a52","total":4,"ongoing":0,"failed":1,"successful":3,)"
                  R"("totalAmount":201,"successfulAmount":151,"pendingAmount":0,"failedAmount":49,)"
                  R"("file":"http://ops/files/3c1f_response.csv","notes":null,"createdAt":"Wed May 01 10:00:00 UTC 2024",)"
                  R"("status":"Failed","modes":"MOJALOOP,gsma","purpose":"Unknown purpose","failPercentage":"25.0",)"
                  R"("successPercentage":"75.0","registeringInstitutionId":null,"payerFsp":"greenbank","correlationId":"6b7f3a52"})");

    // The stored summary (/batch?batchId=) says UNKNOWN instead of Failed, and formats
    // percentages with DecimalFormat.
    auto stored = parse(batch_dto_json(*b, summary_kind::stored, ""));
    CHECK(stored.at("status") == "UNKNOWN");
    CHECK(stored.at("successPercentage") == "75");
}

TEST_CASE("ops: a fully paid batch is COMPLETED in both summaries", "[hub][ops]")
{
    std::string body;
    auto b = sample("0,a,MOJALOOP,msisdn,1,msisdn,2,50.0,USD,n\r\n", &body);
    b->complete_row(0, t0 + 5);
    CHECK(batch_status(*b, summary_kind::aggregate) == "COMPLETED");
    CHECK(batch_status(*b, summary_kind::stored) == "COMPLETED");
}

TEST_CASE("ops: a Transfer carries clientCorrelationId, the FSPIOP error and string amounts", "[hub][ops]")
{
    std::string body;
    auto b = sample("0,9a2e,MOJALOOP,msisdn,0413356886,PHONE,0495822412,50.0,USD,n\r\n"
                    "1,0c7d,MOJALOOP,msisdn,0413356886,PHONE,0424942603,12.345,USD,n\r\n",
                    &body);
    b->rows[0].payee_dfsp = b->strings.intern("dfsp2");
    b->complete_row(0, t0 + 1500);
    b->fail_row(1, t0 + 1600, "5101", "Payee transaction limit reached");

    auto ok = parse(transfer_json(*b, b->rows[0]));
    CHECK(ok.at("clientCorrelationId") == "9a2e");
    CHECK(ok.at("transactionId") == "txn-1");
    CHECK(ok.at("workflowInstanceKey") == "2251799813685250");
    CHECK(ok.at("status") == "COMPLETED");
    CHECK(ok.at("amount") == "50.00");
    CHECK(ok.at("currency") == "USD");
    CHECK(ok.at("payeePartyId") == "0495822412");
    CHECK(ok.at("payeePartyIdType") == "MSISDN");
    CHECK(ok.at("payerPartyId") == "0413356886");
    CHECK(ok.at("payerDfspId") == "dfsp1");
    CHECK(ok.at("payeeDfspId") == "dfsp2");
    CHECK(ok.at("startedAt") == "2024-05-01T10:00:00.000+00:00");
    CHECK(ok.at("completedAt") == "2024-05-01T10:00:01.500+00:00");
    CHECK(ok.at("errorInformation").is_null());
    CHECK(ok.at("direction") == "OUTGOING");
    CHECK(ok.at("batchId") == "3c1f");

    auto bad = parse(transfer_json(*b, b->rows[1]));
    CHECK(bad.at("status") == "FAILED");
    CHECK(bad.at("amount") == "12.345");
    CHECK(bad.at("statusDetail") == "Payee transaction limit reached");
    auto const info = json::parse(std::string(bad.at("errorInformation").as_string())).as_object();
    CHECK(info.at("errorInformation").at("errorCode") == "5101");
    CHECK(info.at("errorInformation").at("errorDescription") == "Payee transaction limit reached");
}

TEST_CASE("ops: /batch/detail pages like Spring Data, filtering by status", "[hub][ops]")
{
    std::string body;
    std::string rows;
    for(int i = 0; i < 25; ++i)
        rows += std::to_string(i) + ",r" + std::to_string(i) + ",MOJALOOP,msisdn,1,msisdn,2,1,USD,n\r\n";
    auto b = sample(rows, &body);
    for(std::size_t i = 0; i < 25; i += 2)
        b->complete_row(i, t0 + 1);

    auto all = parse(transfer_page_json(b.get(), {2, 10, std::nullopt}));
    CHECK(all.at("totalElements") == 25);
    CHECK(all.at("totalPages") == 3);
    CHECK(all.at("number") == 2);
    CHECK(all.at("size") == 10);
    CHECK(all.at("numberOfElements") == 5);
    CHECK(all.at("last") == true);
    CHECK(all.at("first") == false);
    CHECK(all.at("empty") == false);
    CHECK(all.at("content").as_array()[0].at("clientCorrelationId") == "r20");
    CHECK(all.at("pageable").at("offset") == 20);

    auto done = parse(transfer_page_json(b.get(), {0, 100, row_status::completed}));
    CHECK(done.at("totalElements") == 13);
    CHECK(done.at("content").as_array().size() == 13);
    for(auto const& t : done.at("content").as_array())
        CHECK(t.at("status") == "COMPLETED");

    auto running = parse(transfer_page_json(b.get(), {1, 10, row_status::in_progress}));
    CHECK(running.at("totalElements") == 12);
    CHECK(running.at("numberOfElements") == 2);
    CHECK(running.at("content").as_array()[0].at("clientCorrelationId") == "r21");

    auto unknown = parse(transfer_page_json(nullptr, {0, 10, std::nullopt}));
    CHECK(unknown.at("totalElements") == 0);
    CHECK(unknown.at("empty") == true);
    CHECK(unknown.at("content").as_array().empty());
}

TEST_CASE("ops: /batch/transactions maps transaction ids to statuses", "[hub][ops]")
{
    std::string body;
    auto b = sample("0,a,MOJALOOP,m,1,m,2,1,USD,n\r\n1,b,gsma,m,1,m,2,1,USD,n\r\n", &body);
    CHECK(batch_transactions_json(*b) == R"({"txn-1":"IN_PROGRESS","txn-2":"FAILED"})");
}

TEST_CASE("ops: /batches filters, sorts and pages one tenant's batches", "[hub][ops]")
{
    std::string b1, b2, b3;
    auto x = sample("0,a,MOJALOOP,m,1,m,2,10,USD,n\r\n", &b1);
    auto y = sample("0,a,MOJALOOP,m,1,m,2,20,USD,n\r\n1,b,MOJALOOP,m,1,m,2,5.5,USD,n\r\n", &b2);
    auto z = sample("0,a,MOJALOOP,m,1,m,2,30,USD,n\r\n", &b3);
    x->info.batch_id = "x";
    y->info.batch_id = "y";
    z->info.batch_id = "z";
    y->started_ms = t0 + 1000;
    z->started_ms = t0 + 2000;
    std::vector<batch const*> all{x.get(), y.get(), z.get()};

    batches_query q;
    auto o = parse(*batches_json(all, q, "http://ops/files/"));
    CHECK(o.at("totalBatches") == 3);
    CHECK(o.at("totalTransactions") == 4);
    CHECK(o.at("totalAmount") == 65);
    auto const& data = o.at("data").as_array();
    REQUIRE(data.size() == 3);
    CHECK(data[0].at("batchId") == "z"); // -startedAt: newest first
    CHECK(data[0].at("result_file") == "http://ops/files/z_response.csv");
    CHECK(data[0].at("status") == "IN_PROGRESS");

    q.sort = "+startedAt";
    q.limit = 2;
    q.offset = 2;
    o = parse(*batches_json(all, q, ""));
    REQUIRE(o.at("data").as_array().size() == 1);
    CHECK(o.at("data").as_array()[0].at("batchId") == "z");

    q = {};
    q.batch_id = "y";
    o = parse(*batches_json(all, q, ""));
    CHECK(o.at("totalBatches") == 1);
    CHECK(o.at("data").as_array()[0].at("totalAmount") == 25);

    q = {};
    q.date_from_ms = t0 + 500;
    q.date_to_ms = t0 + 1500;
    o = parse(*batches_json(all, q, ""));
    CHECK(o.at("totalBatches") == 1);

    q = {};
    q.payer_fsp = "bluebank";
    CHECK(parse(*batches_json(all, q, "")).at("totalBatches") == 0);

    q = {};
    q.sort = "-color";
    CHECK_FALSE(batches_json(all, q, "").has_value());
    q = {};
    q.limit = 0;
    CHECK_FALSE(batches_json(all, q, "").has_value());
}

TEST_CASE("ops: the progress callback body and the result file", "[hub][ops]")
{
    std::string body;
    auto b = sample("0,a,MOJALOOP,m,0413356886,m,0495822412,50,USD,n\r\n1,b,gsma,m,1,m,2,1,USD,n\r\n", &body);
    CHECK(callback_body(*b, 60)
          == R"({"clientCorrelationId":"6b7f3a52","batchId":"3c1f","message":"The Batch Aggregation API was complete with : 60"})");
    b->complete_row(0, t0 + 1000);
    auto const file = result_file_csv(*b);
    CHECK(file.substr(0, file.find('\n'))
          == "txn-1,COMPLETED,null,0495822412,dfsp1,0413356886,50.00,USD,null,Wed May 01 10:00:00 UTC 2024,"
             "Wed May 01 10:00:01 UTC 2024,");
    CHECK(file.find(R"("{""errorInformation"":{""errorCode"":""404"")") != std::string::npos);
}
