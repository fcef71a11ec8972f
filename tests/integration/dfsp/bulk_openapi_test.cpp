// Issue 17: every FSPIOP body the bulk path sends is valid against the v1.1 OpenAPI file in
// spec/. Three bulk transactions through DFSP1's connector, the real switch and DFSP2, with
// the trace hook on all three actors:
//  - a mixed bulk: a happy item, an unknown party (PUT /parties/.../error), an item DFSP2
//    refuses to quote and one it refuses to transfer (errorInformation per item in
//    PUT /bulkQuotes and PUT /bulkTransfers, on both legs);
//  - a bulk DFSP2 refuses to quote as a whole (PUT /bulkQuotes/{ID}/error);
//  - a bulk DFSP2 refuses to transfer as a whole (PUT /bulkTransfers/{ID}/error);
//  - a bulk with an item beyond the payer's net debit cap, refused by the switch (4001);
// and, in a second world, a bulk transfer DFSP2 never answers, which the switch expires
// itself (its own PUT /bulkTransfers/{ID} to the payer, 3303 per item).
// Each request an actor sent to another's FSPIOP API is mapped to its operation in the file's
// paths (path template and method) and its body validated against the operation's request
// body schema (and no property the schema does not name); error answers against
// ErrorInformationResponse. The test lists every invalid body with its errors, and requires
// each kind of message to have been seen.

// g++ 12's false -Wmaybe-uninitialized inside std::regex (tests/support/openapi_schema.hpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "tests/integration/dfsp/world.hpp"
#include "tests/support/openapi_schema.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

using namespace mojasim;
using namespace mojasim::test;
namespace json = boost::json;

namespace {

// What the trace hook saw, copied out of the event's views.
struct traced
{
    std::string actor;
    std::string peer;
    bool sent = false;
    bool request = false;
    net::method method = net::method::unknown;
    std::string target;
    unsigned status = 0;
    std::string body;
};

struct recorder
{
    std::mutex mutex;
    std::vector<traced> events;

    net::trace_sink sink()
    {
        return [this](net::trace_event const& e) {
            traced t{std::string(e.actor),
                     e.peer,
                     e.dir == net::trace_event::direction::sent,
                     e.type == net::trace_event::kind::request,
                     e.method,
                     std::string(e.target),
                     e.status,
                     std::string(e.body)};
            std::lock_guard const lock(mutex);
            events.push_back(std::move(t));
        };
    }

    /// Whether every bulk transfer the switch sent to the payee `payee` (actor name, and its
    /// host:port) has had the switch's closing PUT /bulkTransfers/{ID} too, but those the payee
    /// refused whole (PUT .../error: nothing to tell it). That notice leaves beside the payer's,
    /// so a test that has the payer's result waits for it before reading the trace.
    bool payee_told(std::string const& payee, std::string const& payee_at)
    {
        std::lock_guard const lock(mutex);
        std::size_t sent = 0;
        std::size_t refused = 0;
        std::size_t told = 0;
        for(auto const& e : events)
        {
            if(!e.sent || !e.request || !e.target.starts_with("/bulkTransfers"))
                continue;
            if(e.peer == payee_at)
            {
                sent += e.method == net::method::post ? 1U : 0U;
                // The closing notice, not an error answer to one of the payee's own PUTs.
                told += e.method == net::method::put && !e.target.ends_with("/error") ? 1U : 0U;
            }
            else if(e.actor == payee && e.method == net::method::put && e.target.ends_with("/error"))
                ++refused;
        }
        return sent > 0 && told + refused >= sent;
    }
};

std::string host_port(std::string const& url)
{
    auto const scheme = url.find("://");
    auto out = scheme == std::string::npos ? url : url.substr(scheme + 3);
    return out.substr(0, out.find('/'));
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for(auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string item(std::string_view to, std::string_view amount, std::string_view home)
{
    return R"({"homeTransactionId":")" + std::string(home) +
           R"(","to":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" + std::string(to) +
           R"("}},"amountType":"SEND","currency":"USD","amount":")" + std::string(amount) + R"("})";
}

std::string bulk_body(std::string const& id, std::vector<std::string> const& items)
{
    std::string b = R"({"bulkHomeTransactionID":"batch-openapi","bulkTransactionId":")" + id +
                    R"(","options":{"autoAcceptParty":{"enabled":true},"autoAcceptQuote":{"enabled":true},)"
                    R"("synchronous":true,"bulkExpiration":"2099-01-01T00:00:00.000Z"},)"
                    R"("from":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":")" +
                    std::string(payer_msisdn) + R"("}},"individualTransfers":[)";
    for(std::size_t i = 0; i < items.size(); ++i)
        b += (i ? "," : "") + items[i];
    return b + "]}";
}

// True when some element of body[array] carries errorInformation.
bool has_item_error(json::value const& body, std::string_view array)
{
    auto const* o = body.if_object();
    auto const* a = o ? o->if_contains(array) : nullptr;
    if(!a || !a->is_array())
        return false;
    for(auto const& x : a->get_array())
        if(x.is_object() && x.get_object().contains("errorInformation"))
            return true;
    return false;
}

// Validates each request one actor sent to another's FSPIOP API (and each error answer) in
// the trace, failing the test with every invalid body and its errors; returns how many
// messages of each kind were seen ("dfsp2->switch PUT /bulkTransfers/{ID}" -> count).
std::map<std::string, int> validate_trace(openapi::schemas const& spec, recorder& rec,
                                          std::map<std::string, std::string> const& names, std::string const& admin)
{
    std::vector<traced> events;
    {
        std::lock_guard const lock(rec.mutex);
        events = rec.events;
    }
    auto const name_of = [&names](std::string const& peer) {
        auto const it = names.find(peer);
        return it == names.end() ? peer : it->second;
    };

    // Each request one actor sent to another's FSPIOP API, and each error answer.
    std::map<std::string, int> seen;
    std::vector<std::string> invalid;
    int validated = 0;
    // Nor may a body carry a property its schema does not name (the file leaves that open).
    openapi::options const strict{.forbid_unknown_properties = true};
    auto const check_body = [&](std::string const& what, YAML::Node const& schema, std::string const& body,
                                std::string const& schema_name) -> std::optional<json::value> {
        std::error_code ec;
        auto v = json::parse(body, ec);
        if(ec)
        {
            invalid.push_back(what + ": not JSON: " + body.substr(0, 200));
            return std::nullopt;
        }
        auto const errors = schema_name.empty() ? openapi::validate(spec, schema, v, strict)
                                                : openapi::validate(spec, schema_name, v, strict);
        ++validated;
        if(!errors.empty())
        {
            std::ostringstream os;
            os << what << ": " << body.substr(0, 600);
            for(auto const& e : errors)
                os << "\n    " << e;
            invalid.push_back(os.str());
        }
        return v;
    };
    for(auto const& e : events)
    {
        if(!e.sent || e.peer == admin || (!e.request && e.status < 400))
            continue;
        auto const templ = spec.path_template(e.target);
        auto const m = std::string(net::to_string(e.method));
        std::string const kind = e.request ? e.actor + "->" + name_of(e.peer) + " " + m + " " + templ
                                           : e.actor + " answered " + std::to_string(e.status) + " to " + m + " " + templ;
        if(templ.empty())
        {
            invalid.push_back(kind + e.target + ": no operation of the file has this path");
            continue;
        }
        if(!e.request)
        {
            ++seen[kind];
            if(!e.body.empty())
                check_body(kind, YAML::Node{}, e.body, "ErrorInformationResponse");
            continue;
        }
        YAML::Node schema;
        try
        {
            schema = spec.request_body(templ, lower(m));
        }
        catch(std::exception const&)
        {
            invalid.push_back(kind + ": no such operation in the file");
            continue;
        }
        ++seen[kind];
        if(schema.IsNull())
        {
            if(!e.body.empty())
                invalid.push_back(kind + ": a body where the operation has none: " + e.body.substr(0, 200));
            continue;
        }
        auto const v = check_body(kind + " " + e.target, schema, e.body, {});
        if(v && has_item_error(*v, "individualQuoteResults"))
            ++seen[kind + " with errorInformation per item"];
        if(v && has_item_error(*v, "individualTransferResults"))
            ++seen[kind + " with errorInformation per item"];
    }

    std::ostringstream summary;
    for(auto const& [kind, count] : seen)
        summary << "  " << count << "  " << kind << "\n";
    std::cout << "bodies validated: " << validated << "\n" << summary.str();
    INFO("messages seen:\n" << summary.str());

    for(auto const& problem : invalid)
        FAIL_CHECK(problem);

    return seen;
}

std::string code_of(connector::bulk_transfer_result const& r)
{
    if(!r.last_error || !r.last_error->mojaloop_error || !r.last_error->mojaloop_error->error_information)
        return {};
    return r.last_error->mojaloop_error->error_information->error_code;
}

net::awaitable<connector::bulk_transaction_response> run_bulk(world& w, std::vector<std::string> const& items)
{
    auto const res =
        co_await w.connector_call(net::method::post, "/bulkTransactions", bulk_body(w.ids.uuid_v4(), items));
    INFO(res.body);
    CHECK(res.status == 202);
    auto r = connector::decode_bulk_transaction_response(res.body);
    REQUIRE(r);
    CHECK(r->current_state == connector::bulk_transaction_state::completed);
    co_return std::move(*r);
}

} // namespace

TEST_CASE("every FSPIOP message of a traced bulk run is valid against the v1.1 OpenAPI file")
{
    auto const spec = openapi::schemas::load(std::string(MOJASIM_REFERENCE_DIR) + "/fspiop-rest-v1.1-openapi3-snippets.yaml");
    recorder rec;
    std::map<std::string, std::string> names; // FSPIOP host:port -> actor
    std::string admin;                         // the switch's Admin API host:port

    auto const bulk_run = [&names, &admin, &rec](net::asio::io_context& ioc) -> net::awaitable<void> {
        world_options opts;
        opts.trace = rec.sink();
        world w(ioc, opts);
        co_await w.setup();
        names[host_port(w.hub->fspiop_url())] = "switch";
        names[host_port(w.dfsp1->fspiop_url())] = "dfsp1";
        names[host_port(w.dfsp2->fspiop_url())] = "dfsp2";
        admin = host_port(w.hub->admin_url());

        // A happy item, an unknown party, a quote refused and a transfer refused per item.
        w.dfsp2->faults().replace({rule(R"({"id":"q","step":"quote","party":"0424942603","action":"error",)"
                                        R"("error_code":"5106"})"),
                                   rule(R"({"id":"t","step":"transfer","party":"0455510400","action":"error"})")});
        // (Lists built before co_await: g++ 12 cannot keep an initializer list in a coroutine frame.)
        std::vector<std::string> const four = {item(amina, "100", "row-1"), item("0400000000", "5", "row-2"),
                                               item(brian, "50", "row-3"), item(esi, "20", "row-4")};
        auto const mixed = co_await run_bulk(w, four);
        REQUIRE(mixed.individual_transfer_results.size() == 4);
        CHECK(mixed.individual_transfer_results[0].current_state == connector::transfer_status::completed);
        for(std::size_t i = 1; i < 4; ++i)
            CHECK(mixed.individual_transfer_results[i].current_state == connector::transfer_status::error_occurred);
        CHECK(world::balance(*w.dfsp2, amina) == dec("98.5"));

        // The whole bulk quote refused, then the whole bulk transfer.
        w.dfsp2->faults().replace({rule(R"({"id":"bq","step":"bulk_quote","action":"error","error_code":"5100"})")});
        std::vector<std::string> const two = {item(amina, "7", "row-5"), item(brian, "8", "row-6")};
        auto const unquoted = co_await run_bulk(w, two);
        for(auto const& r : unquoted.individual_transfer_results)
            CHECK(r.current_state == connector::transfer_status::error_occurred);
        w.dfsp2->faults().replace({rule(R"({"id":"bt","step":"bulk_transfer","action":"error"})")});
        std::vector<std::string> const other_two = {item(amina, "9", "row-7"), item(esi, "11", "row-8")};
        auto const refused = co_await run_bulk(w, other_two);
        for(auto const& r : refused.individual_transfer_results)
            CHECK(r.current_state == connector::transfer_status::error_occurred);
        CHECK(w.dfsp2->stats().faults_fired == 4);

        // The switch's own refusal of one item: beyond DFSP1's net debit cap (4001).
        w.dfsp2->faults().clear();
        std::vector<std::string> const beyond = {item(amina, "2000000", "row-9"), item(brian, "3", "row-10")};
        auto const capped = co_await run_bulk(w, beyond);
        REQUIRE(capped.individual_transfer_results.size() == 2);
        CHECK(code_of(capped.individual_transfer_results[0]) == "4001");
        CHECK(capped.individual_transfer_results[1].current_state == connector::transfer_status::completed);
        auto const payee = host_port(w.dfsp2->fspiop_url());
        bool const told = co_await w.settle([&rec, &payee] { return rec.payee_told("dfsp2", payee); });
        CHECK(told);
        co_await w.check_conservation();
    };
    test::run_async(bulk_run);

    auto seen = validate_trace(spec, rec, names, admin);

    // Each kind of message the bulk path sends, so the test cannot pass on an empty trace.
    for(char const* kind : {
            "dfsp1->switch GET /parties/{Type}/{ID}",
            "switch->dfsp2 GET /parties/{Type}/{ID}",
            "dfsp2->switch PUT /parties/{Type}/{ID}",
            "switch->dfsp1 PUT /parties/{Type}/{ID}",
            "switch->dfsp1 PUT /parties/{Type}/{ID}/error",
            "dfsp1->switch POST /bulkQuotes",
            "switch->dfsp2 POST /bulkQuotes",
            "dfsp2->switch PUT /bulkQuotes/{ID}",
            "switch->dfsp1 PUT /bulkQuotes/{ID}",
            "dfsp2->switch PUT /bulkQuotes/{ID} with errorInformation per item",
            "switch->dfsp1 PUT /bulkQuotes/{ID} with errorInformation per item",
            "dfsp2->switch PUT /bulkQuotes/{ID}/error",
            "switch->dfsp1 PUT /bulkQuotes/{ID}/error",
            "dfsp1->switch POST /bulkTransfers",
            "switch->dfsp2 POST /bulkTransfers",
            "dfsp2->switch PUT /bulkTransfers/{ID}",
            "switch->dfsp1 PUT /bulkTransfers/{ID}",
            "dfsp2->switch PUT /bulkTransfers/{ID} with errorInformation per item",
            "switch->dfsp1 PUT /bulkTransfers/{ID} with errorInformation per item",
            "dfsp2->switch PUT /bulkTransfers/{ID}/error",
            "switch->dfsp1 PUT /bulkTransfers/{ID}/error",
            // The switch's closing notices to the payee (central-ledger's bulk processing).
            "switch->dfsp2 PUT /bulkTransfers/{ID}",
            "switch->dfsp2 PUT /bulkTransfers/{ID} with errorInformation per item",
        })
    {
        INFO(kind);
        CHECK(seen[kind] > 0);
    }
}

TEST_CASE("the switch's own bulk notices (a bulk transfer the payee never answers expires) are valid too")
{
    auto const spec = openapi::schemas::load(std::string(MOJASIM_REFERENCE_DIR) + "/fspiop-rest-v1.1-openapi3-snippets.yaml");
    recorder rec;
    std::map<std::string, std::string> names;
    std::string admin;

    auto const expiry_run = [&names, &admin, &rec](net::asio::io_context& ioc) -> net::awaitable<void> {
        world_options opts;
        opts.trace = rec.sink();
        opts.tweak_dfsp1 = [](dfsp::config& c) { c.connector.prepare_expiry = std::chrono::seconds(1); };
        world w(ioc, opts);
        co_await w.setup();
        names[host_port(w.hub->fspiop_url())] = "switch";
        names[host_port(w.dfsp1->fspiop_url())] = "dfsp1";
        names[host_port(w.dfsp2->fspiop_url())] = "dfsp2";
        admin = host_port(w.hub->admin_url());

        w.dfsp2->faults().replace({rule(R"({"id":"silent","step":"bulk_transfer","action":"no_callback"})")});
        std::vector<std::string> const two = {item(amina, "12", "row-1"), item(esi, "13", "row-2")};
        auto const expired = co_await run_bulk(w, two);
        REQUIRE(expired.individual_transfer_results.size() == 2);
        for(auto const& r : expired.individual_transfer_results)
        {
            CHECK(r.current_state == connector::transfer_status::error_occurred);
            CHECK(code_of(r) == "3303");
        }
        auto const payee = host_port(w.dfsp2->fspiop_url());
        bool const told = co_await w.settle([&rec, &payee] { return rec.payee_told("dfsp2", payee); });
        CHECK(told);
        co_await w.check_conservation();
    };
    test::run_async(expiry_run);

    auto seen = validate_trace(spec, rec, names, admin);
    // The payee never answers: the switch itself tells the payer, and the payee, that each
    // item expired.
    for(char const* kind : {
            "dfsp1->switch POST /bulkTransfers",
            "switch->dfsp2 POST /bulkTransfers",
            "switch->dfsp1 PUT /bulkTransfers/{ID} with errorInformation per item",
            "switch->dfsp2 PUT /bulkTransfers/{ID} with errorInformation per item",
        })
    {
        INFO(kind);
        CHECK(seen[kind] > 0);
    }
}
