// The batch model: row rules (duplicates, unknown payment modes, bad amounts), counters that
// always add up, progress phases, and the store.
#include "payment-hub/batch.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mojasim;
using namespace mojasim::hub;

namespace {

std::string multipart(std::string const& csv)
{
    return "--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"x.csv\"\r\n\r\n" + csv + "\r\n--b--\r\n";
}

struct fixture
{
    std::string body;
    payment_mode_table modes{{"MOJALOOP", connector::party_id_type::msisdn}};
    int ids = 0;
    std::uint64_t workflow_key = 100;

    std::unique_ptr<batch> make(std::string const& csv, batch_info info = {}, program_account const* program = nullptr)
    {
        body = multipart(csv);
        upload_request req;
        req.correlation_id = "corr";
        req.purpose = "p";
        req.type = "csv";
        req.tenant = "greenbank";
        req.filename = "x.csv";
        req.content_type = "multipart/form-data; boundary=b";
        req.body = body;
        auto result = validate_upload(req, {}, core::time_point{});
        auto const& up = std::get<accepted_upload>(result);
        if(info.batch_id.empty())
            info.batch_id = "batch-1";
        info.tenant = "greenbank";
        info.payer_fsp = "dfsp1";
        return make_batch(std::move(info), up, batch_rules{&modes, program}, 1000,
                          [this] { return "txn-" + std::to_string(++ids); }, workflow_key);
    }
};

std::string const header = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                           "payee_identifier_type,payee_identifier,amount,currency,note\r\n";

void check_sums(batch const& b)
{
    CHECK(b.successful() + b.failed() + b.ongoing() == b.total());
    CHECK(checked_add(checked_add(b.successful_amount(), b.failed_amount()).value(), b.ongoing_amount()) ==
          b.total_amount());
}

} // namespace

TEST_CASE("batch: MOJALOOP rows wait for payment with MSISDN ids for both parties", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,r1,MOJALOOP,msisdn,0413356886,PHONE,0495822412,50.0,USD,n1\r\n"
                             "1,r2,mojaloop,msisdn,0413356886,ACCOUNT_ID,0424942603,12.25,USD,n1\r\n");
    REQUIRE(b->total() == 2);
    CHECK(b->ongoing() == 2);
    CHECK(b->modes == "MOJALOOP,mojaloop");
    CHECK(b->total_amount() == *core::decimal::parse("62.25"));
    auto const& r = b->rows[0];
    CHECK(r.payable);
    CHECK(r.status == row_status::in_progress);
    CHECK(r.request_id == "r1");
    CHECK(r.transaction_id == "txn-1");
    CHECK(b->strings.get(r.payer_type) == "MSISDN");
    CHECK(b->strings.get(r.payee_type) == "MSISDN");
    CHECK(b->strings.get(r.payer_identifier) == "0413356886");
    CHECK(b->strings.get(r.note) == "n1");
    // Repeated values are stored once per batch.
    CHECK(b->rows[0].note == b->rows[1].note);
    CHECK(b->rows[0].payer_identifier == b->rows[1].payer_identifier);
    CHECK_FALSE(b->note.has_value());
    check_sums(*b);
}

TEST_CASE("batch: other payment modes fail with 'Payment mode not configured'", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,r1,gsma,msisdn,449999999,msisdn,449999112,852,USD,t\r\n"
                             "1,r2,MOJALOOP,msisdn,1,msisdn,2,10,USD,t\r\n");
    CHECK(b->failed() == 1);
    CHECK(b->ongoing() == 1);
    auto const& r = b->rows[0];
    CHECK(r.status == row_status::failed);
    CHECK_FALSE(r.payable);
    CHECK(b->strings.get(r.error_code) == "404");
    CHECK(b->strings.get(r.error_description) == "Payment mode not configured");
    // The CSV's own id types are kept when no mode applies.
    CHECK(b->strings.get(r.payee_type) == "msisdn");
    CHECK(b->failed_amount() == *core::decimal::parse("852"));
    check_sums(*b);

    f.modes.emplace_back("gsma", connector::party_id_type::msisdn);
    auto configured = f.make(header + "0,r1,GSMA,msisdn,449999999,msisdn,449999112,852,USD,t\r\n");
    CHECK(configured->ongoing() == 1);
}

TEST_CASE("batch: a repeated request_id fails with 'Duplicate transaction'", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,same,MOJALOOP,msisdn,1,msisdn,2,10,USD,t\r\n"
                             "1,same,MOJALOOP,msisdn,1,msisdn,3,10,USD,t\r\n"
                             "2,other,MOJALOOP,msisdn,1,msisdn,2,10,USD,t\r\n");
    CHECK(b->rows[0].payable);
    CHECK(b->rows[1].status == row_status::failed);
    CHECK(b->strings.get(b->rows[1].status_detail) == "Duplicate transaction");
    CHECK(b->rows[2].payable);
    check_sums(*b);
}

TEST_CASE("batch: a bad amount or a malformed row fails that row, not the batch", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,r1,MOJALOOP,msisdn,1,msisdn,2,ten,USD,t\r\n"
                             "1,r2,MOJALOOP,msisdn,1,msisdn,2,-5,USD,t\r\n"
                             "2,r3,MOJALOOP,msisdn,1,msisdn,2,1.23456,USD,t\r\n"
                             "3,r4,MOJALOOP,msisdn,1\r\n"
                             "4,r5,MOJALOOP,msisdn,1,msisdn,2,7,USD,t\r\n");
    REQUIRE(b->total() == 5);
    for(int i = 0; i < 4; ++i)
    {
        CHECK(b->rows[static_cast<std::size_t>(i)].status == row_status::failed);
        CHECK(b->rows[static_cast<std::size_t>(i)].amount.is_zero());
    }
    CHECK(b->strings.get(b->rows[0].error_description) == "Invalid amount");
    CHECK(b->strings.get(b->rows[3].error_description) == "Invalid data");
    CHECK(b->rows[4].payable);
    CHECK(b->note == "Invalid data in file data processing stopped");
    CHECK(b->total_amount() == *core::decimal::parse("7"));
    check_sums(*b);
}

TEST_CASE("batch: a row whose amount the batch total cannot take fails as an invalid amount", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,r1,MOJALOOP,msisdn,1,msisdn,2,900000000000000,USD,t\r\n"
                             "1,r2,MOJALOOP,msisdn,1,msisdn,2,900000000000000,USD,t\r\n"
                             "2,r3,MOJALOOP,msisdn,1,msisdn,2,22337203685477.5807,USD,t\r\n");
    REQUIRE(b->total() == 3);
    CHECK(b->rows[0].payable);
    CHECK(b->rows[1].status == row_status::failed);
    CHECK(b->strings.get(b->rows[1].error_description) == "Invalid amount");
    CHECK(b->rows[1].amount.is_zero());
    // The rest of the range still fits: the total reaches its end exactly.
    CHECK(b->rows[2].payable);
    CHECK(b->total_amount() == core::decimal::max());
    check_sums(*b);
    CHECK(b->complete_row(0, 2000));
    CHECK(b->complete_row(2, 2000));
    CHECK(b->successful_amount() == core::decimal::max());
    check_sums(*b);
}

TEST_CASE("batch: settling rows keeps successful + failed + ongoing = total", "[hub][batch]")
{
    fixture f;
    auto b = f.make(header + "0,r1,MOJALOOP,m,1,m,2,10,USD,t\r\n1,r2,MOJALOOP,m,1,m,3,20,USD,t\r\n"
                             "2,r3,MOJALOOP,m,1,m,4,30,USD,t\r\n");
    CHECK_FALSE(b->finished());
    CHECK(b->completed_ms == 0);
    CHECK(b->complete_row(0, 2000));
    check_sums(*b);
    CHECK(b->fail_row(1, 2100, "5101", "Payee transaction limit reached"));
    check_sums(*b);
    // A settled row cannot be settled again, nor an unknown one.
    CHECK_FALSE(b->complete_row(1, 2200));
    CHECK_FALSE(b->fail_row(0, 2200, "1", "x"));
    CHECK_FALSE(b->complete_row(7, 2200));
    check_sums(*b);
    CHECK(b->completion_rate() == 33);
    CHECK(b->complete_row(2, 2300));
    CHECK(b->finished());
    CHECK(b->completed_ms == 2300);
    CHECK(b->successful() == 2);
    CHECK(b->failed() == 1);
    CHECK(b->successful_amount() == *core::decimal::parse("40"));
    CHECK(b->failed_amount() == *core::decimal::parse("20"));
    CHECK(b->strings.get(b->rows[1].error_code) == "5101");
    check_sums(*b);
}

TEST_CASE("batch: a program's budget account pays every row", "[hub][batch]")
{
    fixture f;
    program_account program{"Program A", "MSISDN", "0499999999"};
    batch_info info;
    info.payee_dfsp_id = "dfsp2";
    auto b = f.make(header + "0,r1,MOJALOOP,,,msisdn,2,10,USD,t\r\n", info, &program);
    CHECK(b->strings.get(b->rows[0].payer_identifier) == "0499999999");
    CHECK(b->strings.get(b->rows[0].payer_type) == "MSISDN");
    CHECK(b->strings.get(b->rows[0].payee_dfsp) == "dfsp2");
}

TEST_CASE("batch: progress phases are taken once each, as the rate passes them", "[hub][batch]")
{
    std::vector<int> phases{20, 40, 60, 80, 100};
    CHECK_FALSE(take_phases(phases, 10));
    CHECK(take_phases(phases, 20));
    CHECK(phases == std::vector<int>{40, 60, 80, 100});
    CHECK(take_phases(phases, 66));
    CHECK(phases == std::vector<int>{80, 100});
    CHECK_FALSE(take_phases(phases, 66));
    CHECK(take_phases(phases, 100));
    CHECK(phases.empty());
}

namespace {
batch_info named(std::string id)
{
    batch_info info;
    info.batch_id = std::move(id);
    return info;
}
} // namespace

TEST_CASE("batch store: per tenant, and never drops an ongoing batch", "[hub][batch]")
{
    fixture f;
    batch_store store(2);
    auto ongoing = f.make(header + "0,r1,MOJALOOP,m,1,m,2,10,USD,t\r\n", named("a"));
    auto* a = &store.add(std::move(ongoing));
    CHECK(store.find("greenbank", "a") == a);
    CHECK(store.find("bluebank", "a") == nullptr);
    // Finished batches (every row failed) come and go; the oldest finished is dropped.
    for(auto id : {"b", "c", "d"})
        store.add(f.make(header + "0,r1,gsma,m,1,m,2,10,USD,t\r\n", named(id)));
    CHECK(store.size() == 2);
    CHECK(store.find("greenbank", "a") == a);
    CHECK(store.find("greenbank", "b") == nullptr);
    CHECK(store.find("greenbank", "c") == nullptr);
    CHECK(store.find("greenbank", "d") != nullptr);
    std::vector<std::string> seen;
    store.for_each("greenbank", [&](batch const& b) { seen.push_back(b.info.batch_id); });
    CHECK(seen == std::vector<std::string>{"a", "d"});
}
