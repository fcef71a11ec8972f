// Hostile bodies: invalid JSON and every member of every FSPIOP and connector body given the
// wrong type (or left out), on the switch, both DFSPs and the connector. Each is refused at
// once with the API's own error (FSPIOP 3101 for JSON that does not parse, 3100/3101/3102 for
// wrong types and missing members; the connector's {statusCode: "400"}) and nothing moves.
#include "tests/integration/hostile/hostile_world.hpp"

#include <boost/json/value.hpp>

using namespace mojasim;
using namespace mojasim::test;

namespace {

/// One FSPIOP message as a DFSP (or the switch) would send it, with a valid minimal body:
/// every member of the body is required, so leaving any one out is an error.
struct fspiop_call
{
    std::string method;
    std::string target;
    std::string source;
    std::string destination;
    std::string body;
    bool all_required = true; ///< false: some members are optional (no removals tried)
};

/// Every way of breaking a valid body's types: each member (at any depth) replaced by a value
/// of another JSON kind, and (when all are required) left out.
std::vector<std::string> mutations(std::string const& valid, bool removals)
{
    std::vector<std::string> out;
    json::value const root = json::parse(valid);
    std::vector<json::value> const others = {json::value(123), json::value(true), json::value(nullptr),
                                             json::value(json::array{}), json::value(json::object{}),
                                             json::value("wrong")};
    // Walk every member path; mutate a copy at that path.
    std::vector<std::vector<std::string>> paths;
    std::function<void(json::object const&, std::vector<std::string>)> walk = [&](json::object const& o,
                                                                                  std::vector<std::string> prefix) {
        for(auto const& kv : o)
        {
            auto p = prefix;
            p.emplace_back(kv.key());
            paths.push_back(p);
            if(kv.value().is_object())
                walk(kv.value().as_object(), p);
        }
    };
    walk(root.as_object(), {});
    auto at = [](json::value& v, std::vector<std::string> const& p) -> json::object& {
        json::value* cur = &v;
        for(std::size_t i = 0; i + 1 < p.size(); ++i)
            cur = &cur->as_object().at(p[i]);
        return cur->as_object();
    };
    for(auto const& p : paths)
    {
        json::value const& original = [&]() -> json::value const& {
            json::value const* cur = &root;
            for(auto const& k : p)
                cur = &cur->as_object().at(k);
            return *cur;
        }();
        for(auto const& other : others)
        {
            if(other.kind() == original.kind() || (other.is_int64() && original.is_number()))
                continue;
            json::value copy = root;
            at(copy, p)[p.back()] = other;
            out.push_back(json::serialize(copy));
        }
        if(removals)
        {
            json::value copy = root;
            at(copy, p).erase(p.back());
            out.push_back(json::serialize(copy));
        }
    }
    return out;
}

std::vector<std::string> const not_json = {
    "{",
    "{\"transferId\":}",
    "[1,2",
    "nul",
    "{\"a\":\"b\"} trailing",
    "{'single':'quotes'}",
    "{\"a\":\"\xff\xfe\"}",
    std::string(100'000, '['),
};

/// JSON, but not an object of the right shape.
std::vector<std::string> const wrong_shape = {"[]", "null", "\"text\"", "123", "{}", "true", "{\"n\":1e999999}"};

std::vector<fspiop_call> switch_calls(hostile_world& h)
{
    auto const p = h.make_prepare("dfsp1", "dfsp2", "1");
    std::string const id = p.id;
    std::string const error = R"({"errorInformation":{"errorCode":"5104","errorDescription":"Payee rejected"}})";
    std::string const quote =
        R"({"quoteId":")" + h.ids.uuid_v4() + R"(","transactionId":")" + h.ids.uuid_v4() +
        R"(","payee":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0495000001"}},)"
        R"("payer":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0413356886"}},)"
        R"("amountType":"RECEIVE","amount":{"amount":"1","currency":"USD"},)"
        R"("transactionType":{"scenario":"TRANSFER","initiator":"PAYER","initiatorType":"CONSUMER"}})";
    std::string const quote_put = R"({"transferAmount":{"amount":"1","currency":"USD"},"expiration":")" +
                                  hostile_world::expiration(60s) +
                                  R"(","ilpPacket":"AYIBgQAAAAAAAASw","condition":"GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM"})";
    std::string const party = R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0495000001"}}})";
    return {
        {"POST", "/transfers", "dfsp1", "dfsp2", p.body},
        {"PUT", "/transfers/" + id, "dfsp2", "dfsp1", R"({"transferState":"COMMITTED"})"},
        {"PUT", "/transfers/" + id + "/error", "dfsp2", "dfsp1", error},
        {"POST", "/quotes", "dfsp1", "dfsp2", quote},
        {"PUT", "/quotes/" + id, "dfsp2", "dfsp1", quote_put},
        {"PUT", "/quotes/" + id + "/error", "dfsp2", "dfsp1", error},
        {"PUT", "/parties/MSISDN/0495000001", "dfsp2", "dfsp1", party},
        {"PUT", "/parties/MSISDN/0495000001/error", "dfsp2", "dfsp1", error},
        {"POST", "/participants/MSISDN/0495000099", "dfsp2", "", R"({"fspId":"dfsp2"})"},
    };
}

/// The requests a DFSP receives as the payee: the quote and the prepare as the switch
/// forwards them, and the notice of a commit (PATCH). (Its callback routes, PUT .../{ID}
/// and .../error, answer 200 to any body for an id they do not wait for: see docs/dfsp.md.)
std::vector<fspiop_call> bank_calls(hostile_world& h)
{
    auto const all = switch_calls(h);
    std::vector<fspiop_call> calls;
    for(auto const& c : all)
        if(c.method == "POST" && !c.target.starts_with("/participants"))
            calls.push_back(c);
    auto const id = h.ids.uuid_v4();
    calls.push_back({"PATCH", "/transfers/" + id, "Hub", "dfsp2",
                     R"({"transferState":"COMMITTED","completedTimestamp":")" +
                         core::format_datetime(std::chrono::system_clock::now()) + R"("})"});
    return calls;
}

/// Send every broken variant of every call to `port` on one kept-alive connection; each one
/// is refused at once.
void attack_fspiop(std::string const& name, std::uint16_t port, std::vector<fspiop_call> const& calls)
{
    auto c = std::make_unique<raw_conn>(port);
    auto send = [&](fspiop_call const& call, std::string const& body) {
        auto const text = fspiop_text(call.method, call.target, call.source, call.destination, body);
        if(!c->send(text))
        {
            c = std::make_unique<raw_conn>(port);
            REQUIRE(c->send(text));
        }
        auto r = c->read_reply();
        INFO(name + " " + call.method + " " + call.target + "\n" + body.substr(0, 300));
        REQUIRE(r);
        if(!r->field("Connection").empty() && r->field("Connection") == "close")
            c = std::make_unique<raw_conn>(port);
        return std::move(*r);
    };
    for(auto const& call : calls)
    {
        for(auto const& body : not_json)
        {
            auto const r = send(call, body);
            INFO(name + " " + call.method + " " + call.target + " " + body.substr(0, 80) + "\n" + r.head + "\n" + r.body);
            CHECK(r.status == 400);
            CHECK(fspiop_code(r) == "3101");
        }
        auto bodies = wrong_shape;
        auto const m = mutations(call.body, call.all_required);
        bodies.insert(bodies.end(), m.begin(), m.end());
        for(auto const& body : bodies)
        {
            auto const r = send(call, body);
            INFO(name + " " + call.method + " " + call.target + " " + body + "\n" + r.head + "\n" + r.body);
            CHECK(r.status == 400);
            auto const code = fspiop_code(r);
            CHECK((code == "3100" || code == "3101" || code == "3102"));
        }
    }
}

} // namespace

TEST_CASE("hostile: invalid JSON and wrong types in every FSPIOP body", "[hostile]")
{
    hostile_world h;
    attack_fspiop("switch", h.port(api::fspiop, "switch"), switch_calls(h));
    attack_fspiop("dfsp1", h.port(api::fspiop, "dfsp1"), bank_calls(h));
    attack_fspiop("dfsp2", h.port(api::fspiop, "dfsp2"), bank_calls(h));
    h.require_intact();
    // Nothing was recorded: the switch holds no transfer but the check's payment.
    auto& w = h.world();
    auto const count = w.on(w.switch_actor().executor(), [&] { return w.switch_actor().transfers().size(); });
    CHECK(count == 1);
}

TEST_CASE("hostile: invalid JSON and wrong types in every connector body", "[hostile]")
{
    hostile_world h;
    auto const port = h.port(api::connector);
    struct call
    {
        std::string method;
        std::string target;
        std::string body;
        bool all_required;
    };
    std::vector<call> const calls = {
        {"POST", "/transfers", h.payment_body(amina, "1"), true},
        {"PUT", "/transfers/" + h.ids.uuid_v4(), R"({"acceptQuote":true})", false},
        {"PUT", "/transfers/" + h.ids.uuid_v4(), R"({"acceptParty":true})", false},
    };
    raw_conn c(port);
    for(auto const& k : calls)
    {
        auto bodies = not_json;
        bodies.insert(bodies.end(), wrong_shape.begin(), wrong_shape.end());
        auto const m = mutations(k.body, k.all_required);
        bodies.insert(bodies.end(), m.begin(), m.end());
        for(auto const& body : bodies)
        {
            REQUIRE(c.send(http_text(k.method, k.target, {{"Content-Type", "application/json"}}, body)));
            auto const r = c.read_reply();
            INFO(k.method + " " + k.target + " " + body.substr(0, 300));
            REQUIRE(r);
            INFO(r->head + "\n" + r->body);
            CHECK(r->status == 400);
            CHECK(json_at(r->body, {"statusCode"}) == "400");
        }
    }
    h.require_intact();
    CHECK(h.read().dfsp1_position == dec("1")); // only the check's payment moved money
}
