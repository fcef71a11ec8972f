// The whole world (switch, DFSP1 with its connector, DFSP2, the Payment Hub) on 127.0.0.1
// port 0, seen by a hostile client: every listener by its API, FSPIOP messages written by
// hand, and the checks made after each attack class: every listener still answers, a real
// payment still completes, and money is conserved (sum of positions 0, each bank's books equal
// its position, nothing reserved at the switch, nothing blocked at a bank, nothing in flight).
#pragma once

#include <stdexcept>

#include "payment-hub/payment_hub.hpp"
#include "simulator/central/switch_actor.hpp"
#include "simulator/core/clock.hpp"
#include "simulator/core/ids.hpp"
#include "simulator/core/log.hpp"
#include "simulator/dfsp/dfsp_actor.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/ledger/transfer_book.hpp"
#include "tests/integration/hostile/raw_http.hpp"
#include "tools/scenario/world.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mojasim::test {

using namespace std::chrono_literals;
using core::decimal;
namespace json = boost::json;

inline decimal dec(std::string_view s)
{
    return *decimal::parse(s);
}

/// What a listener speaks, which decides the error bodies it owes.
enum class api
{
    fspiop,    ///< switch, DFSP1, DFSP2: FSPIOP error bodies
    admin,     ///< the switch's Admin API: FSPIOP error bodies too
    connector, ///< DFSP1's Mojaloop connector (SDK outbound API)
    test_api,  ///< the DFSPs' test APIs
    hub_bulk,  ///< PH-EE bulk processor
    hub_ops,   ///< PH-EE operations app
};

struct listener
{
    std::string name;
    std::uint16_t port = 0;
    api kind = api::fspiop;
};

inline std::uint16_t port_of(std::string const& url)
{
    return static_cast<std::uint16_t>(std::stoul(url.substr(url.rfind(':') + 1)));
}

/// A JSON member as text ("" when the body is not JSON or the member is absent).
inline std::string json_at(std::string_view body, std::initializer_list<std::string_view> path)
{
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if(ec)
        return {};
    json::value const* cur = &v;
    for(auto key : path)
    {
        auto const* o = cur->if_object();
        if(!o || !o->contains(key))
            return {};
        cur = &o->at(key);
    }
    return cur->is_string() ? std::string(cur->get_string()) : json::serialize(*cur);
}

inline std::string fspiop_code(http_reply const& r)
{
    return json_at(r.body, {"errorInformation", "errorCode"});
}

inline std::string media(std::string_view resource)
{
    return "application/vnd.interoperability." + std::string(resource) + "+json;version=1.1";
}

/// An FSPIOP request's text, with the headers a DFSP sends.
inline std::string fspiop_text(std::string_view method, std::string const& target, std::string_view source,
                               std::string_view destination, std::string_view body)
{
    auto const resource = target.substr(1, target.find('/', 1) - 1);
    std::vector<std::pair<std::string, std::string>> f{
        {"Content-Type", media(resource)},
        {"Date", core::format_http_date(std::chrono::system_clock::now())},
        {"FSPIOP-Source", std::string(source)}};
    if(method == "POST" || method == "GET")
        f.emplace_back("Accept", media(resource));
    if(!destination.empty())
        f.emplace_back("FSPIOP-Destination", std::string(destination));
    return http_text(method, target, f, body);
}

/// Connect, send, read one answer; fails the test when there is none.
inline http_reply roundtrip(std::uint16_t port, std::string const& text)
{
    raw_conn c(port);
    REQUIRE(c.send(text));
    auto r = c.read_reply();
    INFO(text.substr(0, 200));
    REQUIRE(r);
    return std::move(*r);
}

/// Wait until `condition()` holds, checking every 5 ms, for at most `limit`.
inline bool eventually(std::function<bool()> const& condition, std::chrono::milliseconds limit = 10s)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    while(!condition())
    {
        if(std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

inline constexpr char const* payer_msisdn = "0413356886";
inline constexpr char const* amina = "0495000001";
inline constexpr char const* brian = "0495000002";

// Test figures stay far inside the decimal range; a sum that did not fit is a test failure.
inline decimal plus(decimal a, decimal b)
{
    auto const r = checked_add(a, b);
    if(!r)
        throw std::overflow_error("test figure out of range");
    return *r;
}
inline decimal minus(decimal a, decimal b)
{
    auto const r = checked_sub(a, b);
    if(!r)
        throw std::overflow_error("test figure out of range");
    return *r;
}

struct hostile_options
{
    std::chrono::milliseconds read_timeout{0};
    std::chrono::milliseconds transfer_expiry{30'000};
    std::vector<scenario::fault> faults;
    net::trace_sink trace;
};

class hostile_world
{
public:
    explicit hostile_world(hostile_options o = {}) : w_(topology(o), people(), o.faults, options(o))
    {
        core::set_log_level("off");
        w_.start();
        treasury_start_ = *w_.balance("dfsp1", "treasury");
    }

    scenario::world& world() noexcept { return w_; }

    [[nodiscard]] std::vector<listener> listeners() const
    {
        auto& w = const_cast<scenario::world&>(w_);
        auto* d1 = w.bank("dfsp1");
        auto* d2 = w.bank("dfsp2");
        return {
            {"switch FSPIOP", port_of(w.switch_fspiop_url()), api::fspiop},
            {"switch Admin", port_of(w.switch_admin_url()), api::admin},
            {"dfsp1 FSPIOP", port_of(d1->fspiop_url()), api::fspiop},
            {"dfsp1 connector", port_of(d1->connector_url()), api::connector},
            {"dfsp1 test API", port_of(d1->test_url()), api::test_api},
            {"dfsp2 FSPIOP", port_of(d2->fspiop_url()), api::fspiop},
            {"dfsp2 test API", port_of(d2->test_url()), api::test_api},
            {"hub bulk", port_of(w.hub_bulk_url()), api::hub_bulk},
            {"hub operations", port_of(w.hub_ops_url()), api::hub_ops},
        };
    }

    std::uint16_t port(api kind, std::string_view name_prefix = {}) const
    {
        for(auto const& l : listeners())
            if(l.kind == kind && l.name.starts_with(name_prefix))
                return l.port;
        FAIL("no listener");
        return 0;
    }

    /// Test FSPs onboarded by the test itself (their positions count in the sum).
    std::vector<std::string> extra_fsps;

    /// The figures conservation is judged on, read on each actor's executor.
    struct figures
    {
        decimal sum_of_positions;
        decimal dfsp1_position;
        decimal dfsp2_position;
        decimal treasury_out; ///< what left DFSP1's treasury
        decimal dfsp2_books;  ///< the sum of DFSP2's accounts
        decimal blocked;      ///< funds blocked at both banks
        std::size_t blocks = 0;
        std::size_t reserved_at_switch = 0;
        std::size_t connector_in_flight = 0;
        std::size_t hub_in_flight = 0;

        [[nodiscard]] bool conserved() const
        {
            return sum_of_positions.is_zero() && treasury_out == dfsp1_position && dfsp2_books == -dfsp2_position &&
                   blocked.is_zero() && blocks == 0 && reserved_at_switch == 0 && connector_in_flight == 0 &&
                   hub_in_flight == 0;
        }
        [[nodiscard]] std::string text() const
        {
            return "positions sum " + sum_of_positions.to_string() + ", dfsp1 " + dfsp1_position.to_string() +
                   ", dfsp2 " + dfsp2_position.to_string() + ", treasury out " + treasury_out.to_string() +
                   ", dfsp2 books " + dfsp2_books.to_string() + ", blocked " + blocked.to_string() + " in " +
                   std::to_string(blocks) + ", reserved at switch " + std::to_string(reserved_at_switch) +
                   ", connector in flight " + std::to_string(connector_in_flight) + ", hub in flight " +
                   std::to_string(hub_in_flight);
        }
    };

    figures read()
    {
        figures f;
        f.dfsp1_position = w_.position("dfsp1").value_or(decimal{});
        f.dfsp2_position = w_.position("dfsp2").value_or(decimal{});
        f.sum_of_positions = plus(f.dfsp1_position, f.dfsp2_position);
        for(auto const& fsp : extra_fsps)
            f.sum_of_positions = plus(f.sum_of_positions, w_.position(fsp).value_or(decimal{}));
        f.treasury_out = minus(treasury_start_, *w_.balance("dfsp1", "treasury"));
        auto& sw = w_.switch_actor();
        f.reserved_at_switch = w_.on(sw.executor(), [&] { return sw.transfers().in_flight(); });
        for(auto const* fsp : {"dfsp1", "dfsp2"})
        {
            auto* b = w_.bank(fsp);
            w_.on(b->executor(), [&] {
                f.blocked = plus(f.blocked, b->total_blocked().value_or(decimal{}));
                f.blocks += b->block_count();
                if(b == &w_.payer())
                    f.connector_in_flight = b->stats().outbound_in_flight;
                else
                    for(auto const& a : b->accounts())
                        f.dfsp2_books = plus(f.dfsp2_books, a.balance);
                return 0;
            });
        }
        auto& hub = w_.hub();
        f.hub_in_flight = w_.on(w_.ioc().get_executor(), [&] { return hub.in_flight(); });
        return f;
    }

    /// Money is conserved once the notices still on their way have arrived.
    void require_conserved(std::chrono::milliseconds limit = 15s)
    {
        figures last;
        bool const ok = eventually([&] {
            last = read();
            return last.conserved();
        }, limit);
        INFO(last.text());
        REQUIRE(ok);
    }

    /// Every listener answers a plain request with a whole response.
    void require_all_listeners_serve()
    {
        for(auto const& l : listeners())
        {
            INFO(l.name);
            raw_conn c(l.port);
            REQUIRE(c.send(http_text("GET", "/", {})));
            auto const r = c.read_reply();
            REQUIRE(r);
            CHECK(r->status >= 200);
            CHECK(r->status < 500);
        }
        auto const health = roundtrip(port(api::admin), http_text("GET", "/health"));
        CHECK(health.status == 200);
        auto const batches =
            roundtrip(port(api::hub_ops), http_text("GET", "/api/v1/batches", {{"Platform-TenantId", "greenbank"}}));
        CHECK(batches.status == 200);
    }

    /// The connector's POST /transfers body: `amount` USD from the treasury to `msisdn`.
    std::string payment_body(std::string_view msisdn, std::string_view amount)
    {
        return R"({"homeTransactionId":")" + ids.uuid_v4() + R"(","from":{"idType":"MSISDN","idValue":")" +
               payer_msisdn + R"("},"to":{"idType":"MSISDN","idValue":")" + std::string(msisdn) +
               R"("},"amountType":"RECEIVE","currency":"USD","amount":")" + std::string(amount) +
               R"(","transactionType":"TRANSFER"})";
    }

    /// A payment through DFSP1's connector, answered once it is done.
    http_reply pay(std::string_view msisdn, std::string_view amount)
    {
        raw_conn c(port(api::connector), 30s);
        REQUIRE(c.send(http_text("POST", "/transfers", {{"Content-Type", "application/json"}}, payment_body(msisdn, amount))));
        auto r = c.read_reply();
        REQUIRE(r);
        return std::move(*r);
    }

    /// After an attack class: the world still serves (every listener answers, a payment
    /// completes end to end) and money is conserved before and after that payment.
    void require_intact()
    {
        require_conserved();
        require_all_listeners_serve();
        auto const before = read();
        auto const r = pay(amina, "1");
        INFO(r.body);
        CHECK(r.status == 200);
        CHECK(json_at(r.body, {"currentState"}) == "COMPLETED");
        require_conserved();
        CHECK(read().dfsp1_position == plus(before.dfsp1_position, dec("1")));
    }

    /// An ISO 8601 expiration `from_now` ahead (negative: in the past).
    static std::string expiration(std::chrono::milliseconds from_now)
    {
        return core::format_datetime(std::chrono::system_clock::now() + from_now);
    }

    /// A prepare from `payer` to `payee` whose fulfilment the test knows.
    struct prepare
    {
        std::string id;
        std::string fulfilment;
        std::string body;
    };

    prepare make_prepare(std::string_view payer, std::string_view payee, std::string_view amount,
                         std::chrono::milliseconds expires_in = 30s)
    {
        prepare p;
        p.id = ids.uuid_v4();
        std::string const packet = "AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZl";
        p.fulfilment = fspiop::make_fulfilment("hostile-secret", p.id);
        auto const condition = fspiop::make_condition(p.fulfilment);
        REQUIRE(condition);
        p.body = R"({"transferId":")" + p.id + R"(","payerFsp":")" + std::string(payer) + R"(","payeeFsp":")" +
                 std::string(payee) + R"(","amount":{"amount":")" + std::string(amount) +
                 R"(","currency":"USD"},"ilpPacket":")" + packet + R"(","condition":")" + *condition +
                 R"(","expiration":")" + expiration(expires_in) + R"("})";
        return p;
    }

    std::string fulfil_body(prepare const& p)
    {
        return R"({"transferState":"COMMITTED","fulfilment":")" + p.fulfilment + R"(","completedTimestamp":")" +
               core::format_datetime(std::chrono::system_clock::now()) + R"("})";
    }

    /// Onboard a test FSP through the Admin API (the attacker is a participant too), with
    /// liquidity and its callbacks sent to `callback_base`.
    void onboard(std::string const& name, std::string const& callback_base)
    {
        auto const admin = port(api::admin);
        auto post = [&](std::string const& path, std::string const& body) {
            auto const r = roundtrip(admin, http_text("POST", path, {{"Content-Type", "application/json"}}, body));
            INFO(path + " " + r.body);
            REQUIRE(r.status / 100 == 2);
        };
        post("/participants", R"({"name":")" + name + R"(","currency":"USD"})");
        post("/participants/" + name + "/initialPositionAndLimits",
             R"({"currency":"USD","limit":{"type":"NET_DEBIT_CAP","value":100000},"initialPosition":0})");
        for(auto const* type : {"FSPIOP_CALLBACK_URL_TRANSFER_POST", "FSPIOP_CALLBACK_URL_TRANSFER_PUT",
                                "FSPIOP_CALLBACK_URL_TRANSFER_ERROR", "FSPIOP_CALLBACK_URL_QUOTES"})
        {
            std::string value = callback_base;
            if(std::string_view(type) == "FSPIOP_CALLBACK_URL_TRANSFER_PUT")
                value += "/transfers/{{transferId}}";
            else if(std::string_view(type) == "FSPIOP_CALLBACK_URL_TRANSFER_ERROR")
                value += "/transfers/{{transferId}}/error";
            else if(std::string_view(type) == "FSPIOP_CALLBACK_URL_TRANSFER_POST")
                value += "/transfers";
            post("/participants/" + name + "/endpoints", R"({"type":")" + std::string(type) + R"(","value":")" + value + R"("})");
        }
        // Liquidity: funds in on its settlement account.
        auto const accounts = roundtrip(admin, http_text("GET", "/participants/" + name + "/accounts"));
        auto const list = json::parse(accounts.body).as_array();
        std::string settlement;
        for(auto const& a : list)
            if(a.as_object().at("ledgerAccountType").as_string() == "SETTLEMENT")
                settlement = json::serialize(a.as_object().at("id"));
        REQUIRE(!settlement.empty());
        post("/participants/" + name + "/accounts/" + settlement,
             R"({"transferId":")" + ids.uuid_v4() +
                 R"(","externalReference":"hostile","action":"recordFundsIn","reason":"liquidity","amount":{"amount":"100000","currency":"USD"}})");
        extra_fsps.push_back(name);
    }

    core::id_generator ids;

private:
    static scenario::topology topology(hostile_options const& o)
    {
        scenario::topology t;
        t.expiry_sweep = 10ms;
        t.transfer_expiry = o.transfer_expiry;
        t.connector_timeout = 5s;
        return t;
    }
    static std::vector<scenario::beneficiary> people()
    {
        std::vector<scenario::beneficiary> p;
        for(auto const* m : {amina, brian, "0495000003", "0495000004"})
        {
            scenario::beneficiary b;
            b.msisdn = m;
            b.fsp = "dfsp2";
            b.name = "Hostile Test";
            p.push_back(std::move(b));
        }
        return p;
    }
    static scenario::world_options options(hostile_options const& o)
    {
        scenario::world_options w;
        w.threads = 2;
        w.read_timeout = o.read_timeout;
        w.trace = o.trace;
        return w;
    }

    scenario::world w_;
    decimal treasury_start_;
};

} // namespace mojasim::test
