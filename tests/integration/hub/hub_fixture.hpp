// The Payment Hub over real HTTP on 127.0.0.1 (port 0): a fake DFSP1 connector that answers
// POST /transfers by rule, a callback receiver, and helpers to upload and poll like OpenG2P.
#pragma once

#include "payment-hub/payment_hub.hpp"
#include "payment-hub/upload.hpp"
#include "simulator/connector/codec.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mojasim::test {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

inline std::string reference_file(std::string const& name)
{
    std::ifstream in(std::string(MOJASIM_REFERENCE_DIR) + "/payment-hub/" + name, std::ios::binary);
    if(!in)
        throw std::runtime_error("missing reference file " + name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// How the fake connector treats one payee.
struct payee_rule
{
    enum class kind
    {
        pay,                 ///< 200 COMPLETED
        reject,              ///< 500 errorTransferResponse with lastError (the SDK's way)
        reject_200,          ///< 200 ERROR_OCCURRED with lastError
        timeout_then_pay,    ///< 504 in the quote stage `times` times, then pay
        timeout_after_quote, ///< 504 after the quote; GET /transfers/{id} says COMPLETED
        manual,              ///< stops for acceptParty, then acceptQuote
        drop,                ///< takes the POST (and may pay), closes without answering
        manual_drop_put,     ///< manual, and the acceptParty PUT is taken (and paid), not answered
    };
    kind what = kind::pay;
    std::string code;
    std::string description;
    int times = 0;
};

/// DFSP1's connector outbound API, faked: decodes what the hub sends with the connector
/// codec (strictly, as the SDK validates) and answers by payee rule.
class fake_connector
{
public:
    std::map<std::string, payee_rule> rules; ///< by payee idValue
    std::chrono::milliseconds delay{0};      ///< before answering a POST
    std::vector<connector::transfer_request> received;
    std::vector<std::string> bad_requests;   ///< decode errors: must stay empty
    std::map<std::string, int> posts_by_payee;
    std::vector<std::string> puts;           ///< bodies of PUT /transfers/{id}
    int gets = 0;
    int in_flight = 0;
    int max_in_flight = 0;
    bool hold = false; ///< keep every POST unanswered until release()
    int held = 0;      ///< POSTs waiting for release() now

    // The outbound bulk API (POST/GET/PUT /bulkTransactions), by the same payee rules: pay
    // commits the item, reject and reject_200 give it lastError; the others pay.
    std::vector<std::string> bulk_posts;        ///< bodies of POST /bulkTransactions, in order
    std::vector<std::size_t> bulk_sizes;        ///< items of each
    std::vector<std::string> bulk_puts;         ///< bodies of PUT /bulkTransactions/{id}
    int bulk_gets = 0;
    int bulk_pending_polls = 2;                 ///< GETs answered PROCESSING before the result
    int bulk_drop_posts = 0;                    ///< take this many POSTs, close without answering
    std::string bulk_refuse;                    ///< non-empty: POST answered 400 with this statusCode
    /// Answer a POST with options.synchronous (and auto-accept) at once with the final state,
    /// as the connector does; false: 202 without a body, whatever the option says.
    bool bulk_honour_synchronous = false;

    explicit fake_connector(asio::io_context& ioc) : gate_(ioc, asio::steady_timer::time_point::max())
    {
        routes_->add(net::method::post, "/transfers", [this](net::request r) { return on_post(std::move(r)); });
        routes_->add(net::method::put, "/transfers/{id}", [this](net::request r) { return on_put(std::move(r)); });
        routes_->add(net::method::get, "/transfers/{id}", [this](net::request r) { return on_get(std::move(r)); });
        routes_->add(net::method::post, "/bulkTransactions", [this](net::request r) { return on_bulk_post(std::move(r)); });
        routes_->add(net::method::get, "/bulkTransactions/{id}", [this](net::request r) { return on_bulk_get(std::move(r)); });
        routes_->add(net::method::put, "/bulkTransactions/{id}", [this](net::request r) { return on_bulk_put(std::move(r)); });
        net::server_options o;
        o.name = "fake-dfsp1";
        server_ = std::make_unique<net::server>(asio::make_strand(ioc), routes_, o);
        server_->listen();
        server_->start();
    }

    [[nodiscard]] std::string url() const { return server_->base_url(); }
    void stop()
    {
        release();
        server_->stop();
    }
    /// Let the held POSTs go on and stop holding new ones.
    void release()
    {
        hold = false;
        gate_.cancel();
    }

private:
    struct pending
    {
        connector::transfer_request request;
        int stage = 0;
    };

    connector::transfer_response state_of(connector::transfer_request const& r, std::string const& id)
    {
        connector::transfer_response t;
        t.transfer_id = id;
        t.home_transaction_id = r.home_transaction_id;
        t.from = r.from;
        t.to = r.to;
        t.to.fsp_id = "dfsp2";
        t.amount_type = r.amount_type;
        t.currency = r.currency;
        t.amount = r.amount;
        t.note = r.note;
        connector::parties_response p;
        connector::party party;
        party.party_id_info.party_id_type = r.to.id_type;
        party.party_id_info.party_identifier = r.to.id_value;
        party.party_id_info.fsp_id = "dfsp2";
        p.party = party;
        t.get_parties_response = p;
        return t;
    }

    static void add_quote(connector::transfer_response& t)
    {
        connector::quote_response q;
        q.body.transfer_amount = {t.currency, t.amount};
        q.body.expiration = "2030-01-01T00:00:00.000Z";
        q.body.ilp_packet = "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQ";
        q.body.condition = "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks";
        t.quote_response = q;
        t.quote_response_source = "dfsp2";
        t.quote_id = "7c23e80c-d078-4077-8263-2c047876fcf6";
    }

    static void add_fulfil(connector::transfer_response& t)
    {
        connector::fulfil_response f;
        f.body.transfer_state = connector::transfer_state::committed;
        f.body.fulfilment = "WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8";
        f.body.completed_timestamp = "2024-05-01T10:00:01.123Z";
        t.fulfil = f;
        t.current_state = connector::transfer_status::completed;
    }

    static net::response error_answer(unsigned status, connector::transfer_response const& t, std::string message)
    {
        connector::transfer_error_response e;
        e.status_code = std::to_string(status);
        if(auto const* info = t.mojaloop_error_information())
            e.status_code = info->error_code;
        e.message = std::move(message);
        e.transfer_state = t;
        return net::make_response(status, connector::encode(e));
    }

    net::awaitable<net::response> on_post(net::request req)
    {
        auto r = connector::decode_transfer_request(req.body);
        if(!r)
        {
            bad_requests.push_back(r.error().detail());
            co_return net::make_response(400, connector::validation_error_body(r.error()));
        }
        ++in_flight;
        max_in_flight = std::max(max_in_flight, in_flight);
        if(delay.count() > 0)
            co_await net::sleep_for(delay);
        --in_flight;
        if(hold)
        {
            ++held;
            co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
            --held;
        }

        received.push_back(*r);
        auto const& payee = r->to.id_value;
        int const n = ++posts_by_payee[payee];
        auto const id = "tr-" + std::to_string(++next_id_);
        auto t = state_of(*r, id);
        auto const rule = rules.count(payee) ? rules.at(payee) : payee_rule{};

        switch(rule.what)
        {
        case payee_rule::kind::pay:
            break;
        case payee_rule::kind::reject:
        case payee_rule::kind::reject_200:
            t.current_state = connector::transfer_status::error_occurred;
            t.last_error = connector::transfer_error{
                500, connector::mojaloop_error{connector::error_information{rule.code, rule.description, {}}}};
            if(rule.what == payee_rule::kind::reject)
                co_return error_answer(500, t, "Payee rejected the transfer");
            co_return net::make_response(200, connector::encode(t));
        case payee_rule::kind::timeout_then_pay:
            if(n <= rule.times)
            {
                t.current_state = connector::transfer_status::error_occurred;
                co_return error_answer(504, t, "Timeout waiting for quote");
            }
            break;
        case payee_rule::kind::timeout_after_quote:
            add_quote(t);
            t.current_state = connector::transfer_status::error_occurred;
            transfers_[id] = pending{*r, 3};
            co_return error_answer(504, t, "Timeout waiting for fulfil");
        case payee_rule::kind::drop:
        {
            // It went through: only the answer is lost.
            transfers_[id] = pending{*r, 3};
            net::response lost;
            lost.drop = true;
            co_return lost;
        }
        case payee_rule::kind::manual_drop_put:
        case payee_rule::kind::manual:
            t.current_state = connector::transfer_status::waiting_for_party_acceptance;
            transfers_[id] = pending{*r, 1};
            co_return net::make_response(200, connector::encode(t));
        }
        add_quote(t);
        add_fulfil(t);
        co_return net::make_response(200, connector::encode(t));
    }

    net::awaitable<net::response> on_put(net::request req)
    {
        puts.push_back(req.body);
        auto const id = std::string(req.params.get("id"));
        auto c = connector::decode_transfer_continuation(req.body);
        auto it = transfers_.find(id);
        if(!c || it == transfers_.end())
            co_return net::make_response(400, R"({"statusCode":"400","message":"bad continuation"})");
        auto t = state_of(it->second.request, id);
        auto const payee = it->second.request.to.id_value;
        if(rules.count(payee) && rules.at(payee).what == payee_rule::kind::manual_drop_put)
        {
            it->second.stage = 3; // paid; the answer is lost
            net::response lost;
            lost.drop = true;
            co_return lost;
        }
        if(it->second.stage == 1 && c->what == connector::transfer_continuation::kind::accept_party)
        {
            it->second.stage = 2;
            add_quote(t);
            t.current_state = connector::transfer_status::waiting_for_quote_acceptance;
            co_return net::make_response(200, connector::encode(t));
        }
        if(it->second.stage == 2 && c->what == connector::transfer_continuation::kind::accept_quote)
        {
            it->second.stage = 3;
            add_quote(t);
            add_fulfil(t);
            co_return net::make_response(200, connector::encode(t));
        }
        co_return net::make_response(500, R"({"statusCode":"500","message":"unexpected continuation"})");
    }

    net::awaitable<net::response> on_get(net::request req)
    {
        ++gets;
        auto const id = std::string(req.params.get("id"));
        if(!transfers_.count(id))
            co_return net::make_response(404, R"({"statusCode":"404","message":"not found"})");
        connector::transfer_status_response s;
        s.transfer_id = id;
        s.current_state = connector::transfer_status::completed;
        s.fulfil.body.transfer_state = connector::transfer_state::committed;
        co_return net::make_response(200, connector::encode(s));
    }

    struct bulk_item
    {
        std::string home_id;
        std::string payee;
        std::string transfer_id;
    };
    struct bulk
    {
        std::vector<bulk_item> items;
        int polls = 0;
        int stage = 3; ///< 1: waiting for acceptParty, 2: for acceptQuote, 3: going on
    };

    static bool has_string(json::object const& o, std::string_view key)
    {
        auto const* v = o.if_contains(key);
        return v && v->is_string() && !v->get_string().empty();
    }

    /// The SDK's checks of a bulkTransactionRequest, as far as the hub's body goes: the
    /// required members, one object each, and every item well-formed.
    static std::string bulk_request_problem(json::object const& o)
    {
        for(auto const key : {"bulkTransactionId", "bulkHomeTransactionID"})
            if(!has_string(o, key))
                return std::string("missing ") + key;
        auto const* opt = o.if_contains("options");
        if(!opt || !opt->is_object())
            return "missing options";
        for(auto const key : {"autoAcceptParty", "autoAcceptQuote"})
        {
            auto const* a = opt->get_object().if_contains(key);
            if(!a || !a->is_object() || !a->get_object().contains("enabled") || !a->get_object().at("enabled").is_bool())
                return std::string("bad options.") + key;
        }
        if(!has_string(opt->get_object(), "bulkExpiration"))
            return "missing options.bulkExpiration";
        auto const party_ok = [](json::value const* p) {
            if(!p || !p->is_object())
                return false;
            auto const* info = p->get_object().if_contains("partyIdInfo");
            return info && info->is_object() && has_string(info->get_object(), "partyIdType") &&
                   has_string(info->get_object(), "partyIdentifier");
        };
        if(!party_ok(o.if_contains("from")))
            return "bad from";
        auto const* items = o.if_contains("individualTransfers");
        if(!items || !items->is_array() || items->get_array().empty())
            return "missing individualTransfers";
        for(auto const& it : items->get_array())
        {
            if(!it.is_object())
                return "an item is not an object";
            auto const& io = it.get_object();
            if(!party_ok(io.if_contains("to")))
                return "an item without to.partyIdInfo";
            for(auto const key : {"homeTransactionId", "amountType", "currency", "amount"})
                if(!has_string(io, key))
                    return std::string("an item without ") + key;
            if(auto const* n = io.if_contains("note"); n && (!n->is_string() || n->get_string().size() > 128 * 4))
                return "a bad note";
        }
        return {};
    }

    net::awaitable<net::response> on_bulk_post(net::request req)
    {
        bulk_posts.push_back(req.body);
        boost::system::error_code ec;
        auto v = json::parse(req.body, ec);
        std::string problem = ec || !v.is_object() ? std::string("not a JSON object") : bulk_request_problem(v.get_object());
        if(!problem.empty())
        {
            bad_requests.push_back(problem);
            co_return net::make_response(400, R"({"statusCode":"3100","message":")" + problem + R"("})");
        }
        auto const& o = v.get_object();
        auto const& items = o.at("individualTransfers").get_array();
        bulk_sizes.push_back(items.size());
        if(!bulk_refuse.empty())
            co_return net::make_response(400, R"({"statusCode":")" + bulk_refuse + R"(","message":"Bulk refused","bulkTransferState":{}})");
        bulk b;
        for(auto const& it : items)
        {
            auto const& io = it.get_object();
            b.items.push_back({std::string(io.at("homeTransactionId").get_string()),
                               std::string(io.at("to").at("partyIdInfo").at("partyIdentifier").get_string()),
                               "tr-" + std::to_string(++next_id_)});
        }
        if(!o.at("options").at("autoAcceptParty").at("enabled").get_bool())
            b.stage = 1;
        std::string const id(o.at("bulkTransactionId").get_string());
        auto const* sync_option = o.at("options").as_object().if_contains("synchronous");
        bool const sync = b.stage == 3 && sync_option && sync_option->is_bool() && sync_option->get_bool();
        auto const it = bulks_.insert_or_assign(id, std::move(b)).first;
        if(bulk_drop_posts > 0)
        {
            --bulk_drop_posts;
            net::response lost;
            lost.drop = true;
            co_return lost;
        }
        if(bulk_honour_synchronous && sync)
        {
            it->second.polls = bulk_pending_polls; // paid to the end before the answer
            co_return bulk_answer(it, 202);
        }
        co_return net::make_empty(202);
    }

    net::awaitable<net::response> on_bulk_get(net::request req)
    {
        ++bulk_gets;
        auto it = bulks_.find(std::string(req.params.get("id")));
        if(it == bulks_.end())
            co_return net::make_response(404, R"({"statusCode":"404","message":"not found"})");
        co_return bulk_answer(it, 200);
    }

    // The bulk transaction's state and every item's result (GET, or a synchronous POST).
    net::response bulk_answer(std::map<std::string, bulk>::iterator it, unsigned status)
    {
        auto& b = it->second;
        json::object o;
        o["bulkTransactionId"] = it->first;
        json::array results;
        std::string state;
        if(b.stage == 1 || b.stage == 2)
            state = b.stage == 1 ? "WAITING_FOR_PARTY_ACCEPTANCE" : "WAITING_FOR_QUOTE_ACCEPTANCE";
        else if(b.polls++ < bulk_pending_polls)
            state = "TRANSFERS_PROCESSING";
        else
            state = "COMPLETED";
        o["currentState"] = state;
        for(auto const& item : b.items)
        {
            json::object r;
            r["homeTransactionId"] = item.home_id;
            r["transferId"] = item.transfer_id;
            r["to"] = json::object{{"partyIdInfo", json::object{{"partyIdType", "MSISDN"}, {"partyIdentifier", item.payee}, {"fspId", "dfsp2"}}}};
            auto const rule = rules.count(item.payee) ? rules.at(item.payee) : payee_rule{};
            bool const rejected = rule.what == payee_rule::kind::reject || rule.what == payee_rule::kind::reject_200;
            if(rejected)
                r["lastError"] = json::object{{"httpStatusCode", 500},
                                              {"mojaloopError", json::object{{"errorInformation", json::object{{"errorCode", rule.code}, {"errorDescription", rule.description}}}}}};
            else if(state == "COMPLETED")
                r["fulfil"] = json::object{{"body", json::object{{"transferState", "COMMITTED"}, {"fulfilment", "WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8"}}}};
            results.push_back(std::move(r));
        }
        o["individualTransferResults"] = std::move(results);
        return net::make_response(status, json::serialize(o));
    }

    net::awaitable<net::response> on_bulk_put(net::request req)
    {
        bulk_puts.push_back(req.body);
        auto it = bulks_.find(std::string(req.params.get("id")));
        boost::system::error_code ec;
        auto v = json::parse(req.body, ec);
        if(it == bulks_.end() || ec || !v.is_object() || !v.get_object().contains("individualTransfers"))
            co_return net::make_response(400, R"({"statusCode":"3100","message":"bad continuation"})");
        auto const& list = v.get_object().at("individualTransfers").get_array();
        auto const key = it->second.stage == 1 ? "acceptParty" : "acceptQuote";
        for(auto const& x : list)
            if(!x.is_object() || !x.get_object().contains(key) || !x.get_object().contains("transferId"))
                co_return net::make_response(400, R"({"statusCode":"3100","message":"bad item"})");
        if(it->second.stage < 3)
            ++it->second.stage;
        co_return net::make_empty(202);
    }

    asio::steady_timer gate_;
    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
    std::map<std::string, pending> transfers_;
    std::map<std::string, bulk> bulks_;
    int next_id_ = 0;
};

/// Receives progress callbacks; fails the first `fail_first` requests with 503.
class callback_receiver
{
public:
    std::vector<std::string> bodies; ///< every request received, in order
    int fail_first = 0;
    bool always_fail = false;

    explicit callback_receiver(asio::io_context& ioc)
    {
        routes_->add(net::method::post, "/g2p/callback", [this](net::request r) { return on_post(std::move(r)); });
        net::server_options o;
        o.name = "openg2p";
        server_ = std::make_unique<net::server>(asio::make_strand(ioc), routes_, o);
        server_->listen();
        server_->start();
    }
    [[nodiscard]] std::string url() const { return server_->base_url() + "/g2p/callback"; }
    void stop() { server_->stop(); }

private:
    net::awaitable<net::response> on_post(net::request req)
    {
        bodies.push_back(req.body);
        if(always_fail || static_cast<int>(bodies.size()) <= fail_first)
            co_return net::make_response(503, "busy", "text/plain");
        co_return net::make_response(200, "{}");
    }

    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
};

/// A hub, its fake connector and a client, on one io_context. The hub outlives the context's
/// run, as Asio objects must.
struct hub_world
{
    asio::io_context ioc;
    /// Other actors a test runs on this io_context (destroyed before it), and their stops.
    std::vector<std::shared_ptr<void>> extras;
    std::vector<std::function<void()>> extra_stops;
    fake_connector connector{ioc};
    callback_receiver callbacks{ioc};
    std::unique_ptr<hub::payment_hub> hub;
    net::strand client_strand{asio::make_strand(ioc)};
    net::client client{client_strand};

    /// `prepare` may start other actors (into extras) and point the configuration at them.
    explicit hub_world(hub::hub_config cfg = {}, std::function<void(hub_world&, hub::hub_config&)> const& prepare = {})
    {
        cfg.bulk_port = 0;
        cfg.ops_port = 0;
        if(prepare)
            prepare(*this, cfg);
        if(cfg.tenants.empty())
            cfg.tenants["greenbank"] = hub::tenant_config{"dfsp1", connector.url()};
        cfg.retry_delay = 5ms;
        cfg.callback_retry_delay = 5ms;
        hub = std::make_unique<hub::payment_hub>(asio::make_strand(ioc), std::move(cfg));
        hub->start();
    }

    /// Run `task` (a test coroutine) on the client's strand until it ends (or `limit` passes).
    void run(net::awaitable<void> task, std::chrono::seconds limit = 120s)
    {
        std::exception_ptr failure;
        bool finished = false;
        asio::co_spawn(client_strand, std::move(task), [&](std::exception_ptr e) {
            failure = e;
            finished = true;
            hub->stop();
            for(auto const& stop : extra_stops)
                stop();
            connector.stop();
            callbacks.stop();
            client.close();
            ioc.stop();
        });
        ioc.run_for(limit);
        if(failure)
            std::rethrow_exception(failure);
        if(!finished)
            throw std::runtime_error("hub test did not finish within its time limit");
    }
};

/// OpenG2P's upload (§2.4): one multipart part `data` without a Content-Type, CRLF.
inline std::string openg2p_multipart(std::string const& csv, std::string const& filename,
                                     std::string const& boundary = "5e1c9f0a7b3d4e21")
{
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"" + filename + "\"\r\n\r\n"
        + csv + "\r\n--" + boundary + "--\r\n";
}

struct upload_spec
{
    upload_spec(std::string c = {}, std::string f = "ph_ee_2f0c0d0e-8a9b-4c77-9a0e-0d4a2b1c3e55.csv")
        : csv(std::move(c)), filename(std::move(f))
    {
    }

    std::string csv;
    std::string filename;
    std::string type = "csv";
    std::string tenant = "greenbank";
    std::string callback_url;
    std::string path = "/batchtransactions";
    std::optional<std::string> raw_body;  ///< send this instead of a multipart body
    std::vector<std::string> drop_headers; ///< leave these out
    std::vector<std::pair<std::string, std::string>> add_headers; ///< and add these
};

inline net::awaitable<net::response> upload(hub_world& w, upload_spec spec)
{
    net::request req;
    req.method = net::method::post;
    std::string const boundary = "5e1c9f0a7b3d4e21";
    auto set = [&](std::string const& name, std::string const& value) {
        if(std::find(spec.drop_headers.begin(), spec.drop_headers.end(), name) == spec.drop_headers.end())
            req.fields.set(name, value);
    };
    set("Platform-TenantId", spec.tenant);
    set("Type", spec.type);
    set("Purpose", "G2P Payment");
    set("filename", spec.filename);
    set("X-CorrelationID", "6b7f3a52-1c8e-4b8b-9d4e-3f1f0a9c2d10");
    if(!spec.callback_url.empty())
        set("X-CallbackURL", spec.callback_url);
    for(auto const& [name, value] : spec.add_headers)
        set(name, value);
    if(spec.raw_body)
    {
        set("Content-Type", "application/json");
        req.body = *spec.raw_body;
    }
    else
    {
        set("Content-Type", "multipart/form-data; boundary=" + boundary);
        req.body = openg2p_multipart(spec.csv, spec.filename, boundary);
    }
    auto res = co_await w.client.send(w.hub->bulk_url() + spec.path, std::move(req), 30s);
    REQUIRE(res.has_value());
    co_return std::move(*res);
}

inline net::awaitable<net::response> ops_get(hub_world& w, std::string target, std::string tenant = "greenbank")
{
    net::request req;
    req.method = net::method::get;
    if(!tenant.empty())
        req.fields.set("Platform-TenantId", tenant);
    auto res = co_await w.client.send(w.hub->ops_url() + target, std::move(req), 30s);
    REQUIRE(res.has_value());
    co_return std::move(*res);
}

/// The batch id from a 202 answer: the last segment of PollingPath.
inline std::string batch_id_of(net::response const& res)
{
    auto const o = json::parse(res.body).as_object();
    std::string const path(o.at("PollingPath").as_string());
    return path.substr(path.rfind('/') + 1);
}

/// Poll the summary until `done` (or fail after `limit`), checking at every poll that
/// successful + failed + ongoing == total. Returns the last summary and the poll count.
inline net::awaitable<json::object> poll_summary(hub_world& w, std::string id, std::function<bool(json::object const&)> done,
                                                 std::chrono::milliseconds limit = 60s, int* polls = nullptr)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for(int n = 1;; ++n)
    {
        auto res = co_await ops_get(w, "/api/v1/batch/" + id);
        REQUIRE(res.status == 200);
        auto o = json::parse(res.body).as_object();
        auto const total = o.at("total").as_int64();
        REQUIRE(o.at("successful").as_int64() + o.at("failed").as_int64() + o.at("ongoing").as_int64() == total);
        if(done(o))
        {
            if(polls)
                *polls = n;
            co_return o;
        }
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        co_await net::sleep_for(10ms);
    }
}

inline bool finished(json::object const& o) { return o.at("ongoing").as_int64() == 0; }

} // namespace mojasim::test
