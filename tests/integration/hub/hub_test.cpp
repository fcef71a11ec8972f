// The Payment Hub end to end over HTTP, with a fake DFSP1 connector: OpenG2P's upload, the
// PH-EE sample files, every 400 of the upload, FSPIOP errors kept, retries, callbacks,
// the operations API, and a 10,000-row batch.
#include "hub_fixture.hpp"
#include "tests/support/async_test.hpp"

#include <boost/json/serialize.hpp>

#include <set>

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::vector<std::string> csv_request_ids(std::string const& csv)
{
    std::vector<std::string> ids;
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    while(std::getline(in, line))
    {
        auto const a = line.find(',');
        auto const b = line.find(',', a + 1);
        ids.push_back(line.substr(a + 1, b - a - 1));
    }
    return ids;
}

std::vector<json::object> detail(json::object const& page)
{
    std::vector<json::object> out;
    for(auto const& t : page.at("content").as_array())
        out.push_back(t.as_object());
    return out;
}

/// GET on the operations API with a bearer token.
net::awaitable<net::response> authed_get(hub_world& w, std::string token, std::string target, std::string tenant)
{
    net::request r;
    r.method = net::method::get;
    if(!tenant.empty())
        r.fields.set("Platform-TenantId", tenant);
    r.fields.set("Authorization", "Bearer " + token);
    auto x = co_await w.client.send(w.hub->ops_url() + target, std::move(r), 10s);
    REQUIRE(x);
    co_return std::move(*x);
}

std::string const header = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,"
                           "payee_identifier_type,payee_identifier,amount,currency,note\r\n";

std::string row(int i, std::string const& payee, std::string const& amount = "50.0", std::string const& mode = "MOJALOOP")
{
    return std::to_string(i) + ",req-" + std::to_string(i) + "," + mode + ",msisdn,0413356886,PHONE," + payee + ","
        + amount + ",USD,Program: Demo. Cycle ID - C1\r\n";
}

} // namespace

// The tests' coroutines (named functions: no capturing lambda coroutines).
namespace {

net::awaitable<void> openg2p_upload(hub_world& w, std::string const& csv)
{
    // The upload is answered while the connector holds every payment: the 202 never waits for
    // the batch to be paid.
    w.connector.hold = true;
    auto res = co_await upload(w, {csv});
    CHECK(res.status == 202);
    auto const held = co_await eventually([&] { return w.connector.held > 0; });
    CHECK(held);
    w.connector.release();
    auto const body = json::parse(res.body).as_object();
    CHECK(body.at("SuggestedCallbackSeconds") == "120");
    std::string const polling(body.at("PollingPath").as_string());
    CHECK(polling.rfind("/batch/Summary/", 0) == 0);
    auto const id = batch_id_of(res);
    CHECK(core::is_uuid(id, '4'));

    auto s = co_await poll_summary(w, id, [](json::object const& o) { return o.at("status") == "COMPLETED"; });
    CHECK(s.at("total") == 3);
    CHECK(s.at("successful") == 3);
    CHECK(s.at("failed") == 0);
    CHECK(s.at("ongoing") == 0);
    CHECK(s.at("totalAmount") == 150);
    CHECK(s.at("successfulAmount") == 150);
    CHECK(s.at("failedAmount") == 0);
    CHECK(s.at("pendingAmount") == 0);
    CHECK(s.at("successPercentage") == "100.0");
    CHECK(s.at("failPercentage") == "0.0");
    CHECK(s.at("modes") == "MOJALOOP");
    CHECK(s.at("payerFsp") == "greenbank");
    CHECK(s.at("requestId") == "6b7f3a52-1c8e-4b8b-9d4e-3f1f0a9c2d10");

    // gazelle's reconciliation read: detail with a big page, matched on clientCorrelationId.
    auto d = co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&pageSize=1000");
    REQUIRE(d.status == 200);
    auto const page = json::parse(d.body).as_object();
    std::set<std::string> seen;
    for(auto const& t : detail(page))
    {
        seen.insert(std::string(t.at("clientCorrelationId").as_string()));
        CHECK(t.at("status") == "COMPLETED");
        CHECK(t.at("payeeDfspId") == "dfsp2");
        CHECK(t.at("amount") == "50.00");
        CHECK(std::string_view(t.at("transactionId").as_string()).starts_with("tr-"));
    }
    auto const ids = csv_request_ids(csv);
    CHECK(seen == std::set<std::string>(ids.begin(), ids.end()));
}

net::awaitable<void> strict_type(hub_world& strict, std::string const& csv)
{
    upload_spec spec{csv};
    spec.type = "type";
    auto res = co_await upload(strict, spec);
    CHECK(res.status == 400);
    CHECK(res.body == hub::phee_body::file_not_uploaded);
}

net::awaitable<void> lenient_type(hub_world& lenient, std::string const& csv)
{
    upload_spec spec{csv};
    spec.type = "type";
    spec.path = "/bulk/transfer"; // OpenG2P's default payment_endpoint_url path
    auto res = co_await upload(lenient, spec);
    REQUIRE(res.status == 202);
    auto s = co_await poll_summary(lenient, batch_id_of(res), finished);
    CHECK(s.at("status") == "COMPLETED");
}

net::awaitable<void> demo_csvs(hub_world& w)
{
    // demo-11: payment_mode=mojaloop (lower case), integer amounts, no trailing newline.
    auto r11 = co_await upload(w, {reference_file("ph-ee-bulk-demo-11.csv"), "ph-ee-bulk-demo-11.csv"});
    REQUIRE(r11.status == 202);
    auto s11 = co_await poll_summary(w, batch_id_of(r11), finished);
    CHECK(s11.at("status") == "COMPLETED");
    CHECK(s11.at("total") == 5);
    CHECK(s11.at("successful") == 5);
    CHECK(s11.at("totalAmount") == 50);

    // demo-6: gsma is not configured: every row fails at once, nothing is sent.
    auto r6 = co_await upload(w, {reference_file("ph-ee-bulk-demo-6.csv"), "ph-ee-bulk-demo-6.csv"});
    REQUIRE(r6.status == 202);
    auto const id6 = batch_id_of(r6);
    auto s6 = co_await poll_summary(w, id6, finished);
    CHECK(s6.at("status") == "Failed");
    CHECK(s6.at("failed") == 5);
    CHECK(s6.at("failPercentage") == "100.0");
    CHECK(s6.at("failedAmount") == 852 + 278 + 898 + 987 + 777);
    auto d6 = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id6)).body).as_object();
    for(auto const& t : detail(d6))
    {
        CHECK(t.at("status") == "FAILED");
        CHECK(t.at("statusDetail") == "Payment mode not configured");
        auto const info = json::parse(t.at("errorInformation").as_string()).as_object();
        CHECK(info.at("errorInformation").as_object().at("errorCode") == "404");
    }

    // demo-5: slcb (not configured) and repeated request_ids: the repeats are duplicates.
    auto r5 = co_await upload(w, {reference_file("ph-ee-bulk-demo-5.csv"), "ph-ee-bulk-demo-5.csv"});
    REQUIRE(r5.status == 202);
    auto const id5 = batch_id_of(r5);
    auto s5 = co_await poll_summary(w, id5, finished);
    CHECK(s5.at("total") == 12);
    CHECK(s5.at("failed") == 12);
    auto d5 = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id5 + "&pageSize=20")).body).as_object();
    auto const rows5 = detail(d5);
    REQUIRE(rows5.size() == 12);
    CHECK(rows5[0].at("statusDetail") == "Payment mode not configured");
    CHECK(rows5[1].at("statusDetail") == "Payment mode not configured");
    for(std::size_t i = 2; i < rows5.size(); ++i)
        CHECK(rows5[i].at("statusDetail") == "Duplicate transaction");
}

net::awaitable<void> configured_mode(hub_world& w)
{
    auto r6 = co_await upload(w, {reference_file("ph-ee-bulk-demo-6.csv"), "ph-ee-bulk-demo-6.csv"});
    REQUIRE(r6.status == 202);
    auto s6 = co_await poll_summary(w, batch_id_of(r6), finished);
    CHECK(s6.at("status") == "COMPLETED");
    CHECK(s6.at("successful") == 5);
}

net::awaitable<void> refused_uploads(hub_world& w, std::string const& good)
{
    auto batches = [&]() { return w.hub->store().size(); };

    struct refused
    {
        std::string what;
        upload_spec spec;
        unsigned status;
        std::string body; ///< empty: Spring's error body, checked by field
    };
    std::string big = header;
    while(big.size() <= 2000)
        big += row(static_cast<int>(big.size()), "0495822412");

    std::vector<refused> cases{
        {"missing Platform-TenantId", [&] { upload_spec s{good}; s.drop_headers = {"Platform-TenantId"}; return s; }(), 400, ""},
        {"missing X-CorrelationID", [&] { upload_spec s{good}; s.drop_headers = {"X-CorrelationID"}; return s; }(), 400, ""},
        {"missing Purpose", [&] { upload_spec s{good}; s.drop_headers = {"Purpose"}; return s; }(), 400, ""},
        {"missing Type", [&] { upload_spec s{good}; s.drop_headers = {"Type"}; return s; }(), 400, ""},
        {"Type: type (OpenG2P's default)", [&] { upload_spec s{good}; s.type = "type"; return s; }(), 400,
         std::string(hub::phee_body::file_not_uploaded)},
        {"Type: raw on a multipart body", [&] { upload_spec s{good}; s.type = "raw"; return s; }(), 400,
         std::string(hub::phee_body::file_not_uploaded)},
        {"Type: csv on a JSON body", [&] { upload_spec s{good}; s.raw_body = "[]"; return s; }(), 400,
         std::string(hub::phee_body::file_not_uploaded)},
        {"empty filename", [&] { upload_spec s{good}; s.filename = ""; return s; }(), 400,
         std::string(hub::phee_body::file_not_uploaded)},
        {"not a .csv file", [&] { upload_spec s{good}; s.filename = "payments.xlsx"; return s; }(), 400,
         std::string(hub::phee_body::broken_file)},
        {"file over csv.size", [&] { upload_spec s{big}; return s; }(), 400, std::string(hub::phee_body::file_too_big)},
        {"unknown column (BD-006)",
         [&] { upload_spec s{"id,request_id,paymentmode,amount\r\n0,a,MOJALOOP,1\r\n"}; return s; }(), 400,
         std::string(hub::phee_body::invalid_file_structure)},
    };
    for(auto const& c : cases)
    {
        INFO(c.what);
        auto res = co_await upload(w, c.spec);
        CHECK(res.status == c.status);
        if(c.body.empty())
        {
            auto const o = json::parse(res.body).as_object();
            CHECK(o.at("status") == 400);
            CHECK(o.at("error") == "Bad Request");
            CHECK(o.at("path") == "/batchtransactions");
            CHECK(o.contains("timestamp"));
        }
        else
            CHECK(res.body == c.body);
        CHECK(batches() == 0);
    }

    // Malformed multipart, and a body without the part `data`.
    for(auto const& body : {std::string("--5e1c9f0a7b3d4e21\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nid"),
                            std::string("--5e1c9f0a7b3d4e21\r\nContent-Disposition: form-data; name=\"file\"; "
                                        "filename=\"a.csv\"\r\n\r\nid\r\n--5e1c9f0a7b3d4e21--\r\n")})
    {
        net::request req;
        req.method = net::method::post;
        req.fields.set("Platform-TenantId", "greenbank");
        req.fields.set("Type", "csv");
        req.fields.set("Purpose", "x");
        req.fields.set("filename", "a.csv");
        req.fields.set("X-CorrelationID", "c");
        req.fields.set("Content-Type", "multipart/form-data; boundary=5e1c9f0a7b3d4e21");
        req.body = body;
        auto res = co_await w.client.send(w.hub->bulk_url() + "/batchtransactions", std::move(req), 10s);
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(res->body == hub::phee_body::file_not_uploaded);
    }

    // A body over the listener's limit is Spring's upload-size exception.
    {
        net::request req;
        req.method = net::method::post;
        req.fields.set("Platform-TenantId", "greenbank");
        req.fields.set("Type", "csv");
        req.fields.set("Content-Type", "multipart/form-data; boundary=x");
        req.body = std::string(w.hub->config().body_limit() + 10, 'x');
        auto res = co_await w.client.send(w.hub->bulk_url() + "/batchtransactions", std::move(req), 10s);
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(res->body == hub::phee_body::file_not_uploaded);
    }

    // A tenant with no workflow cannot start one.
    upload_spec other{good};
    other.tenant = "bluebank";
    auto res = co_await upload(w, other);
    CHECK(res.status == 500);
    auto const o = json::parse(res.body).as_object();
    CHECK(o.at("errorCode") == 500);
    CHECK(o.at("errorDescription") == "Unable to start zeebe workflow");

    CHECK(batches() == 0);
    auto list = json::parse((co_await ops_get(w, "/api/v1/batches")).body).as_object();
    CHECK(list.at("totalBatches") == 0);

    // The same hub still takes a good upload.
    auto ok = co_await upload(w, {good});
    CHECK(ok.status == 202);
    CHECK(batches() == 1);
}

net::awaitable<void> rejected_payments(hub_world& w, std::string const& csv)
{
    auto res = co_await upload(w, {csv});
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished);
    CHECK(s.at("status") == "Failed");
    CHECK(s.at("successful") == 2);
    CHECK(s.at("failed") == 2);
    CHECK(s.at("successfulAmount") == 100);
    CHECK(s.at("failedAmount") == 100);
    CHECK(s.at("successPercentage") == "50.0");

    auto failed = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&status=FAILED")).body).as_object();
    std::map<std::string, std::pair<std::string, std::string>> errors;
    for(auto const& t : detail(failed))
    {
        CHECK(t.at("status") == "FAILED");
        auto const info = json::parse(t.at("errorInformation").as_string()).as_object().at("errorInformation").as_object();
        errors[std::string(t.at("payeePartyId").as_string())] = {std::string(info.at("errorCode").as_string()),
                                                                std::string(info.at("errorDescription").as_string())};
    }
    CHECK(errors["0424942603"] == std::make_pair(std::string("5101"), std::string("Payee transaction limit reached")));
    CHECK(errors["0431177009"] == std::make_pair(std::string("3204"), std::string("Party not found")));
    auto ok = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id + "&status=COMPLETED")).body).as_object();
    CHECK(ok.at("totalElements") == 2);

    auto txns = json::parse((co_await ops_get(w, "/api/v1/batch/transactions?batchId=" + id)).body).as_object();
    CHECK(txns.size() == 4);
}

// Four payments of which 0400000002 fails with `code` (and a description containing
// `description`), the rest complete.
net::awaitable<void> one_fails(hub_world& w, std::string const& csv, std::string code, std::string description)
{
    auto res = co_await upload(w, {csv});
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished);
    CHECK(s.at("successful") == 3);
    CHECK(s.at("failed") == 1);
    auto d = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id)).body).as_object();
    for(auto const& t : detail(d))
    {
        if(t.at("payeePartyId") == "0400000002")
        {
            CHECK(t.at("status") == "FAILED");
            auto const info = json::parse(t.at("errorInformation").as_string()).as_object().at("errorInformation");
            CHECK(info.at("errorCode").as_string() == code);
            CHECK(std::string(info.at("errorDescription").as_string()).find(description) != std::string::npos);
        }
        else
            CHECK(t.at("status") == "COMPLETED");
    }
}

net::awaitable<void> bounded_in_flight(hub_world& w, std::string const& csv)
{
    auto res = co_await upload(w, {csv});
    REQUIRE(res.status == 202);
    auto s = co_await poll_summary(w, batch_id_of(res), finished);
    CHECK(s.at("successful") == 24);
}

net::awaitable<void> callbacks_retried(hub_world& w, std::string const& csv, std::string& id)
{
    upload_spec spec{csv};
    spec.callback_url = w.callbacks.url();
    auto res = co_await upload(w, spec);
    REQUIRE(res.status == 202);
    id = batch_id_of(res);
    co_await poll_summary(w, id, finished);
    // 5 callbacks, the first tried 3 times (2 refusals).
    auto const deadline = std::chrono::steady_clock::now() + 10s;
    while(w.callbacks.bodies.size() < 7 && std::chrono::steady_clock::now() < deadline)
        co_await net::sleep_for(5ms);
}

net::awaitable<void> callbacks_given_up(hub_world& w, std::string const& csv)
{
    upload_spec spec{csv};
    spec.callback_url = w.callbacks.url();
    auto res = co_await upload(w, spec);
    REQUIRE(res.status == 202);
    auto s = co_await poll_summary(w, batch_id_of(res), finished);
    CHECK(s.at("status") == "COMPLETED");
    // The hub has given up once no batch has a callback sender left: a 7th try cannot follow.
    auto const given_up = co_await eventually([&] { return w.hub->callback_senders() == 0; });
    CHECK(given_up);
}

net::awaitable<void> operations_api(hub_world& w, std::string const& csv)
{
    auto res = co_await upload(w, {csv});
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);

    // Without a token: 401; with a bad client: 401; with PH-EE's default client: a token.
    auto denied = co_await ops_get(w, "/api/v1/batch/" + id);
    CHECK(denied.status == 401);
    net::request bad;
    bad.method = net::method::post;
    bad.fields.set("Authorization", "Basic d3Jvbmc6");
    auto bad_res = co_await w.client.send(w.hub->ops_url() + "/oauth/token?username=mifos&password=password&grant_type=password", std::move(bad), 5s);
    REQUIRE(bad_res);
    CHECK(bad_res->status == 401);
    net::request wrong_pw;
    wrong_pw.method = net::method::post;
    wrong_pw.fields.set("Authorization", "Basic Y2xpZW50Og==");
    wrong_pw.fields.set("Platform-TenantId", "greenbank");
    auto wrong_res = co_await w.client.send(w.hub->ops_url() + "/oauth/token?username=mifos&password=nope&grant_type=password",
                                            std::move(wrong_pw), 5s);
    REQUIRE(wrong_res);
    CHECK(wrong_res->status == 400);
    CHECK(json::parse(wrong_res->body).as_object().at("error") == "invalid_grant");

    net::request tok;
    tok.method = net::method::post;
    tok.fields.set("Authorization", "Basic Y2xpZW50Og==");
    tok.fields.set("Platform-TenantId", "greenbank");
    tok.fields.set("Content-Type", "application/x-www-form-urlencoded");
    tok.body = "username=mifos&password=password&grant_type=password";
    auto token_res = co_await w.client.send(w.hub->ops_url() + "/oauth/token", std::move(tok), 5s);
    REQUIRE(token_res);
    REQUIRE(token_res->status == 200);
    auto const token = std::string(json::parse(token_res->body).as_object().at("access_token").as_string());
    CHECK(json::parse(token_res->body).as_object().at("token_type") == "bearer");

    auto get = [&](std::string target, std::string tenant) { return authed_get(w, token, std::move(target), std::move(tenant)); };

    // Poll with the token until done, checking the sums.
    auto const deadline = std::chrono::steady_clock::now() + 30s;
    json::object s;
    for(;;)
    {
        auto r = co_await get("/api/v1/batch/" + id, "greenbank");
        REQUIRE(r.status == 200);
        s = json::parse(r.body).as_object();
        REQUIRE(s.at("successful").as_int64() + s.at("failed").as_int64() + s.at("ongoing").as_int64() == 12);
        if(s.at("ongoing") == 0)
            break;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        co_await net::sleep_for(10ms);
    }
    CHECK(s.at("status") == "Failed");
    CHECK(s.at("failed") == 1);
    CHECK(s.at("notes") == "Invalid data in file data processing stopped");
    CHECK(s.at("successPercentage") == "91.66");

    // No tenant or an unknown one: PH-EE's filter fails, Spring answers 500 with its error
    // body (never an empty one). Another tenant sees nothing.
    for(std::string const tenant : {"", "bluebank"})
    {
        auto const answer = co_await get("/api/v1/batch/" + id, tenant);
        CHECK(answer.status == 500);
        REQUIRE(!answer.body.empty());
        auto const e = json::parse(answer.body).as_object();
        CHECK(e.at("status") == 500);
        CHECK(e.at("error") == "Internal Server Error");
        CHECK(e.at("path").as_string() == "/api/v1/batch/" + id);
    }
    auto q = co_await get("/api/v1/batch/" + id + "?tenantIdentifier=greenbank", "");
    CHECK(q.status == 200);

    auto missing = co_await get("/api/v1/batch/nope", "greenbank");
    CHECK(missing.status == 404);
    CHECK(missing.body == "Batch corresponding to batchId: nope does not exist.");

    auto stored = co_await get("/api/v1/batch?batchId=" + id, "greenbank");
    REQUIRE(stored.status == 200);
    auto so = json::parse(stored.body).as_object();
    CHECK(so.at("status") == "UNKNOWN");
    CHECK(so.at("successPercentage") == "91.66");
    CHECK(so.at("failPercentage") == "8.33");

    auto page = json::parse((co_await get("/api/v1/batch/detail?batchId=" + id + "&pageNo=1&pageSize=5", "greenbank")).body).as_object();
    CHECK(page.at("totalElements") == 12);
    CHECK(page.at("totalPages") == 3);
    CHECK(page.at("number") == 1);
    CHECK(page.at("content").as_array().size() == 5);
    CHECK(page.at("content").as_array()[0].at("clientCorrelationId") == "req-5");
    {
        auto const answer = co_await get("/api/v1/batch/detail?batchId=" + id + "&pageSize=0", "greenbank");
        CHECK(answer.status == 500);
    }
    {
        auto const answer = co_await get("/api/v1/batch/detail?batchId=" + id + "&pageNo=x", "greenbank");
        CHECK(answer.status == 400);
    }
    {
        auto const answer = co_await get("/api/v1/batch/detail", "greenbank");
        CHECK(answer.status == 400);
    }
    auto nothing = json::parse((co_await get("/api/v1/batch/detail?batchId=nope", "greenbank")).body).as_object();
    CHECK(nothing.at("totalElements") == 0);

    auto dl = co_await get("/api/v1/batch/detail?batchId=" + id + "&command=download", "greenbank");
    CHECK(dl.status == 302);
    auto const location = std::string(dl.fields.value_or("Location"));
    CHECK(location == std::string(s.at("file").as_string()));
    net::request file_req;
    file_req.method = net::method::get;
    auto file = co_await w.client.send(location, std::move(file_req), 5s);
    REQUIRE(file);
    CHECK(file->status == 200);
    CHECK(std::count(file->body.begin(), file->body.end(), '\n') == 12);

    auto list = json::parse((co_await get("/api/v1/batches?limit=5&offset=0", "greenbank")).body).as_object();
    CHECK(list.at("totalBatches") == 1);
    CHECK(list.at("totalTransactions") == 12);
    CHECK(list.at("data").as_array()[0].as_object().at("batchId").as_string() == id);
    auto filtered = json::parse((co_await get("/api/v1/batches?batchId=other", "greenbank")).body).as_object();
    CHECK(filtered.at("totalBatches") == 0);
    {
        auto const answer = co_await get("/api/v1/batches?sort=-color", "greenbank");
        CHECK(answer.status == 400);
    }
    {
        auto const answer = co_await get("/api/v1/batches?dateFrom=yesterday", "greenbank");
        CHECK(answer.status == 400);
    }

    auto unknown_path = co_await get("/api/v1/nothing", "greenbank");
    CHECK(unknown_path.status == 404);
    CHECK(json::parse(unknown_path.body).as_object().at("error") == "Not Found");
}

net::awaitable<void> raw_upload(hub_world& w)
{
    upload_spec spec;
    spec.type = "raw";
    spec.drop_headers = {"filename"};
    spec.raw_body = R"([{"requestId":"raw-1","creditParty":[{"key":"MSISDN","value":"0495822412"}],
                         "debitParty":[{"key":"MSISDN","value":"0413356886"}],"paymentMode":"MOJALOOP",
                         "amount":"10","currency":"USD","descriptionText":"raw"}])";
    auto res = co_await upload(w, spec);
    REQUIRE(res.status == 202);
    auto const id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished);
    CHECK(s.at("status") == "COMPLETED");
    CHECK(s.at("total") == 1);
    CHECK(s.at("total") == s.at("successful"));
    auto d = json::parse((co_await ops_get(w, "/api/v1/batch/detail?batchId=" + id)).body).as_object();
    CHECK(detail(d)[0].at("clientCorrelationId") == "raw-1");
}

net::awaitable<void> ten_thousand(hub_world& w, std::string const& csv, int rejected, int& polls, std::chrono::steady_clock::duration& accept_time, std::string& id)
{
    auto const u0 = std::chrono::steady_clock::now();
    auto res = co_await upload(w, {csv});
    accept_time = std::chrono::steady_clock::now() - u0;
    REQUIRE(res.status == 202);
    id = batch_id_of(res);
    auto s = co_await poll_summary(w, id, finished, 300s, &polls);
    CHECK(s.at("total") == 10'000);
    CHECK(s.at("failed") == rejected);
    CHECK(s.at("successful") == 10'000 - rejected);
    CHECK(s.at("totalAmount") == 312'500); // 5,000 x 50 + 5,000 x 12.5
}

} // namespace

TEST_CASE("OpenG2P's reconstructed upload is accepted at once and paid", "[hub][integration]")
{
    hub_world w;
    auto const csv = reference_file("openg2p-phee-batch-reconstructed.csv");
    w.run(openg2p_upload(w, csv));

    // What reached the connector: one POST /transfers per row, MSISDN ids, canonical amounts.
    REQUIRE(w.connector.bad_requests.empty());
    REQUIRE(w.connector.received.size() == 3);
    for(auto const& r : w.connector.received)
    {
        CHECK(r.from.id_type == connector::party_id_type::msisdn);
        CHECK(r.from.id_value == "0413356886");
        CHECK(r.from.fsp_id == "dfsp1");
        CHECK(r.to.id_type == connector::party_id_type::msisdn);
        CHECK(r.amount_type == connector::amount_type::receive);
        CHECK(r.amount.to_string() == "50");
        CHECK(r.currency == "USD");
    }
    std::set<std::string> notes;
    for(auto const& r : w.connector.received)
        notes.insert(r.note.value_or(""));
    CHECK(notes.count("Program: Food, Shelter. Cycle ID - Cycle 1") == 1);
}

TEST_CASE("OpenG2P's default Type: type is refused when strict and accepted when lenient", "[hub][integration]")
{
    auto const csv = reference_file("openg2p-phee-batch-reconstructed.csv");
    {
        hub_world strict;
        strict.run(strict_type(strict, csv));
        CHECK(strict.hub->store().size() == 0);
    }
    hub::hub_config cfg;
    cfg.lenient_type = true;
    cfg.bulk_paths = {"/batchtransactions", "/bulk/transfer"};
    hub_world lenient(cfg);
    lenient.run(lenient_type(lenient, csv));
}

TEST_CASE("PH-EE's demo CSVs: mojaloop rows paid, other modes not configured", "[hub][integration]")
{
    hub_world w;
    w.run(demo_csvs(w));
    CHECK(w.connector.received.size() == 5);
    CHECK(w.connector.bad_requests.empty());
}

TEST_CASE("a configured payment mode pays PH-EE's gsma demo", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.payment_modes.emplace_back("gsma", connector::party_id_type::msisdn);
    hub_world w(cfg);
    w.run(configured_mode(w));
}

TEST_CASE("every 400 of the upload has PH-EE's exact body and leaves the store unchanged", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.max_file_bytes = 2000;
    hub_world w(cfg);
    std::string const good = header + row(0, "0495822412");
    w.run(refused_uploads(w, good));
    CHECK(w.connector.received.size() <= 1);
}

TEST_CASE("rejected payments end FAILED with their FSPIOP code, the rest COMPLETED", "[hub][integration]")
{
    hub_world w;
    w.connector.rules["0424942603"] = payee_rule{payee_rule::kind::reject, "5101", "Payee transaction limit reached", 0};
    w.connector.rules["0431177009"] = payee_rule{payee_rule::kind::reject_200, "3204", "Party not found", 0};
    std::string const csv = header + row(0, "0495822412") + row(1, "0424942603") + row(2, "0431177009") + row(3, "0400000004");
    w.run(rejected_payments(w, csv));
    // Definite rejections are not retried.
    CHECK(w.connector.posts_by_payee["0424942603"] == 1);
    CHECK(w.connector.posts_by_payee["0431177009"] == 1);
}

TEST_CASE("PH-EE's retry rule: re-send before the quote, ask after it, accept when asked", "[hub][integration]")
{
    hub_world w;
    w.connector.rules["0400000001"] = payee_rule{payee_rule::kind::timeout_then_pay, {}, {}, 2};
    w.connector.rules["0400000002"] = payee_rule{payee_rule::kind::timeout_then_pay, {}, {}, 5};
    w.connector.rules["0400000003"] = payee_rule{payee_rule::kind::timeout_after_quote, {}, {}, 0};
    w.connector.rules["0400000004"] = payee_rule{payee_rule::kind::manual, {}, {}, 0};
    std::string const csv = header + row(1, "0400000001") + row(2, "0400000002") + row(3, "0400000003") + row(4, "0400000004");
    w.run(one_fails(w, csv, "2004", "timed out"));
    CHECK(w.connector.posts_by_payee["0400000001"] == 3); // 2 timeouts, then paid
    CHECK(w.connector.posts_by_payee["0400000002"] == 3); // 3 tries, then given up
    CHECK(w.connector.posts_by_payee["0400000003"] == 1); // never re-sent after the quote...
    CHECK(w.connector.gets >= 1);                         // ...but asked about
    CHECK(w.connector.posts_by_payee["0400000004"] == 1);
    CHECK(w.connector.puts == std::vector<std::string>{R"({"acceptParty":true})", R"({"acceptQuote":true})"});
}

TEST_CASE("a connector POST whose answer is lost is never sent again, a lost PUT answer is asked about",
          "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.max_in_flight = 1; // one after another: the lost answers come on kept-alive connections
    hub_world w(cfg);
    w.connector.rules["0400000002"] = payee_rule{payee_rule::kind::drop, {}, {}, 0};
    w.connector.rules["0400000003"] = payee_rule{payee_rule::kind::manual_drop_put, {}, {}, 0};
    std::string const csv = header + row(1, "0400000001") + row(2, "0400000002") + row(3, "0400000003") + row(4, "0400000004");
    // No transfer id to ask about: filed as a communication failure, not paid again.
    w.run(one_fails(w, csv, "1001", "outcome unknown"));
    CHECK(w.connector.posts_by_payee["0400000001"] == 1);
    CHECK(w.connector.posts_by_payee["0400000002"] == 1); // taken once, whatever became of it
    CHECK(w.connector.posts_by_payee["0400000003"] == 1);
    CHECK(w.connector.posts_by_payee["0400000004"] == 1);
    CHECK(w.connector.puts == std::vector<std::string>{R"({"acceptParty":true})"}); // not re-sent...
    CHECK(w.connector.gets == 1);                                                  // ...asked about
}

TEST_CASE("no more payments in flight than configured", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.max_in_flight = 4;
    hub_world w(cfg);
    w.connector.delay = 20ms;
    std::string csv = header;
    for(int i = 0; i < 24; ++i)
        csv += row(i, "04000000" + std::to_string(10 + i));
    w.run(bounded_in_flight(w, csv));
    CHECK(w.connector.max_in_flight <= 4);
    CHECK(w.connector.max_in_flight >= 2);
}

TEST_CASE("progress callbacks at 20/40/60/80/100 % with PH-EE's body, retried", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.max_in_flight = 1; // rows settle one at a time: each crosses one phase
    hub_world w(cfg);
    w.callbacks.fail_first = 2;
    std::string csv = header;
    for(int i = 0; i < 5; ++i)
        csv += row(i, "0400000" + std::to_string(100 + i));
    std::string id;
    w.run(callbacks_retried(w, csv, id));
    REQUIRE(w.callbacks.bodies.size() == 7);
    std::vector<std::string> messages;
    for(auto const& b : w.callbacks.bodies)
    {
        auto const o = json::parse(b).as_object();
        CHECK(o.at("batchId").as_string() == id);
        CHECK(o.at("clientCorrelationId") == "6b7f3a52-1c8e-4b8b-9d4e-3f1f0a9c2d10");
        messages.emplace_back(o.at("message").as_string());
    }
    std::string const p = "The Batch Aggregation API was complete with : ";
    CHECK(messages == std::vector<std::string>{p + "20", p + "20", p + "20", p + "40", p + "60", p + "80", p + "100"});
}

TEST_CASE("a callback URL that always fails gets 3 tries per phase and nothing else breaks", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.max_in_flight = 1;
    hub_world w(cfg);
    w.callbacks.always_fail = true;
    std::string const csv = header + row(0, "0400000200") + row(1, "0400000201");
    w.run(callbacks_given_up(w, csv));
    // Two rows: rates 50 (phases 20, 40) and 100 (60, 80, 100): two callbacks, 3 tries each.
    CHECK(w.callbacks.bodies.size() == 6);
}

TEST_CASE("the operations API: tenants, token, summaries, lists, paging and the result file", "[hub][integration]")
{
    hub::hub_config cfg;
    cfg.require_auth = true;
    hub_world w(cfg);
    std::string csv = header;
    for(int i = 0; i < 12; ++i)
        csv += row(i, "0400000" + std::to_string(300 + i), i == 3 ? "ten" : "10");
    w.run(operations_api(w, csv));
}

TEST_CASE("Type: raw JSON arrays are paid like CSV rows (BD-012)", "[hub][integration]")
{
    hub_world w;
    w.run(raw_upload(w));
}

TEST_CASE("a 10,000-row batch completes, adding up at every poll, with small rows", "[hub][integration][load]")
{
    hub::hub_config cfg;
    cfg.max_in_flight = 16;
    hub_world w(cfg);
    // Every 100th payee is rejected by the payee DFSP.
    std::string csv = header;
    csv.reserve(10'000 * 120);
    int rejected = 0;
    for(int i = 0; i < 10'000; ++i)
    {
        auto const payee = "04" + std::to_string(10'000'000 + i);
        if(i % 100 == 7)
        {
            w.connector.rules[payee] = payee_rule{payee_rule::kind::reject, "5101", "Payee transaction limit reached", 0};
            ++rejected;
        }
        csv += row(i, payee, i % 2 ? "50.0" : "12.5");
    }
    int polls = 0;
    std::chrono::steady_clock::duration accept_time{};
    auto const t0 = std::chrono::steady_clock::now();
    std::string id;
    w.run(ten_thousand(w, csv, rejected, polls, accept_time, id));
    auto const elapsed = std::chrono::steady_clock::now() - t0;
    auto const* b = w.hub->store().find("greenbank", id);
    REQUIRE(b != nullptr);
    // Shared values are stored once per batch, not once per row.
    CHECK(b->strings.size() < 64);
    CHECK(sizeof(hub::payment_row) <= 192);
    std::size_t heap = 0;
    for(auto const& r : b->rows)
        heap += (r.request_id.capacity() > 15 ? r.request_id.capacity() + 1 : 0)
              + (r.payee_identifier.capacity() > 15 ? r.payee_identifier.capacity() + 1 : 0)
              + (r.transaction_id.capacity() > 15 ? r.transaction_id.capacity() + 1 : 0);
    auto const per_row = (b->rows.capacity() * sizeof(hub::payment_row) + heap) / b->rows.size();
    CHECK(per_row < 256);
    WARN("10,000 rows: 202 in " << std::chrono::duration_cast<std::chrono::milliseconds>(accept_time).count()
         << " ms, done in " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms, "
         << polls << " polls, ~" << per_row << " bytes per row");
    CHECK(w.connector.received.size() == 10'000);
}

TEST_CASE("hub: destroyed while its io_context runs, with payments held at the connector", "[hub][lifetime]")
{
    // Whatever runs for the hub holds its state (docs/engineering.md, "Lifetime"): the
    // payments in flight end on it, and it is gone once the io_context has run out of work.
    hub_world w;
    std::weak_ptr<void const> const state = w.hub->lifetime();
    std::exception_ptr failure;
    bool finished = false;
    // A named lambda: the coroutine reads its captures through the closure, which must outlive it.
    auto const traffic = [&]() -> net::awaitable<void> {
        w.connector.hold = true;
        auto res = co_await upload(w, {header + row(0, "0400000001") + row(1, "0400000002") + row(2, "0400000003")});
        REQUIRE(res.status == 202);
        REQUIRE(co_await eventually([&] { return w.connector.held == 3; }));
        auto const bulk = w.hub->bulk_port();
        w.hub.reset();
        CHECK_FALSE(state.expired());
        // The listener is closed once the stop has run (it was queued before this request).
        net::request get;
        get.method = net::method::get;
        get.target = "/health";
        auto again = co_await w.client.send("http://127.0.0.1:" + std::to_string(bulk) + "/health", std::move(get));
        CHECK_FALSE(again);
        // The connector answers: the payments end on the state they hold.
        w.connector.release();
        w.connector.stop();
        w.callbacks.stop();
        w.client.close();
        finished = true;
    };
    asio::co_spawn(w.client_strand, traffic(), [&](std::exception_ptr e) { failure = e; });
    // No ioc.stop(): the io_context must run out of work by itself once everything has ended.
    w.ioc.run_for(60s);
    if(failure)
        std::rethrow_exception(failure);
    REQUIRE(finished);
    CHECK(w.ioc.stopped());
    CHECK(state.expired());
    CHECK(w.connector.received.size() == 3);
}
