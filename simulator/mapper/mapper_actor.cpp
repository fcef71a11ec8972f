#include "simulator/mapper/mapper_actor.hpp"

#include "simulator/core/log.hpp"
#include "simulator/mapper/g2p.hpp"
#include "simulator/mapper/phee.hpp"
#include "simulator/net/health.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace mojasim::mapper {

namespace json = boost::json;

namespace {

constexpr std::string_view json_type = "application/json";

std::optional<std::int64_t> int_param(net::request const& req, std::string_view name, std::int64_t fallback)
{
    auto v = req.query_param(name);
    if(!v)
        return fallback;
    std::int64_t out = 0;
    auto const [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if(ec != std::errc{} || p != v->data() + v->size())
        return std::nullopt;
    return out;
}

/// The PH-EE callbacks' new requestID: 12 digits, a timestamp prefix as PH-EE's generator makes.
std::string new_request_id(std::int64_t unix_ms, std::uint64_t random)
{
    auto s = std::to_string(unix_ms) + std::to_string(random % 1000000);
    return s.substr(0, 12);
}

} // namespace

mapper_state::mapper_state(net::executor ex, mapper_config cfg, core::clock const& clock)
    : ex_(ex)
    , cfg_(std::move(cfg))
    , clock_(clock)
    , log_(core::logger(cfg_.name))
    , ids_(cfg_.id_seed ? core::id_generator(*cfg_.id_seed) : core::id_generator())
    , client_(ex, net::client_options{16, std::chrono::milliseconds(5'000), cfg_.callback_timeout, 0, 64 * 1024 * 1024,
                                      cfg_.name})
{
    for(auto& e : cfg_.seed)
        store_.put(e);
    cfg_.seed.clear();

    auto add = [this](net::method m, std::string_view path, net::awaitable<net::response> (mapper_state::*h)(net::request)) {
        routes_.add(m, path, [this, h](net::request r) { return (this->*h)(std::move(r)); });
    };
    // PH-EE's identity-account-mapper.
    add(net::method::post, "/beneficiary", &mapper_state::on_register);
    add(net::method::put, "/beneficiary", &mapper_state::on_update);
    add(net::method::get, "/beneficiary", &mapper_state::on_lookup);
    add(net::method::post, "/paymentModality", &mapper_state::on_add_modality);
    add(net::method::put, "/paymentModality", &mapper_state::on_update_modality);
    add(net::method::post, "/accountLookup", &mapper_state::on_batch_lookup);
    add(net::method::get, "/beneficiaries/{payeeIdentity}", &mapper_state::on_fetch_one);
    add(net::method::get, "/beneficiaries", &mapper_state::on_fetch_page);
    add(net::method::put, "/accountLookupCallback", &mapper_state::on_own_callback);
    add(net::method::put, "/batchAccountLookupCallback", &mapper_state::on_own_callback);
    // G2P Connect, as SPAR serves it.
    for(std::string action : {"link", "update", "resolve", "unlink"})
    {
        routes_.add(net::method::post, "/mapper/" + action,
                    [this, action](net::request r) { return on_g2p(std::move(r), action, false); });
        routes_.add(net::method::post, "/mapper/sync/" + action,
                    [this, action](net::request r) { return on_g2p(std::move(r), action, true); });
    }
    add(net::method::get, "/ping", &mapper_state::on_ping);
    // SPAR's Mojaloop ALS oracle: the switch's POST /oracles names {url}/internal/mojaloop.
    add(net::method::get, "/internal/mojaloop/participants/{Type}/{ID}", &mapper_state::on_als_participants);
    add(net::method::get, "/health", &mapper_state::on_health);
    routes_.set_fallback([this](net::request const& req, bool path_matched) {
        return spring_error(path_matched ? 405 : 404, req);
    });
}

mapper_state::~mapper_state() = default;

void
mapper_state::make_server()
{
    net::server_options o;
    o.host = cfg_.host;
    o.port = cfg_.port;
    o.read_timeout = cfg_.read_timeout;
    o.body_limit = cfg_.body_limit;
    o.name = cfg_.name;
    server_ = std::make_unique<net::server>(ex_, std::shared_ptr<net::router const>(shared_from_this(), &routes_), o);
}

void
mapper_state::start()
{
    server_->listen();
    server_->start();
}

void
mapper_state::stop()
{
    server_->stop();
    client_.close();
}

std::uint16_t mapper_state::port() const noexcept { return server_->port(); }
std::string mapper_state::url() const { return server_->base_url(); }
std::uint64_t mapper_state::requests_served() const noexcept { return server_ ? server_->requests_served() : 0; }

void
mapper_state::set_trace(net::trace_sink sink)
{
    server_->set_trace(sink);
    client_.set_trace(std::move(sink));
}

net::response
mapper_state::spring_error(unsigned status, net::request const& req) const
{
    json::object o;
    o["timestamp"] = core::format_datetime(clock_.now());
    o["status"] = status;
    o["error"] = status == 400 ? "Bad Request" : status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed"
                                                                                             : "Internal Server Error";
    o["path"] = std::string(req.path());
    return net::make_response(status, json::serialize(o), json_type);
}

void
mapper_state::call_back(std::string url, net::method m, std::string body)
{
    net::spawn(ex_, send_callback(std::move(url), m, std::move(body)), cfg_.name, shared_from_this());
}

net::awaitable<void>
mapper_state::send_callback(std::string url, net::method m, std::string body)
{
    // One try, the answer ignored: as PH-EE's mapper and SPAR do.
    net::request req;
    req.method = m;
    req.fields.set("Content-Type", json_type);
    req.body = std::move(body);
    auto res = co_await client_.send(url, std::move(req), cfg_.callback_timeout);
    if(res)
        ++callbacks_sent_;
    else
        log_->warn("callback to {} failed: {}", url, res.error().message());
}

//------------------------------------------------------------------------------
// PH-EE face

net::awaitable<net::response>
mapper_state::write(net::request req, int op_index, bool check_request_id)
{
    auto const op = static_cast<phee::operation>(op_index);
    auto const callback = req.fields.copy("X-CallbackURL");
    auto const institution = req.fields.copy("X-Registering-Institution-ID");
    bool const intercepted = op == phee::operation::register_beneficiary || op == phee::operation::update_beneficiary;
    if(!callback || !institution || callback->empty() || institution->empty())
    {
        if(intercepted)
            co_return net::make_response(400, phee::header_error_body(), json_type);
        co_return spring_error(400, req);
    }
    auto dto = phee::decode_request(req.body);
    if(!dto)
        co_return net::make_response(400, phee::schema_error_body(), json_type);
    if(check_request_id && !phee::valid_request_id(dto->request_id))
        co_return net::make_response(400, phee::schema_error_body(), json_type);

    auto failed = phee::apply(store_, *institution, *dto, op);
    auto const id = new_request_id(core::unix_ms(clock_.now()), ids_.next());
    call_back(*callback, net::method::put, phee::callback_body(id, dto->request_id, failed));
    co_return net::make_response(202, phee::ack_body(true, dto->request_id), json_type);
}

net::awaitable<net::response> mapper_state::on_register(net::request req)
{
    return write(std::move(req), static_cast<int>(phee::operation::register_beneficiary), true);
}
net::awaitable<net::response> mapper_state::on_update(net::request req)
{
    return write(std::move(req), static_cast<int>(phee::operation::update_beneficiary), true);
}
net::awaitable<net::response> mapper_state::on_add_modality(net::request req)
{
    return write(std::move(req), static_cast<int>(phee::operation::add_modality), false);
}
net::awaitable<net::response> mapper_state::on_update_modality(net::request req)
{
    return write(std::move(req), static_cast<int>(phee::operation::update_modality), false);
}

net::awaitable<net::response>
mapper_state::on_lookup(net::request req)
{
    auto const institution = req.fields.copy("X-Registering-Institution-ID");
    auto const callback = req.fields.copy("X-CallbackURL");
    auto const payee = req.query_param("payeeIdentity");
    auto const modality = req.query_param("paymentModality");
    auto const request_id = req.query_param("requestId");
    if(!institution || !callback || !payee || !modality || !request_id)
        co_return spring_error(400, req);

    auto const* e = store_.find(*institution, *payee);
    bool const validated = e && cfg_.validate_accounts && modality_code(*modality).has_value();
    if(cfg_.external_lookup)
    {
        // An unknown payee ends PH-EE's async task in an exception: no callback at all.
        if(e)
            call_back(*callback, net::method::put, phee::single_lookup_body(*request_id, *e, validated));
        else
            log_->info("lookup {}: payee {} unknown under {}: no callback (as PH-EE)", *request_id, *payee, *institution);
        co_return net::make_response(202, phee::ack_body(true, request_id), json_type);
    }
    if(!e)
        co_return net::make_response(500, phee::ack_body(false, request_id), json_type);
    if(!validated)
        co_return net::make_response(400, phee::ack_body(false, request_id), json_type);
    co_return net::make_response(200, phee::single_lookup_body(*request_id, *e, validated), json_type);
}

net::awaitable<net::response>
mapper_state::on_batch_lookup(net::request req)
{
    auto const institution = req.fields.copy("X-Registering-Institution-ID");
    auto const callback = req.fields.copy("X-CallbackURL");
    if(!institution || !callback)
        co_return spring_error(400, req);
    auto dto = phee::decode_request(req.body);
    if(!dto)
        co_return spring_error(400, req);
    if(cfg_.lose_batch_callbacks)
        log_->warn("batch lookup {}: callback lost (fault)", dto->request_id.value_or("null"));
    else
        call_back(*callback, net::method::put, phee::batch_lookup_body(dto->request_id, *institution, store_, *dto));
    co_return net::make_response(202, phee::ack_body(true, dto->request_id), json_type);
}

net::awaitable<net::response>
mapper_state::on_fetch_one(net::request req)
{
    auto const institution = req.fields.value_or("X-Registering-Institution-ID");
    if(institution.find_first_not_of(" \t") == std::string_view::npos)
        co_return net::make_empty(400);
    auto const payee = std::string(req.params.get("payeeIdentity"));
    co_return net::make_response(200, phee::fetch_body(institution, payee, store_.find(institution, payee)), json_type);
}

net::awaitable<net::response>
mapper_state::on_fetch_page(net::request req)
{
    auto const institution = std::string(req.fields.value_or("X-Registering-Institution-ID"));
    if(institution.find_first_not_of(" \t") == std::string::npos)
        co_return net::make_empty(400);
    auto const page = int_param(req, "page", 0);
    auto const size = int_param(req, "pageSize", 20);
    if(!page || !size || *page < 0 || *size < 1)
        co_return spring_error(400, req);
    auto const all = store_.all(std::string_view(institution));
    auto const total = static_cast<std::int64_t>(all.size());
    json::array content;
    for(auto i = *page * *size; i < std::min(total, (*page + 1) * *size); ++i)
    {
        auto const* e = all[static_cast<std::size_t>(i)];
        content.push_back(json::parse(phee::fetch_body(institution, e->identity, e)));
    }
    auto const pages = (total + *size - 1) / *size;
    json::object o;
    auto const n = content.size();
    o["content"] = std::move(content);
    o["totalElements"] = total;
    o["totalPages"] = pages;
    o["size"] = *size;
    o["number"] = *page;
    o["numberOfElements"] = n;
    o["first"] = *page == 0;
    o["last"] = *page + 1 >= pages;
    o["empty"] = n == 0;
    co_return net::make_response(200, json::serialize(o), json_type);
}

net::awaitable<net::response>
mapper_state::on_own_callback(net::request)
{
    // PH-EE's mapper publishes these to Zeebe; here the hub takes the callback itself.
    co_return net::make_response(200, "Accepted", "text/plain;charset=UTF-8");
}

//------------------------------------------------------------------------------
// G2P Connect face

net::awaitable<net::response>
mapper_state::on_g2p(net::request req, std::string action, bool sync)
{
    auto e = g2p::parse(req.body, action);
    if(!e)
        co_return net::make_response(e.error().status, e.error().body, json_type);
    g2p::answer_options o;
    o.correlation_id = ids_.uuid_v4();
    o.now = core::format_datetime(clock_.now());
    o.sender_id = cfg_.g2p_sender_id;
    auto body = g2p::process(store_, *e, o);
    if(sync)
        co_return net::make_response(200, std::move(body), json_type);

    auto base = e->sender_uri.empty() ? cfg_.g2p_default_callback_url : e->sender_uri;
    while(!base.empty() && base.back() == '/')
        base.pop_back();
    if(base.empty())
        log_->info("{} {}: no sender_uri and no default callback URL: no callback", action, e->message_id);
    else
        call_back(base + "/on-" + action, net::method::post, std::move(body));
    co_return net::make_response(200, g2p::ack_body(o.now, o.correlation_id), json_type);
}

net::awaitable<net::response>
mapper_state::on_als_participants(net::request req)
{
    auto a = g2p::als_participants(store_, req.params.get("Type"), req.params.get("ID"));
    co_return net::make_response(a.status, std::move(a.body), json_type);
}

net::awaitable<net::response>
mapper_state::on_ping(net::request)
{
    co_return net::make_response(200, R"({"message":"pong"})", json_type);
}

net::awaitable<net::response>
mapper_state::on_health(net::request)
{
    co_return net::health_response(made_, {});
}

//------------------------------------------------------------------------------

mapper_actor::mapper_actor(net::executor ex, mapper_config cfg, core::clock const& clock)
    : s_(std::make_shared<mapper_state>(std::move(ex), std::move(cfg), clock))
{
    s_->make_server();
}

mapper_actor::~mapper_actor()
{
    s_->stop();
}

} // namespace mojasim::mapper
