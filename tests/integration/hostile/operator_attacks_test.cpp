// Hostile operators and uploaders: the Admin API at its extremes (amounts, limits, names,
// ids that do not fit) and hostile CSV uploads to the Payment Hub. Every refusal is the API's
// own error and leaves the state as it was; what is accepted pays exactly its valid rows.
#include "tests/integration/hostile/hostile_world.hpp"

using namespace mojasim;
using namespace mojasim::test;

namespace {

std::string const json_type = "application/json";

http_reply admin(hostile_world& h, std::string_view method, std::string const& path, std::string const& body = {})
{
    std::vector<std::pair<std::string, std::string>> f;
    if(method != "GET")
        f.emplace_back("Content-Type", json_type);
    return roundtrip(h.port(api::admin), http_text(method, path, f, body));
}

/// Everything an operator can read about the participants and their money.
std::string admin_state(hostile_world& h)
{
    std::string s = admin(h, "GET", "/participants").body;
    for(auto const* p : {"dfsp1", "dfsp2"})
    {
        s += admin(h, "GET", std::string("/participants/") + p + "/accounts").body;
        s += admin(h, "GET", std::string("/participants/") + p + "/limits").body;
        s += admin(h, "GET", std::string("/participants/") + p + "/positions").body;
    }
    s += admin(h, "GET", "/settlementWindows?state=OPEN").body;
    return s;
}

std::string settlement_account(hostile_world& h, std::string const& fsp)
{
    auto const list = json::parse(admin(h, "GET", "/participants/" + fsp + "/accounts").body).as_array();
    for(auto const& a : list)
        if(a.as_object().at("ledgerAccountType").as_string() == "SETTLEMENT")
            return json::serialize(a.as_object().at("id"));
    FAIL("no settlement account");
    return {};
}

std::string funds_body(std::string const& transfer_id, std::string const& amount_json, std::string const& currency = "\"USD\"",
                       std::string const& action = "recordFundsIn")
{
    return R"({"transferId":")" + transfer_id + R"(","externalReference":"hostile","action":")" + action +
           R"(","reason":"test","amount":{"amount":)" + amount_json + R"(,"currency":)" + currency + "}}";
}

/// A refusal of the Admin API: 4xx with an FSPIOP errorInformation, or central-ledger's own
/// 500 + 2001 for what it raises as internal errors (an unknown participant, an account of
/// another participant or currency: docs/switch.md).
void check_admin_refusal(http_reply const& r, std::string const& what)
{
    INFO(what + "\n" + r.head + "\n" + r.body);
    CHECK(r.status >= 400);
    auto const code = fspiop_code(r);
    CHECK(!code.empty());
    if(r.status >= 500)
        CHECK((r.status == 500 && code == "2001"));
}

std::string multipart(std::string const& boundary, std::string const& filename, std::string const& csv)
{
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"" + filename + "\"\r\n\r\n" +
           csv + "\r\n--" + boundary + "--\r\n";
}

std::string const csv_head =
    "id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,payee_identifier,amount,"
    "currency,note\n";

std::string row(int id, std::string const& request_id, std::string const& payee, std::string const& amount,
                std::string const& mode = "mojaloop")
{
    return std::to_string(id) + "," + request_id + "," + mode + ",MSISDN,0413356886,MSISDN," + payee + "," + amount +
           ",USD,hostile\n";
}

struct upload
{
    std::string body;
    std::string content_type = "multipart/form-data; boundary=hostileboundary";
    std::string type = "csv";
    std::string tenant = "greenbank";
    std::string filename = "hostile.csv";
};

http_reply send_upload(hostile_world& h, upload const& u)
{
    std::vector<std::pair<std::string, std::string>> f{{"Content-Type", u.content_type},
                                                       {"Purpose", "hostile"},
                                                       {"X-CorrelationID", h.ids.uuid_v4()},
                                                       {"filename", u.filename}};
    if(!u.type.empty())
        f.emplace_back("Type", u.type);
    if(!u.tenant.empty())
        f.emplace_back("Platform-TenantId", u.tenant);
    return roundtrip(h.port(api::hub_bulk), http_text("POST", "/batchtransactions", f, u.body));
}

upload csv_upload(std::string const& csv, std::string const& filename = "hostile.csv")
{
    upload u;
    u.filename = filename;
    u.body = multipart("hostileboundary", filename, csv);
    return u;
}

/// The batch id of an accepted upload (the last segment of its PollingPath).
std::string batch_id(http_reply const& r)
{
    auto const path = json_at(r.body, {"PollingPath"});
    return path.substr(path.rfind('/') + 1);
}

/// Wait until the batch has no payment ongoing; its summary.
json::object finished_batch(hostile_world& h, std::string const& id)
{
    json::object last;
    bool const done = eventually([&] {
        auto const r = roundtrip(h.port(api::hub_ops),
                                http_text("GET", "/api/v1/batch/" + id, {{"Platform-TenantId", "greenbank"}}));
        if(r.status != 200)
            return false;
        last = json::parse(r.body).as_object();
        return last.at("ongoing").as_int64() == 0;
    }, 30s);
    INFO(json::serialize(last));
    REQUIRE(done);
    return last;
}

} // namespace

TEST_CASE("hostile: Admin API extremes", "[hostile]")
{
    hostile_world h;
    auto const account = settlement_account(h, "dfsp1");
    auto const funds = "/participants/dfsp1/accounts/" + account;
    auto const before = admin_state(h);

    std::vector<std::pair<std::string, http_reply>> refused;
    auto attempt = [&](std::string_view method, std::string const& path, std::string const& body) {
        refused.emplace_back(std::string(method) + " " + path + " " + body, admin(h, method, path, body));
    };
    // Amounts that are not positive amounts with at most 4 decimals, or do not fit.
    for(std::string const amount : {R"("0")", R"("-1")", R"("1.00001")", R"("abc")", R"("1e5")", R"("")", "null",
                                    R"("99999999999999999999999999")", R"("922337203685477.5808")", R"("NaN")",
                                    R"("Infinity")", R"(" 1")", R"("0x10")", "[]", "{}"})
        attempt("POST", funds, funds_body(h.ids.uuid_v4(), amount));
    attempt("POST", funds, funds_body(h.ids.uuid_v4(), R"("1")", R"("XXX")"));
    attempt("POST", funds, funds_body(h.ids.uuid_v4(), R"("1")", R"("usd")"));
    attempt("POST", funds, funds_body(h.ids.uuid_v4(), R"("1")", "12"));
    attempt("POST", funds, funds_body("not-a-guid", R"("1")"));
    attempt("POST", funds, funds_body(h.ids.uuid_v4(), R"("1")", R"("USD")", "recordFundsOutEverything"));
    attempt("POST", "/participants/dfsp1/accounts/999999999999999999999", funds_body(h.ids.uuid_v4(), R"("1")"));
    attempt("POST", "/participants/dfsp1/accounts/-1", funds_body(h.ids.uuid_v4(), R"("1")"));
    attempt("POST", "/participants/nobody/accounts/" + account, funds_body(h.ids.uuid_v4(), R"("1")"));
    // Limits.
    for(std::string const value : {"-1", R"("abc")", "1e400", "99999999999999999999999999", "null", "[]", "0.00001"})
        attempt("PUT", "/participants/dfsp1/limits",
                R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":)" + value + R"(,"alarmPercentage":10}})");
    attempt("PUT", "/participants/dfsp1/limits", R"({"currency":"USD","limit":{"type":"NOT_A_CAP","value":1,"alarmPercentage":10}})");
    attempt("PUT", "/participants/nobody/limits", R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":1,"alarmPercentage":10}})");
    // Participants: names and currencies out of range, a duplicate.
    for(std::string const& name : std::vector<std::string>{R"("")", R"("a")", "\"" + std::string(300, 'n') + "\"", "null",
                                                          R"("dfsp1")", R"("Hub")"})
        attempt("POST", "/participants", R"({"name":)" + name + R"(,"currency":"USD"})");
    attempt("POST", "/participants", R"({"name":"newbank","currency":"DOLLARS"})");
    attempt("PUT", "/participants/dfsp1", R"({"isActive":"maybe"})");
    // Settlement windows and settlements by ids that do not exist or do not fit.
    attempt("POST", "/settlementWindows/99999999999999999999999", R"({"state":"CLOSED","reason":"x"})");
    attempt("POST", "/settlementWindows/-5", R"({"state":"CLOSED","reason":"x"})");
    attempt("POST", "/settlementWindows/1", R"({"state":"OPEN","reason":"x"})");
    attempt("PUT", "/settlements/18446744073709551616", R"({"participants":[]})");
    attempt("POST", "/settlements", R"({"settlementModel":"NOPE","reason":"x","settlementWindows":[{"id":1}]})");
    attempt("POST", "/settlements", R"({"settlementModel":"DEFERREDNET","reason":"x","settlementWindows":[{"id":-1}]})");

    for(auto const& [what, r] : refused)
        check_admin_refusal(r, what);
    // Nothing an operator can see changed.
    CHECK(admin_state(h) == before);
    h.require_intact();
}

TEST_CASE("hostile: Admin API funds in that would overflow are refused", "[hostile]")
{
    hostile_world h;
    auto const funds = "/participants/dfsp1/accounts/" + settlement_account(h, "dfsp1");
    auto const first = admin(h, "POST", funds, funds_body(h.ids.uuid_v4(), R"("900000000000000")"));
    CHECK(first.status == 202);
    auto const before = admin_state(h);
    auto const second = admin(h, "POST", funds, funds_body(h.ids.uuid_v4(), R"("900000000000000")"));
    check_admin_refusal(second, "the second funds in");
    CHECK(second.status == 400);
    CHECK(admin_state(h) == before);
    h.require_intact();
}

TEST_CASE("hostile: hostile CSV uploads", "[hostile]")
{
    hostile_world h;
    auto const paid_before = h.world().balance("dfsp2", "0495000004").value_or(decimal{});

    // Refused outright: PH-EE's own error bodies.
    std::vector<std::pair<std::string, upload>> refusals;
    {
        upload u;
        u.body = "";
        refusals.emplace_back("an empty body", u);
        u.body = "--hostileboundary--\r\n";
        refusals.emplace_back("a multipart with no part", u);
        u.body = multipart("otherboundary", "hostile.csv", csv_head + row(1, "r1", "0495000004", "1"));
        refusals.emplace_back("the wrong boundary", u);
        u.content_type = "multipart/form-data";
        u.body = multipart("hostileboundary", "hostile.csv", csv_head);
        refusals.emplace_back("no boundary parameter", u);
        u.content_type = "multipart/form-data; boundary=" + std::string(5000, 'b');
        refusals.emplace_back("a 5000-byte boundary", u);
    }
    refusals.emplace_back("columns PH-EE does not know", csv_upload("evil,columns,here\n1,2,3\n"));
    refusals.emplace_back("binary garbage", csv_upload(std::string("\x00\x01\x02\xff\xfe\r\n\x00", 9)));
    refusals.emplace_back("an executable's name", csv_upload(csv_head + row(1, "r1", "0495000004", "1"), "payload.exe"));
    {
        auto u = csv_upload(csv_head + row(1, "r1", "0495000004", "1"));
        u.tenant = "";
        refusals.emplace_back("no tenant", u);
        u.tenant = "greenbank";
        u.type = "";
        refusals.emplace_back("no Type", u);
    }
    // A tenant without a workflow: PH-EE's 500 with a JSON body (docs/payment-hub.md).
    {
        auto u = csv_upload(csv_head + row(1, "r1", "0495000004", "1"));
        u.tenant = "../../etc/passwd";
        auto const r = send_upload(h, u);
        INFO(r.body);
        CHECK(r.status == 500);
        CHECK(json::parse(r.body).is_object());
    }
    for(auto const& [what, u] : refusals)
    {
        auto const r = send_upload(h, u);
        INFO(what + ": " + r.head + "\n" + r.body);
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
        auto const o = json::parse(r.body); // PH-EE's bodies are JSON, whatever the fault
        CHECK(o.is_object());
    }

    // Accepted files with hostile rows: only the valid rows pay (1 + 2 + 3 USD), once each.
    std::string csv = csv_head;
    int id = 0;
    csv += row(++id, "ok-1", "0495000004", "1");
    csv += row(++id, "ok-2", "0495000004", "2");
    csv += row(++id, "ok-3", "0495000004", "3");
    csv += row(++id, "ok-1", "0495000004", "1"); // a duplicate request_id
    for(std::string const amount : {"-5", "0", "abc", "1e9", "1.00001", "99999999999999999999", "NaN", "\"1,5\"",
                                    "922337203685477.5808", ""})
    {
        ++id;
        csv += row(id, "bad-" + std::to_string(id), "0495000004", amount);
    }
    csv += row(++id, "bad-payee", "04950000045", "1");
    csv += row(++id, "bad-type", "0495000004'; DROP TABLE", "1");
    csv += row(++id, "bad-mode", "0495000004", "1", "carrier-pigeon");
    csv += "\"unterminated,quote,row\n";
    csv += std::to_string(++id) + ",too,few\n";
    csv += std::to_string(++id) + "," + std::string(20'000, 'x') + ",mojaloop,MSISDN,0413356886,MSISDN,0495000004,1,USD,long\n";
    std::vector<std::string> batches;
    {
        auto const r = send_upload(h, csv_upload(csv));
        INFO(r.head + "\n" + r.body);
        CHECK((r.status == 202 || r.status == 400));
        if(r.status == 202)
            batches.push_back(batch_id(r));
    }
    // Thousands of rows that all fail at once.
    {
        std::string many = csv_head;
        for(int i = 0; i < 3000; ++i)
            many += row(i, "many-" + std::to_string(i), "0495000004", "-1");
        auto const r = send_upload(h, csv_upload(many));
        INFO(r.head + "\n" + r.body);
        CHECK((r.status == 202 || r.status == 400));
        if(r.status == 202)
            batches.push_back(batch_id(r));
    }
    for(auto const& b : batches)
    {
        auto const summary = finished_batch(h, b);
        INFO(json::serialize(summary));
        CHECK(summary.at("successful").as_int64() <= 3);
    }
    h.require_conserved();
    auto const paid = minus(h.world().balance("dfsp2", "0495000004").value_or(decimal{}), paid_before);
    INFO(paid.to_string());
    // The first file pays its three valid rows (or is refused whole); nothing else pays.
    CHECK((paid == dec("6") || paid == dec("0")));
    h.require_intact();
}
