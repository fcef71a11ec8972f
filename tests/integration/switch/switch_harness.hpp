// A switch on 127.0.0.1 and test FSPs around it, all in one io_context: each test FSP is a
// small server that records every callback (and waits for them with a timeout, never a
// sleep) and a client that speaks FSPIOP to the switch. FSPs are onboarded through the
// Admin API the way an operator onboards real DFSPs.
#pragma once

#include "simulator/central/switch_actor.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/net/client.hpp"
#include "simulator/net/one_shot.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"
#include "tests/support/async_test.hpp"

#include <boost/asio/strand.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <deque>
#include <string>

namespace mojasim::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

inline std::string
media(std::string_view resource, std::string_view version = "1.1")
{
    return "application/vnd.interoperability." + std::string(resource) + "+json;version=" + std::string(version);
}

/// A JSON member of a body, as text ("" when absent or not a string).
inline std::string
json_text(std::string_view body, std::initializer_list<std::string_view> path)
{
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if(ec)
        return {};
    boost::json::value const* cur = &v;
    for(auto key : path)
    {
        auto const* o = cur->if_object();
        if(!o || !o->contains(key))
            return {};
        cur = &o->at(key);
    }
    if(cur->is_string())
        return std::string(cur->get_string());
    return boost::json::serialize(*cur);
}

inline std::string
error_code_in(net::request const& r)
{
    return json_text(r.body, {"errorInformation", "errorCode"});
}

/// A DFSP as the switch sees it.
class test_fsp
{
public:
    test_fsp(asio::io_context& ioc, std::string name)
        : name_(std::move(name))
        , ex_(asio::make_strand(ioc))
        , client_(ex_, net::client_options{.name = name_})
    {
        routes_->set_fallback([this](net::request const& r, bool) { return record(r); });
        server_ = std::make_unique<net::server>(ex_, routes_, net::server_options{.name = name_});
        server_->listen();
        server_->start();
    }
    ~test_fsp() { stop(); }
    test_fsp(test_fsp const&) = delete;
    test_fsp& operator=(test_fsp const&) = delete;

    void stop()
    {
        server_->stop();
        client_.close();
    }

    [[nodiscard]] std::string const& name() const noexcept { return name_; }
    [[nodiscard]] std::string base_url() const { return server_->base_url(); }

    /// The status every callback gets (a failing FSP answers 500).
    unsigned answer_status = 0;

    /// The next message with this method and path, received already or within `timeout`.
    net::awaitable<std::optional<net::request>> expect(net::method m, std::string path,
                                                       std::chrono::milliseconds timeout = 5s)
    {
        for(auto it = received_.begin(); it != received_.end(); ++it)
        {
            if(it->method == m && it->path() == path)
            {
                auto r = std::move(*it);
                received_.erase(it);
                co_return r;
            }
        }
        auto const ex = co_await asio::this_coro::executor;
        net::one_shot<net::request> shot(ex);
        waiter_ = {m, std::move(path), &shot};
        auto r = co_await shot.wait(timeout);
        waiter_ = {};
        co_return r;
    }

    /// Messages received and not yet expected.
    [[nodiscard]] std::deque<net::request> const& unexpected() const noexcept { return received_; }

    /// An FSPIOP message from this FSP (Accept on POST/GET/DELETE).
    net::request make(net::method m, std::string path, std::string body, std::string destination = {},
                      std::string version = "1.1") const
    {
        net::request r;
        r.method = m;
        r.target = std::move(path);
        auto const resource = fspiop::resource_of_path(r.target);
        if(m == net::method::post || m == net::method::get || m == net::method::delete_)
            r.fields.add("Accept", media(resource, version));
        r.fields.add("Content-Type", media(resource, version));
        r.fields.add("Date", core::format_http_date(std::chrono::system_clock::now()));
        r.fields.add("FSPIOP-Source", name_);
        if(!destination.empty())
            r.fields.add("FSPIOP-Destination", std::move(destination));
        r.body = std::move(body);
        return r;
    }

    /// Send to the switch (its base URL); the synchronous answer.
    net::awaitable<net::response> send(std::string switch_url, net::request req)
    {
        auto const url = switch_url + req.target;
        auto r = co_await client_.send(url, std::move(req));
        REQUIRE(r);
        co_return std::move(*r);
    }

private:
    struct waiter
    {
        net::method method = net::method::unknown;
        std::string path;
        net::one_shot<net::request>* shot = nullptr;
    };

    net::response record(net::request const& r)
    {
        if(waiter_.shot && waiter_.method == r.method && waiter_.path == r.path())
        {
            auto* shot = waiter_.shot;
            waiter_ = {};
            shot->deliver(r);
        }
        else
            received_.push_back(r);
        if(answer_status)
            return net::make_empty(answer_status);
        bool const request = r.method == net::method::post || r.method == net::method::get ||
                             r.method == net::method::delete_;
        return net::make_empty(request ? 202 : 200);
    }

    std::string name_;
    net::executor ex_;
    std::shared_ptr<net::router> routes_ = std::make_shared<net::router>();
    std::unique_ptr<net::server> server_;
    net::client client_;
    std::deque<net::request> received_;
    waiter waiter_;
};

/// The endpoints an operator registers for a DFSP at `base` (fspiop.md §7.7).
inline std::vector<std::pair<std::string, std::string>>
endpoints_for(std::string const& base)
{
    return {
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_PUT", base + "/participants/{{partyIdType}}/{{partyIdentifier}}"},
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR", base + "/participants/{{partyIdType}}/{{partyIdentifier}}/error"},
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT",
         base + "/participants/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}"},
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT_ERROR",
         base + "/participants/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}/error"},
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT", base + "/participants/{{requestId}}"},
        {"FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR", base + "/participants/{{requestId}}/error"},
        {"FSPIOP_CALLBACK_URL_PARTIES_GET", base + "/parties/{{partyIdType}}/{{partyIdentifier}}"},
        {"FSPIOP_CALLBACK_URL_PARTIES_PUT", base + "/parties/{{partyIdType}}/{{partyIdentifier}}"},
        {"FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR", base + "/parties/{{partyIdType}}/{{partyIdentifier}}/error"},
        {"FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET",
         base + "/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}"},
        {"FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT",
         base + "/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}"},
        {"FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR",
         base + "/parties/{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}/error"},
        {"FSPIOP_CALLBACK_URL_QUOTES", base},
        {"FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE", base},
        {"FSPIOP_CALLBACK_URL_AUTHORIZATIONS", base},
        {"FSPIOP_CALLBACK_URL_TRANSFER_POST", base + "/transfers"},
        {"FSPIOP_CALLBACK_URL_TRANSFER_PUT", base + "/transfers/{{transferId}}"},
        {"FSPIOP_CALLBACK_URL_TRANSFER_ERROR", base + "/transfers/{{transferId}}/error"},
    };
}

/// The switch with dfsp1 and dfsp2 onboarded.
class world
{
public:
    /// `clock` (the switch's) must outlive the io_context's run.
    explicit world(asio::io_context& ioc, central::switch_config cfg = config(),
                   core::clock const& clock = core::system_clock::instance())
        : switch_(std::make_unique<central::switch_actor>(ioc, std::move(cfg), clock))
        , hub(*switch_)
        , dfsp1(ioc, "dfsp1")
        , dfsp2(ioc, "dfsp2")
        , admin_ex_(asio::make_strand(ioc))
        , admin_client_(admin_ex_, net::client_options{.name = "operator"})
    {
        ports = hub.start();
    }
    ~world()
    {
        if(switch_)
            switch_->stop();
        admin_client_.close();
    }

    /// Destroy the switch now (the lifetime tests); `hub` must not be used after.
    void destroy_switch() { switch_.reset(); }
    world(world const&) = delete;
    world& operator=(world const&) = delete;

    static central::switch_config config()
    {
        central::switch_config c;
        c.fspiop_port = 0;
        c.admin_port = 0;
        c.expiry_sweep_interval = 20ms;
        c.callback_timeout = 2s;
        return c;
    }

    /// An Admin API call with a JSON body.
    net::awaitable<net::response> admin(net::method m, std::string path, std::string body = {})
    {
        net::request r;
        r.method = m;
        r.target = std::move(path);
        if(!body.empty())
            r.fields.add("Content-Type", "application/json");
        r.body = std::move(body);
        auto const url = hub.admin_url() + r.target;
        auto res = co_await admin_client_.send(url, std::move(r));
        REQUIRE(res);
        co_return std::move(*res);
    }

    /// Hub accounts and the DEFERRED_NET settlement model for USD.
    net::awaitable<void> onboard_hub()
    {
        for(auto const* type : {"HUB_MULTILATERAL_SETTLEMENT", "HUB_RECONCILIATION"})
        {
            auto r = co_await admin(net::method::post, "/participants/Hub/accounts",
                                    std::string(R"({"type":")") + type + R"(","currency":"USD"})");
            REQUIRE(r.status == 201);
        }
        auto r = co_await admin(net::method::post, "/settlementModels",
                                R"({"name":"DEFERRED_NET","settlementGranularity":"NET",)"
                                R"("settlementInterchange":"MULTILATERAL","settlementDelay":"DEFERRED",)"
                                R"("requireLiquidityCheck":true,"ledgerAccountType":"POSITION",)"
                                R"("settlementAccountType":"SETTLEMENT","autoPositionReset":true})");
        REQUIRE(r.status == 201);
    }

    /// A DFSP: participant, limits, callback endpoints, deposit.
    net::awaitable<void> onboard(test_fsp const& f, std::string ndc, std::string funds)
    {
        auto r = co_await admin(net::method::post, "/participants",
                                R"({"name":")" + f.name() + R"(","currency":"USD"})");
        REQUIRE(r.status == 201);
        r = co_await admin(net::method::post, "/participants/" + f.name() + "/initialPositionAndLimits",
                           R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":)" + ndc +
                               R"(},"initialPosition":0})");
        REQUIRE(r.status == 201);
        for(auto const& [type, value] : endpoints_for(f.base_url()))
        {
            r = co_await admin(net::method::post, "/participants/" + f.name() + "/endpoints",
                               R"({"type":")" + type + R"(","value":")" + value + R"("})");
            REQUIRE(r.status == 201);
        }
        r = co_await admin(net::method::get, "/participants/" + f.name() + "/accounts");
        REQUIRE(r.status == 200);
        auto accounts = boost::json::parse(r.body).as_array();
        std::string settlement_id;
        for(auto const& a : accounts)
            if(a.at("ledgerAccountType") == "SETTLEMENT")
                settlement_id = std::to_string(a.at("id").as_int64());
        REQUIRE(!settlement_id.empty());
        r = co_await admin(net::method::post, "/participants/" + f.name() + "/accounts/" + settlement_id,
                           R"({"transferId":")" + ids.uuid_v4() +
                               R"(","externalReference":"deposit","action":"recordFundsIn","reason":"deposit",)"
                               R"("amount":{"amount":")" + funds + R"(","currency":"USD"}})");
        REQUIRE(r.status == 202);
    }

    /// The usual setup: hub, dfsp1 and dfsp2 with NDC 1000 and 5000 deposited.
    net::awaitable<void> setup(std::string ndc = "1000", std::string funds = "5000")
    {
        co_await onboard_hub();
        co_await onboard(dfsp1, ndc, funds);
        co_await onboard(dfsp2, ndc, funds);
    }

    std::string fspiop() const { return hub.fspiop_url(); }

    /// dfsp1 sends a prepare of `id` for `amount` USD to dfsp2; the prepare as dfsp2 got it
    /// (empty when it did not arrive).
    net::awaitable<std::optional<net::request>> prepare(std::string id, std::string amount)
    {
        auto req = dfsp1.make(net::method::post, "/transfers", prepare_body(id, std::move(amount)), "dfsp2");
        co_await dfsp1.send(fspiop(), std::move(req));
        auto got = co_await dfsp2.expect(net::method::post, "/transfers");
        co_return got;
    }

    /// A prepare body from dfsp1 to dfsp2 whose fulfilment is fulfilment_of(id).
    static std::string prepare_body(std::string const& id, std::string amount, std::chrono::milliseconds expires = 30s,
                                    std::string payer = "dfsp1", std::string payee = "dfsp2")
    {
        fspiop::post_transfers t;
        t.transfer_id = id;
        t.payer_fsp = std::move(payer);
        t.payee_fsp = std::move(payee);
        t.amount = {"USD", std::move(amount)};
        t.ilp_packet = "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0sxLjAKTm9uY2U6IHVJ";
        t.condition = *fspiop::make_condition(fulfilment_of(id));
        t.expiration = core::format_datetime(std::chrono::system_clock::now() + expires);
        return fspiop::encode(t);
    }

    static std::string fulfilment_of(std::string const& id) { return fspiop::base64url_encode(fspiop::sha256(id)); }

    static std::string fulfil_body(std::string const& id, std::string state = "COMMITTED",
                                   std::string fulfilment = {})
    {
        fspiop::put_transfers p;
        p.fulfilment = fulfilment.empty() ? fulfilment_of(id) : std::move(fulfilment);
        p.completed_timestamp = core::format_datetime(std::chrono::system_clock::now());
        p.transfer_state = *fspiop::from_string<fspiop::transfer_state>(state);
        return fspiop::encode(p);
    }

    std::string new_id() { return ids.uuid_v4(); }

private:
    std::unique_ptr<central::switch_actor> switch_;

public:
    central::switch_actor& hub;
    central::switch_ports ports;
    test_fsp dfsp1;
    test_fsp dfsp2;
    core::id_generator ids;

private:
    net::executor admin_ex_;
    net::client admin_client_;
};

} // namespace mojasim::test
