#include "payment-hub/payment_hub.hpp"

#include "payment-hub/account_lookup.hpp"
#include "payment-hub/bulk_flow.hpp"
#include "payment-hub/payment_flow.hpp"

#include "payment-hub/ops_json.hpp"
#include "payment-hub/payment_outcome.hpp"
#include "payment-hub/upload.hpp"
#include "simulator/net/health.hpp"
#include "simulator/connector/codec.hpp"
#include "simulator/core/json_writer.hpp"
#include "simulator/core/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace mojasim::hub {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view json_type = "application/json";

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

/// At most `max` Unicode code points of UTF-8 text (the SDK's Note is 1 to 128).
std::string truncate_code_points(std::string_view s, std::size_t max)
{
    std::size_t n = 0;
    for(std::size_t i = 0; i < s.size(); ++i)
    {
        if((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U)
        {
            if(n == max)
                return std::string(s.substr(0, i));
            ++n;
        }
    }
    return std::string(s);
}

/// An integer query parameter: absent -> fallback; not a number -> nothing.
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

std::optional<std::string> base64_decode(std::string_view in)
{
    auto value = [](char c) -> int {
        if(c >= 'A' && c <= 'Z') return c - 'A';
        if(c >= 'a' && c <= 'z') return c - 'a' + 26;
        if(c >= '0' && c <= '9') return c - '0' + 52;
        if(c == '+') return 62;
        if(c == '/') return 63;
        return -1;
    };
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for(char c : in)
    {
        if(c == '=')
            break;
        int const v = value(c);
        if(v < 0)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if(bits >= 8)
        {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFFU));
        }
    }
    return out;
}

/// A form body or query string: name=value&...
std::optional<std::string> form_param(std::string_view form, std::string_view name)
{
    while(!form.empty())
    {
        auto const amp = form.find('&');
        auto const pair = form.substr(0, amp);
        auto const eq = pair.find('=');
        if(pair.substr(0, eq) == name)
            return net::percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
        if(amp == std::string_view::npos)
            break;
        form.remove_prefix(amp + 1);
    }
    return std::nullopt;
}


} // namespace

// Each tenant's connector, asked for its own health (which includes the switch's) within
// two seconds.
net::awaitable<net::response> hub_state::on_health(net::request)
{
    std::vector<net::health_service> services;
    for(auto const& [name, t] : cfg_.tenants)
    {
        // Locals, not temporaries, in the co_await (g++ 12, docs/engineering.md).
        auto const url = t.connector_url + "/health";
        net::request probe;
        auto const timeout = std::chrono::milliseconds(2'000);
        auto res = co_await client_.send(url, std::move(probe), timeout);
        services.push_back({"connector:" + name, res && res->status == 200});
    }
    co_return net::health_response(made_, services);
}

//------------------------------------------------------------------------------

hub_state::hub_state(net::executor ex, hub_config cfg, core::clock const& clock)
    : ex_(ex)
    , cfg_(std::move(cfg))
    , clock_(clock)
    , log_(core::logger(cfg_.name))
    , ids_(cfg_.id_seed ? core::id_generator(*cfg_.id_seed) : core::id_generator())
    , client_(ex, net::client_options{std::max<std::size_t>(cfg_.max_in_flight, 4), std::chrono::milliseconds(5'000),
                                      cfg_.payment_timeout, 2, 64 * 1024 * 1024, cfg_.name})
    , store_(cfg_.max_batches)
    , wake_(ex, std::chrono::steady_clock::time_point::max())
{
    for(auto const& path : cfg_.bulk_paths)
        bulk_routes_.add(net::method::post, path, [this](net::request r) { return on_upload(std::move(r)); });

    ops_routes_.add(net::method::post, "/oauth/token", [this](net::request r) { return on_token(std::move(r)); });
    ops_routes_.add(net::method::get, "/api/v1/batch", [this](net::request r) { return on_batch_stored(std::move(r)); });
    ops_routes_.add(net::method::get, "/api/v1/batch/detail", [this](net::request r) { return on_batch_detail(std::move(r)); });
    ops_routes_.add(net::method::get, "/api/v1/batch/transactions",
                    [this](net::request r) { return on_batch_transactions(std::move(r)); });
    ops_routes_.add(net::method::get, "/api/v1/batch/{batchId}",
                    [this](net::request r) { return on_batch_aggregate(std::move(r)); });
    ops_routes_.add(net::method::get, "/api/v1/batches", [this](net::request r) { return on_batches(std::move(r)); });
    ops_routes_.add(net::method::get, "/files/{name}", [this](net::request r) { return on_file(std::move(r)); });
    // G2P Connect's disburse API and OpenG2P's interoperability layer (ingress.cpp).
    bulk_routes_.add(net::method::post, "/disburse", [this](net::request r) { return on_disburse(std::move(r), false); });
    bulk_routes_.add(net::method::post, "/disburse/sync/disburse",
                     [this](net::request r) { return on_disburse(std::move(r), true); });
    bulk_routes_.add(net::method::post, "/disburse/txn/status",
                     [this](net::request r) { return on_txn_status(std::move(r), false); });
    bulk_routes_.add(net::method::post, "/disburse/sync/txn/status",
                     [this](net::request r) { return on_txn_status(std::move(r), true); });
    for(auto const& path : cfg_.interop_paths)
        bulk_routes_.add(net::method::post, path, [this](net::request r) { return on_interop(std::move(r)); });
    bulk_routes_.add(net::method::put, "/batchAccountLookupCallback",
                     [this](net::request r) { return on_lookup_callback(std::move(r)); });
    bulk_routes_.add(net::method::get, "/health", [this](net::request r) { return on_health(std::move(r)); });
    ops_routes_.add(net::method::get, "/health", [this](net::request r) { return on_health(std::move(r)); });

    // Unknown paths get Spring Boot's error body, as both PH-EE services answer them.
    auto fallback = [this](net::request const& req, bool path_matched) {
        return spring_error(path_matched ? 405 : 404, req);
    };
    bulk_routes_.set_fallback(fallback);
    ops_routes_.set_fallback(fallback);
}

void
hub_state::make_servers()
{
    // Aliasing pointers: a session serving a request holds the whole state.
    auto const self = shared_from_this();
    net::server_options bulk_opts;
    bulk_opts.host = cfg_.host;
    bulk_opts.port = cfg_.bulk_port;
    bulk_opts.body_limit = cfg_.body_limit();
    bulk_opts.read_timeout = cfg_.read_timeout;
    bulk_opts.name = cfg_.name;
    bulk_server_ = std::make_unique<net::server>(ex_, std::shared_ptr<net::router const>(self, &bulk_routes_), bulk_opts);
    // An upload over the limit is Spring's MaxUploadSizeExceededException: "File not uploaded".
    bulk_server_->set_error_responder([](net::request_error e, std::string_view) {
        if(e == net::request_error::body_too_large)
            return net::make_response(400, std::string(phee_body::file_not_uploaded), json_type);
        return net::make_response(400, R"({"status":400,"error":"Bad Request"})", json_type);
    });

    net::server_options ops_opts;
    ops_opts.host = cfg_.host;
    ops_opts.port = cfg_.ops_port;
    ops_opts.body_limit = 64 * 1024;
    ops_opts.read_timeout = cfg_.read_timeout;
    ops_opts.name = cfg_.name;
    ops_server_ = std::make_unique<net::server>(ex_, std::shared_ptr<net::router const>(self, &ops_routes_), ops_opts);
}

hub_state::~hub_state() = default;

payment_hub::payment_hub(net::executor ex, hub_config cfg, core::clock const& clock)
    : s_(std::make_shared<hub_state>(std::move(ex), std::move(cfg), clock))
{
    s_->make_servers();
}

payment_hub::~payment_hub()
{
    s_->stop();
}

void
hub_state::start()
{
    bulk_server_->listen();
    ops_server_->listen();
    bulk_server_->start();
    ops_server_->start();
    asio::dispatch(ex_, [self = shared_from_this()] {
        if(self->started_ || self->stopping_)
            return;
        self->started_ = true;
        for(std::size_t i = 0; i < self->cfg_.max_in_flight; ++i)
            net::spawn(self->ex_, self->worker(), "hub", self);
        for(std::size_t i = 0; i < self->cfg_.bulk_in_flight; ++i)
            net::spawn(self->ex_, self->bulk_worker(), "hub", self);
    });
}

void
hub_state::stop()
{
    bulk_server_->stop();
    ops_server_->stop();
    client_.close();
    asio::dispatch(ex_, [self = shared_from_this()] {
        self->stopping_ = true;
        self->wake_.cancel();
        for(auto& [key, waiter] : self->finish_waiters_)
            waiter->deliver(false);
        for(auto& [id, waiter] : self->lookups_)
            waiter->deliver(std::string{}); // the waiting lookups end (they see stopping_)
    });
}

std::uint16_t hub_state::bulk_port() const noexcept { return bulk_server_->port(); }
std::uint16_t hub_state::ops_port() const noexcept { return ops_server_->port(); }
std::string hub_state::bulk_url() const { return bulk_server_->base_url(); }
std::string hub_state::ops_url() const { return ops_server_->base_url(); }

void
hub_state::set_trace(net::trace_sink sink)
{
    bulk_server_->set_trace(sink);
    ops_server_->set_trace(sink);
    client_.set_trace(std::move(sink));
}

net::response
hub_state::spring_error(unsigned status, net::request const& req) const
{
    return net::make_response(status, spring_error_body(status, req.path(), clock_.now()), json_type);
}

std::string
hub_state::file_url_prefix() const
{
    auto base = cfg_.public_ops_url.empty() ? ops_url() : cfg_.public_ops_url;
    while(!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/files/";
}

//------------------------------------------------------------------------------
// Bulk API

net::awaitable<net::response>
hub_state::on_upload(net::request req)
{
    upload_request u;
    u.correlation_id = req.fields.copy("X-CorrelationID");
    u.purpose = req.fields.copy("Purpose");
    u.type = req.fields.copy("Type");
    u.tenant = req.fields.copy("Platform-TenantId");
    u.filename = req.fields.copy("filename");
    u.callback_url = req.fields.copy("X-CallbackURL");
    if(!u.callback_url)
        u.callback_url = req.fields.copy("X-Callback-URL"); // the spelling of older PH-EE routes
    u.payee_dfsp_id = req.fields.copy("X-PayeeDFSP-ID");
    u.registering_institution_id = req.fields.copy("X-Registering-Institution-ID");
    u.program_id = req.fields.copy("X-Program-ID");
    u.content_type = std::string(req.fields.value_or("Content-Type"));
    u.body = req.body;
    u.path = std::string(req.path());

    upload_options opts;
    opts.lenient_type = cfg_.lenient_type;
    opts.max_file_bytes = cfg_.max_file_bytes;
    auto const now = clock_.now();
    auto result = validate_upload(u, opts, now);
    if(auto const* rejected = std::get_if<rejected_upload>(&result))
    {
        // PH-EE's bodies seldom say why ("File not uploaded"): the log does.
        log_->warn("upload refused ({}): {}", rejected->status, rejected->reason.empty() ? rejected->body : rejected->reason);
        co_return net::make_response(rejected->status, rejected->body, json_type);
    }
    auto const& upload = std::get<accepted_upload>(result);

    // PH-EE starts the tenant's workflow; a tenant without one cannot pay.
    auto const tenant = cfg_.tenants.find(*u.tenant);
    if(tenant == cfg_.tenants.end())
    {
        log_->warn("upload refused (500): unknown tenant '{}' (Platform-TenantId; configured under tenants)", *u.tenant);
        json::object o;
        o["errorCode"] = 500;
        o["errorDescription"] = "Unable to start zeebe workflow";
        o["developerMessage"] = "No workflow for tenant '" + *u.tenant + "': configure it under tenants";
        co_return net::make_response(500, json::serialize(o), json_type);
    }

    program_account const* program = nullptr;
    if(u.registering_institution_id && u.program_id && !u.registering_institution_id->empty() && !u.program_id->empty())
        program = cfg_.find_program(*u.registering_institution_id, *u.program_id);

    batch_info info;
    info.batch_id = ids_.uuid_v4();
    info.tenant = *u.tenant;
    info.payer_fsp = tenant->second.payer_fsp;
    info.request_id = *u.correlation_id;
    info.purpose = u.purpose->empty() ? std::string("test payment") : *u.purpose;
    info.filename = upload.filename;
    info.callback_url = u.callback_url.value_or(std::string{});
    info.payee_dfsp_id = u.payee_dfsp_id.value_or(std::string{});
    info.registering_institution_id = u.registering_institution_id.value_or(std::string{});
    info.program_id = u.program_id.value_or(std::string{});
    info.raw = upload.raw;

    bool const lookup = tenant->second.account_lookup();
    auto& added = admit(std::move(info), upload, batch_rules{&cfg_.payment_modes, program}, {}, !lookup);
    if(lookup && !added.finished())
    {
        // PH-EE needs X-Registering-Institution-ID for this flow (without it the job fails
        // and the batch stalls); mojasim falls back to the tenant's configured one.
        auto institution = added.info.registering_institution_id;
        if(institution.empty())
            institution = tenant->second.registering_institution.empty() ? tenant->first
                                                                         : tenant->second.registering_institution;
        net::spawn(ex_, look_up(&added, tenant->second, std::move(institution)), "hub", shared_from_this());
    }

    json::object o;
    o["PollingPath"] = cfg_.polling_path + added.info.batch_id;
    o["SuggestedCallbackSeconds"] = cfg_.suggested_callback_seconds;
    co_return net::make_response(202, json::serialize(o), json_type);
}

batch&
hub_state::admit(batch_info info, accepted_upload const& upload, batch_rules const& rules,
                 std::vector<client_entry> entries, bool pay_now)
{
    auto const now_ms = core::unix_ms(clock_.now());
    auto b = make_batch(std::move(info), upload, rules, now_ms, [this] { return ids_.uuid_v4(); }, next_workflow_key_);
    b->client_entries = std::move(entries);
    b->sequence = next_sequence_++;
    // Rows of a BULK payment mode go in sub-batches; the others one by one.
    std::size_t bulk_rows = 0;
    std::vector<std::pair<string_table::id, bool>> mode_is_bulk; // a batch has few modes
    for(auto& row : b->rows)
    {
        if(!row.payable)
            continue;
        auto known = std::find_if(mode_is_bulk.begin(), mode_is_bulk.end(),
                                  [&](auto const& m) { return m.first == row.payment_mode; });
        if(known == mode_is_bulk.end())
            known = mode_is_bulk.insert(mode_is_bulk.end(),
                                        {row.payment_mode, cfg_.mode_type(b->strings.get(row.payment_mode)) ==
                                                               payment_mode_type::bulk});
        row.bulk = known->second;
        bulk_rows += row.bulk ? 1U : 0U;
    }
    auto& added = store_.add(std::move(b));
    log_->info("batch {} accepted for {} ({}): {} rows, {} to pay ({} in bulk)", added.info.batch_id,
               added.info.tenant, to_string(added.info.ingress), added.total(), added.ongoing(), bulk_rows);
    if(added.finished())
        batch_finished(added);
    else if(pay_now)
        activate(added);
    return added;
}

//------------------------------------------------------------------------------
// Operations API

std::optional<net::response>
hub_state::check_ops_request(net::request const& req, std::string& tenant) const
{
    // PH-EE's tenant filter throws without a known tenant; Spring answers 500 with its error
    // body. The log says which.
    if(auto h = req.fields.get("Platform-TenantId"); h && !h->empty())
        tenant = std::string(*h);
    else if(auto q = req.query_param("tenantIdentifier"); q && !q->empty())
        tenant = *q;
    else
    {
        log_->warn("{} refused (500): no Platform-TenantId header or tenantIdentifier parameter", req.path());
        return spring_error(500, req);
    }
    if(!cfg_.tenants.contains(tenant))
    {
        log_->warn("{} refused (500): unknown tenant '{}' (configured under tenants)", req.path(), tenant);
        return spring_error(500, req);
    }

    if(cfg_.require_auth)
    {
        auto const auth = req.fields.value_or("Authorization");
        constexpr std::string_view bearer = "Bearer ";
        bool const ok = auth.size() > bearer.size() && net::iequals(auth.substr(0, bearer.size()), bearer)
                     && tokens_.contains(std::string(auth.substr(bearer.size())));
        if(!ok)
            return net::make_response(
                401, R"({"error":"unauthorized","error_description":"Full authentication is required to access this resource"})",
                json_type);
    }
    return std::nullopt;
}

net::awaitable<net::response>
hub_state::on_token(net::request req)
{
    // Client credentials by HTTP Basic (PH-EE's default client: "client" with no secret).
    auto const auth = req.fields.value_or("Authorization");
    constexpr std::string_view basic = "Basic ";
    std::optional<std::string> credentials;
    if(auth.substr(0, basic.size()) == basic)
        credentials = base64_decode(auth.substr(basic.size()));
    if(!credentials || *credentials != cfg_.oauth_client_id + ":" + cfg_.oauth_client_secret)
        co_return net::make_response(
            401, R"({"error":"unauthorized","error_description":"Full authentication is required to access this resource"})",
            json_type);

    auto param = [&](std::string_view name) -> std::string {
        if(auto q = req.query_param(name))
            return *q;
        if(auto f = form_param(req.body, name))
            return *f;
        return {};
    };
    auto const grant = param("grant_type");
    if(grant != "password")
    {
        json::object e;
        e["error"] = "unsupported_grant_type";
        e["error_description"] = "Unsupported grant type: " + grant;
        co_return net::make_response(400, json::serialize(e), json_type);
    }
    if(param("username") != cfg_.oauth_username || param("password") != cfg_.oauth_password)
        co_return net::make_response(400, R"({"error":"invalid_grant","error_description":"Bad credentials"})", json_type);

    auto token = ids_.uuid_v4();
    tokens_.insert(token);
    token_order_.push_back(token);
    if(token_order_.size() > 1000)
    {
        tokens_.erase(token_order_.front());
        token_order_.pop_front();
    }
    json::object o;
    o["access_token"] = token;
    o["token_type"] = "bearer";
    o["refresh_token"] = ids_.uuid_v4();
    o["expires_in"] = 3599;
    o["scope"] = "identity";
    co_return net::make_response(200, json::serialize(o), json_type);
}

net::awaitable<net::response>
hub_state::on_batch_aggregate(net::request req)
{
    std::string tenant;
    if(auto err = check_ops_request(req, tenant))
        co_return std::move(*err);
    co_return batch_summary(tenant, std::string(req.params.get("batchId")), summary_kind::aggregate);
}

net::awaitable<net::response>
hub_state::on_batch_stored(net::request req)
{
    std::string tenant;
    if(auto err = check_ops_request(req, tenant))
        co_return std::move(*err);
    co_return batch_summary(tenant, req.query_param("batchId"), summary_kind::stored);
}

net::response
hub_state::batch_summary(std::string const& tenant, std::optional<std::string> const& id, summary_kind kind) const
{
    auto const* b = id ? store_.find(tenant, *id) : nullptr;
    if(!b)
        return net::make_response(404, "Batch corresponding to batchId: " + id.value_or("null") + " does not exist.",
                                  "text/plain;charset=UTF-8");
    return net::make_response(200, batch_dto_json(*b, kind, result_file_url(file_url_prefix(), *id)), json_type);
}

boost::system::result<hub_state::batch_query, net::response>
hub_state::batch_of_query(net::request const& req) const
{
    batch_query q;
    std::string tenant;
    if(auto err = check_ops_request(req, tenant))
        return std::move(*err);
    auto id = req.query_param("batchId");
    if(!id)
        return spring_error(400, req);
    q.id = std::move(*id);
    q.b = store_.find(tenant, q.id);
    return q;
}

net::awaitable<net::response>
hub_state::on_batch_detail(net::request req)
{
    auto q = batch_of_query(req);
    if(!q)
        co_return q.error();
    auto const& id = q->id;
    auto const* b = q->b;

    if(auto command = req.query_param("command"); command && upper(*command) == "DOWNLOAD")
    {
        if(!b)
            co_return net::make_empty(404);
        auto res = net::make_empty(302);
        res.fields.set("Location", result_file_url(file_url_prefix(), id));
        co_return res;
    }

    auto const page_no = int_param(req, "pageNo", 0);
    auto const page_size = int_param(req, "pageSize", 10);
    if(!page_no || !page_size)
        co_return spring_error(400, req);
    // Spring's PageRequest refuses these with an exception: a 500.
    if(*page_no < 0 || *page_size < 1)
        co_return spring_error(500, req);

    page_request p;
    p.page_no = *page_no;
    p.page_size = std::min<std::int64_t>(*page_size, 100000);
    auto const status = upper(req.query_param("status").value_or("ALL"));
    if(status == "COMPLETED")
        p.status = row_status::completed;
    else if(status == "FAILED")
        p.status = row_status::failed;
    else if(status == "IN_PROGRESS")
        p.status = row_status::in_progress;
    co_return net::make_response(200, transfer_page_json(b, p), json_type);
}

net::awaitable<net::response>
hub_state::on_batch_transactions(net::request req)
{
    auto q = batch_of_query(req);
    if(!q)
        co_return q.error();
    if(!q->b)
        co_return net::make_empty(200); // PH-EE returns null: an empty 200
    co_return net::make_response(200, batch_transactions_json(*q->b), json_type);
}

net::awaitable<net::response>
hub_state::on_batches(net::request req)
{
    std::string tenant;
    if(auto err = check_ops_request(req, tenant))
        co_return std::move(*err);

    batches_query q;
    auto const offset = int_param(req, "offset", 0);
    auto const limit = int_param(req, "limit", 10);
    if(!offset || !limit)
        co_return spring_error(400, req);
    q.offset = *offset;
    q.limit = *limit;
    if(auto s = req.query_param("sort"))
        q.sort = *s;
    // "%" is PH-EE's default for its LIKE filters: no filter.
    auto filter = [&](std::string_view name) -> std::optional<std::string> {
        auto v = req.query_param(name);
        if(!v || v->empty() || *v == "%")
            return std::nullopt;
        return v;
    };
    q.batch_id = filter("batchId");
    q.payer_fsp = filter("payerFsp");
    q.registering_institution_id = filter("registeringInstitutionId");
    if(auto from = filter("dateFrom"))
    {
        q.date_from_ms = parse_filter_date(*from);
        if(!q.date_from_ms)
            co_return net::make_empty(400);
    }
    if(auto to = filter("dateTo"))
    {
        q.date_to_ms = parse_filter_date(*to);
        if(!q.date_to_ms)
            co_return net::make_empty(400);
    }

    std::vector<batch const*> mine;
    store_.for_each(tenant, [&](batch const& b) { mine.push_back(&b); });
    auto body = batches_json(std::move(mine), q, file_url_prefix());
    if(!body)
        co_return net::make_empty(400);
    co_return net::make_response(200, std::move(*body), json_type);
}

net::awaitable<net::response>
hub_state::on_file(net::request req)
{
    // The result file PH-EE uploads to S3, served here: /files/<batchId>_response.csv.
    constexpr auto suffix = result_file_suffix;
    auto const name = req.params.get("name");
    if(name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix)
        co_return spring_error(404, req);
    auto const id = name.substr(0, name.size() - suffix.size());
    batch const* found = nullptr;
    store_.for_each([&](batch const& b) {
        if(!found && b.info.batch_id == id)
            found = &b;
    });
    if(!found)
        co_return spring_error(404, req);
    co_return net::make_response(200, result_file_csv(*found), "text/csv");
}

//------------------------------------------------------------------------------
// Account lookup

void
hub_state::activate(batch& b)
{
    if(b.finished())
        return;
    // Rows of a BULK payment mode go in sub-batches (bulk_active_); the others one by one.
    // Counted here, after any account lookup has taken the rows it could not resolve.
    std::size_t bulk_rows = 0;
    for(auto const& row : b.rows)
        bulk_rows += row.payable && row.bulk ? 1U : 0U;
    if(bulk_rows < b.ongoing())
        active_.push_back(&b);
    if(bulk_rows != 0)
        bulk_active_.push_back(&b);
    wake_.cancel();
}

net::awaitable<void>
hub_state::look_up(batch* b, tenant_config t, std::string institution)
{
    auto const request_id = std::to_string(next_workflow_key_++); // PH-EE: the Zeebe job key
    auto waiter = std::make_shared<net::one_shot<std::string>>(ex_);
    // Registered before sending: the callback may beat the 202.
    lookups_[request_id] = waiter;

    net::request req;
    req.method = net::method::post;
    req.fields.set("Content-Type", json_type);
    req.fields.set("X-CallbackURL", cfg_.lookup_callback_url.empty() ? bulk_url() + "/batchAccountLookupCallback"
                                                                      : cfg_.lookup_callback_url);
    req.fields.set("X-Registering-Institution-ID", institution);
    req.body = mapper::phee::encode_request(lookup_request(*b, request_id, institution));
    auto const url = t.mapper_url + "/accountLookup";
    auto const send_timeout = std::min(t.lookup_timeout, cfg_.callback_timeout);
    auto res = co_await client_.send(url, std::move(req), send_timeout);
    if(stopping_)
    {
        lookups_.erase(request_id);
        co_return;
    }
    auto const fail = [&](std::string_view code, std::string_view note) {
        lookups_.erase(request_id);
        fail_lookup(*b, core::unix_ms(clock_.now()), code, note);
        log_->warn("batch {}: {}", b->info.batch_id, note);
        settled(*b);
    };
    if(!res && !net::may_have_arrived(res.error()))
    {
        // PH-EE: an IOException sets partyLookupFailed, and the batch ends failed.
        log_->warn("batch {}: POST {} failed: {}", b->info.batch_id, url, res.error().message());
        fail(lookup_note::unreachable_code, lookup_note::unreachable);
        co_return;
    }
    if(res && !res->ok())
        log_->warn("batch {}: the mapper answered the lookup with HTTP {} (PH-EE only logs it)", b->info.batch_id,
                   res->status);

    auto body = co_await waiter->wait(t.lookup_timeout);
    lookups_.erase(request_id);
    if(stopping_)
        co_return;
    auto answer = body ? mapper::phee::decode_batch_lookup(*body) : std::nullopt;
    if(!answer)
    {
        fail(lookup_note::timed_out_code, lookup_note::timed_out);
        co_return;
    }
    auto const outcome = apply_lookup(*b, *answer, core::unix_ms(clock_.now()));
    log_->info("batch {}: account lookup resolved {} payees, {} not found", b->info.batch_id, outcome.resolved,
               outcome.not_found);
    if(outcome.not_found != 0)
        settled(*b);
    activate(*b);
}

net::awaitable<net::response>
hub_state::on_lookup_callback(net::request req)
{
    // The mapper's PUT: PH-EE's mapper takes it itself and publishes a Zeebe message; here
    // the hub takes it, answering as that endpoint does.
    auto answer = mapper::phee::decode_batch_lookup(req.body);
    if(!answer)
        co_return spring_error(400, req);
    auto const id = answer->request_id.value_or("");
    auto it = lookups_.find(id);
    if(it == lookups_.end() || !it->second->deliver(std::move(req.body)))
        log_->warn("account lookup callback for {}: no batch waits for it", id);
    co_return net::make_response(200, "Accepted", "text/plain;charset=UTF-8");
}

//------------------------------------------------------------------------------
// Payments

std::optional<hub_state::job>
hub_state::next_job()
{
    while(!active_.empty())
    {
        auto* b = active_.front();
        auto& cursor = b->next_row;
        while(cursor < b->rows.size() && (!b->rows[cursor].payable || b->rows[cursor].bulk))
            ++cursor;
        if(cursor < b->rows.size())
            return job{b, cursor++};
        active_.pop_front();
    }
    return std::nullopt;
}

net::awaitable<void>
hub_state::worker()
{
    while(!stopping_)
    {
        auto j = next_job();
        if(!j)
        {
            // The timer never expires: stop() and new batches cancel the wait.
            co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        ++in_flight_;
        co_await pay(*j);
        --in_flight_;
    }
}

net::awaitable<payment_outcome>
hub_state::exchange(net::request r, std::string url)
{
    auto res = co_await client_.send(url, std::move(r), cfg_.payment_timeout);
    payment_outcome o;
    if(!res)
    {
        if(net::may_have_arrived(res.error()))
        {
            // The connector may have acted on it (the client never re-sends a request that
            // is not idempotent): never send it again; ask about the transfer when its id is
            // known, else the payment fails with what happened.
            o.what = payment_outcome::kind::query;
            bool const timed_out = res.error() == asio::error::timed_out;
            o.error_code = std::string(timed_out ? hub_error::server_timed_out_code : hub_error::communication_code);
            o.error_description = timed_out ? std::string(hub_error::server_timed_out)
                                            : std::string(hub_error::outcome_unknown);
        }
        else
        {
            // It did not arrive: sending it again cannot pay twice.
            o.what = payment_outcome::kind::retry;
            o.error_code = std::string(hub_error::communication_code);
            o.error_description = std::string(hub_error::communication);
        }
        co_return o;
    }
    co_return interpret_transfer_answer(res->status, res->body);
}

net::awaitable<void>
hub_state::pay(job j)
{
    auto& b = *j.b;
    auto& row = b.rows[j.row];
    auto const& s = b.strings;
    auto const& tenant = cfg_.tenants.at(b.info.tenant);

    // The party id type PH-EE derives from payment_mode (MSISDN for MOJALOOP).
    auto const payee_type = connector::party_id_type_from_string(upper(s.get(row.payee_type)))
                                .value_or(connector::party_id_type::msisdn);
    auto const payer_type = connector::party_id_type_from_string(upper(s.get(row.payer_type))).value_or(payee_type);

    connector::transfer_request t;
    t.home_transaction_id = row.request_id;
    t.from.id_type = payer_type;
    t.from.id_value = std::string(s.get(row.payer_identifier));
    t.from.fsp_id = b.info.payer_fsp;
    t.to.id_type = payee_type;
    t.to.id_value = row.payee_identifier;
    if(row.payee_dfsp != 0)
        t.to.fsp_id = std::string(s.get(row.payee_dfsp));
    t.amount_type = cfg_.amount_type == "SEND" ? connector::amount_type::send : connector::amount_type::receive;
    t.currency = std::string(s.get(row.currency));
    t.amount = row.amount;
    if(auto note = s.get(row.note); !note.empty())
        t.note = truncate_code_points(note, 128);

    net::request post;
    post.method = net::method::post;
    post.fields.set("Content-Type", json_type);
    post.fields.set("Accept", json_type);
    post.body = connector::encode(t);
    std::string const transfers = tenant.connector_url + "/transfers";

    // The flow decides (payment_flow.hpp); this loop carries its actions out.
    payment_flow flow(cfg_.max_attempts, cfg_.retry_delay);
    auto next = flow.start();
    for(;;)
    {
        if(auto const* post_again = std::get_if<payment_flow::send_post>(&next))
        {
            if(post_again->attempt > 1)
                log_->debug("payment {} of batch {}: attempt {}", row.request_id, b.info.batch_id, post_again->attempt);
            auto o = co_await exchange(post, transfers);
            if(stopping_)
                co_return;
            next = flow.on_answer(std::move(o));
        }
        else if(auto const* put_accept = std::get_if<payment_flow::send_put>(&next))
        {
            connector::transfer_continuation c;
            c.what = put_accept->what;
            net::request put;
            put.method = net::method::put;
            put.fields.set("Content-Type", json_type);
            put.fields.set("Accept", json_type);
            put.body = connector::encode(c);
            auto const url = transfers + "/" + net::percent_encode(put_accept->transfer_id);
            auto o = co_await exchange(std::move(put), url);
            if(stopping_)
                co_return;
            next = flow.on_answer(std::move(o));
        }
        else if(auto const* ask = std::get_if<payment_flow::send_get>(&next))
        {
            net::request get;
            get.method = net::method::get;
            get.fields.set("Accept", json_type);
            auto const url = transfers + "/" + net::percent_encode(ask->transfer_id);
            auto res = co_await client_.send(url, std::move(get), net::send_options{cfg_.payment_timeout, true});
            if(stopping_)
                co_return;
            std::optional<payment_outcome> q;
            if(res)
                q = interpret_status_answer(res->status, res->body);
            next = flow.on_status(std::move(q));
        }
        else if(auto const* pause = std::get_if<payment_flow::wait>(&next))
        {
            co_await net::sleep_for(pause->delay);
            if(stopping_)
                co_return;
            next = flow.on_waited();
        }
        else
            break;
    }
    auto o = std::get<payment_flow::done>(std::move(next)).outcome;

    if(!o.transfer_id.empty())
        row.transaction_id = o.transfer_id;
    if(!o.payee_fsp.empty() && row.payee_dfsp == 0)
        row.payee_dfsp = b.strings.intern(o.payee_fsp);
    auto const now_ms = core::unix_ms(clock_.now());
    if(o.what == payment_outcome::kind::completed)
        b.complete_row(j.row, now_ms);
    else
    {
        b.fail_row(j.row, now_ms, o.error_code, o.error_description);
        log_->debug("payment {} of batch {} failed: {} {}", row.request_id, b.info.batch_id, o.error_code,
                    o.error_description);
    }
    settled(b);
}

//------------------------------------------------------------------------------
// BULK payment modes: sub-batches through POST /bulkTransactions

std::optional<hub_state::bulk_job>
hub_state::next_bulk_job()
{
    while(!bulk_active_.empty())
    {
        auto* b = bulk_active_.front();
        auto& cursor = b->next_bulk_row;
        auto const n = b->rows.size();
        while(cursor < n && !(b->rows[cursor].payable && b->rows[cursor].bulk))
            ++cursor;
        if(cursor < n)
        {
            // One bulk transaction has one payer: rows join while they share it.
            bulk_job j{b, {}};
            j.rows.reserve(std::min(cfg_.bulk_size, n - cursor));
            auto const& first = b->rows[cursor];
            for(; cursor < n && j.rows.size() < cfg_.bulk_size; ++cursor)
            {
                auto const& row = b->rows[cursor];
                if(!row.payable || !row.bulk)
                    continue;
                if(row.payer_identifier != first.payer_identifier || row.payer_type != first.payer_type)
                    break;
                j.rows.push_back(cursor);
            }
            return j;
        }
        bulk_active_.pop_front();
    }
    return std::nullopt;
}

net::awaitable<void>
hub_state::bulk_worker()
{
    while(!stopping_)
    {
        auto j = next_bulk_job();
        if(!j)
        {
            co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        ++bulk_in_flight_;
        co_await pay_bulk(std::move(*j));
        --bulk_in_flight_;
    }
}

std::string
hub_state::bulk_request_body(bulk_job const& j, std::string const& bulk_id) const
{
    auto const& b = *j.b;
    auto const& s = b.strings;
    auto const& first = b.rows[j.rows.front()];
    auto const party_type = [&](string_table::id type, std::optional<connector::party_id_type> fallback) {
        return connector::party_id_type_from_string(upper(s.get(type))).value_or(
            fallback.value_or(connector::party_id_type::msisdn));
    };
    auto const payee_type0 = party_type(first.payee_type, std::nullopt);
    auto const payer_type = party_type(first.payer_type, payee_type0);
    auto const amount_type = cfg_.amount_type == "SEND" ? connector::amount_type::send : connector::amount_type::receive;

    core::json_writer w(512 + j.rows.size() * 256);
    w.begin_object();
    w.member("bulkTransactionId", bulk_id);
    w.member("bulkHomeTransactionID", b.info.batch_id);
    w.key("options").begin_object();
    w.key("onlyValidateParty").boolean(false);
    w.key("autoAcceptParty").begin_object().key("enabled").boolean(cfg_.bulk_auto_accept).end_object();
    w.key("autoAcceptQuote").begin_object().key("enabled").boolean(cfg_.bulk_auto_accept).end_object();
    // The SDK: "set to true if supplying an FSPID for the payee party and no party
    // resolution is needed ... if a previous party resolution has been performed" (the mapper's).
    bool const all_known = std::all_of(j.rows.begin(), j.rows.end(),
                                       [&](std::size_t i) { return b.rows[i].payee_dfsp != 0; });
    w.key("skipPartyLookup").boolean(cfg_.bulk_skip_known_lookup && all_known);
    // Synchronous with auto-accept: the answer is the final bulk transaction, which spares
    // the GET polls and the waits between them (without auto-accept a synchronous answer
    // would come at the first acceptance, so the hub polls instead).
    w.key("synchronous").boolean(cfg_.bulk_synchronous && cfg_.bulk_auto_accept);
    w.member("bulkExpiration", core::format_datetime(clock_.now() + cfg_.bulk_expiration));
    w.end_object();
    w.key("from").begin_object().key("partyIdInfo").begin_object();
    w.member("partyIdType", connector::to_string(payer_type));
    w.member("partyIdentifier", s.get(first.payer_identifier));
    w.member("fspId", b.info.payer_fsp);
    w.end_object().end_object();
    w.key("individualTransfers").begin_array();
    for(auto const i : j.rows)
    {
        auto const& row = b.rows[i];
        w.begin_object();
        w.member("homeTransactionId", row.request_id);
        w.key("to").begin_object().key("partyIdInfo").begin_object();
        w.member("partyIdType", connector::to_string(party_type(row.payee_type, std::nullopt)));
        w.member("partyIdentifier", row.payee_identifier);
        if(row.payee_dfsp != 0)
            w.member("fspId", s.get(row.payee_dfsp));
        w.end_object().end_object();
        w.member("amountType", connector::to_string(amount_type));
        w.member("currency", s.get(row.currency));
        w.member("amount", row.amount.to_string());
        if(auto note = s.get(row.note); !note.empty())
            w.member("note", truncate_code_points(note, 128));
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return std::move(w).finish();
}

net::awaitable<void>
hub_state::pay_bulk(bulk_job j)
{
    auto& b = *j.b;
    auto const& tenant = cfg_.tenants.at(b.info.tenant);
    auto const bulk_id = ids_.uuid_v4();
    std::string const base = tenant.connector_url + "/bulkTransactions";
    std::string const url = base + "/" + bulk_id;

    net::request post;
    post.method = net::method::post;
    post.fields.set("Content-Type", json_type);
    post.fields.set("Accept", json_type);
    post.body = bulk_request_body(j, bulk_id);
    log_->debug("batch {}: bulk transaction {} with {} rows", b.info.batch_id, bulk_id, j.rows.size());

    std::vector<std::string> home_ids;
    home_ids.reserve(j.rows.size());
    for(auto const i : j.rows)
        home_ids.push_back(b.rows[i].request_id);
    bulk_flow_options fo;
    fo.max_attempts = cfg_.max_attempts;
    fo.retry_delay = cfg_.retry_delay;
    fo.poll_delay = cfg_.bulk_poll_delay;
    fo.max_poll_delay = cfg_.bulk_max_poll_delay;
    fo.timeout = cfg_.bulk_timeout;

    // The flow decides (bulk_flow.hpp); this loop carries its actions out.
    bulk_flow flow(std::move(home_ids), fo);
    auto next = flow.start();
    for(;;)
    {
        if(std::holds_alternative<bulk_flow::send_post>(next))
        {
            auto req = post;
            auto res = co_await client_.send(base, std::move(req), cfg_.payment_timeout);
            if(stopping_)
                co_return;
            bulk_post_answer a;
            if(res)
                a = interpret_bulk_post(res->status, res->body);
            else if(net::may_have_arrived(res.error()))
                a.what = bulk_post_answer::kind::unknown;
            else
            {
                a.what = bulk_post_answer::kind::not_arrived;
                a.error_code = std::string(hub_error::communication_code);
                a.error_description = std::string(hub_error::communication);
            }
            next = flow.on_post(std::move(a));
        }
        else if(std::holds_alternative<bulk_flow::send_get>(next))
        {
            net::request get;
            get.method = net::method::get;
            get.fields.set("Accept", json_type);
            auto res = co_await client_.send(url, std::move(get), net::send_options{cfg_.payment_timeout, true});
            if(stopping_)
                co_return;
            std::optional<bulk_status> st;
            if(res)
                st = interpret_bulk_status(res->status, res->body);
            next = flow.on_status(std::move(st));
        }
        else if(auto const* accept = std::get_if<bulk_flow::send_put>(&next))
        {
            core::json_writer w(64 + accept->transfer_ids.size() * 64);
            auto const key = accept->what == connector::transfer_continuation::kind::accept_party ? "acceptParty"
                                                                                                  : "acceptQuote";
            w.begin_object().key("individualTransfers").begin_array();
            for(auto const& id : accept->transfer_ids)
                w.begin_object().member("transferId", id).key(key).boolean(true).end_object();
            w.end_array().end_object();
            net::request put;
            put.method = net::method::put;
            put.fields.set("Content-Type", json_type);
            put.fields.set("Accept", json_type);
            put.body = std::move(w).finish();
            auto res = co_await client_.send(url, std::move(put), cfg_.payment_timeout);
            if(stopping_)
                co_return;
            next = flow.on_put(res && res->ok());
        }
        else if(auto const* pause = std::get_if<bulk_flow::wait>(&next))
        {
            co_await net::sleep_for(pause->delay);
            if(stopping_)
                co_return;
            next = flow.on_waited();
        }
        else
            break;
    }

    auto const items = std::get<bulk_flow::done>(std::move(next)).items;
    auto const now_ms = core::unix_ms(clock_.now());
    std::size_t failed = 0;
    for(std::size_t k = 0; k < items.size() && k < j.rows.size(); ++k)
    {
        auto const& it = items[k];
        auto& row = b.rows[j.rows[k]];
        if(!it.transfer_id.empty())
            row.transaction_id = it.transfer_id;
        if(!it.payee_fsp.empty() && row.payee_dfsp == 0)
            row.payee_dfsp = b.strings.intern(it.payee_fsp);
        if(it.completed)
            b.complete_row(j.rows[k], now_ms);
        else
        {
            ++failed;
            b.fail_row(j.rows[k], now_ms, it.error_code, it.error_description);
        }
    }
    log_->debug("batch {}: bulk transaction {} final, {} of {} failed", b.info.batch_id, bulk_id, failed, items.size());
    settled(b);
}

void
hub_state::settled(batch& b)
{
    if(!b.info.callback_url.empty() && take_phases(b.phases_left, b.completion_rate()))
        queue_callback(b, b.completion_rate());
    if(b.finished())
    {
        log_->info("batch {} finished: {} of {} paid, {} failed", b.info.batch_id, b.successful(), b.total(), b.failed());
        batch_finished(b);
    }
}

//------------------------------------------------------------------------------
// Progress callbacks

void
hub_state::queue_callback(batch const& b, int rate)
{
    queue_post(b, b.info.callback_url, callback_body(b, rate));
}

void
hub_state::queue_post(batch const& b, std::string url, std::string body)
{
    queue_post(batch_key(b), std::move(url), std::move(body));
}

void
hub_state::queue_post(std::string key, std::string url, std::string body)
{
    auto [it, fresh] = callbacks_.try_emplace(key);
    it->second.emplace_back(std::move(url), std::move(body));
    if(fresh)
        net::spawn(ex_, send_callbacks(key), "hub", shared_from_this());
}

net::awaitable<void>
hub_state::send_callbacks(std::string key)
{
    // One sender per batch keeps its callbacks in order; PH-EE tries each up to 3 times.
    for(;;)
    {
        auto it = callbacks_.find(key);
        if(it == callbacks_.end() || it->second.empty() || stopping_)
        {
            callbacks_.erase(key);
            co_return;
        }
        auto [url, body] = std::move(it->second.front());
        it->second.pop_front();
        for(int tries = 1; tries <= cfg_.callback_max_tries && !stopping_; ++tries)
        {
            net::request req;
            req.method = net::method::post;
            req.fields.set("Content-Type", json_type);
            req.body = body;
            auto res = co_await client_.send(url, std::move(req), cfg_.callback_timeout);
            if(res && res->ok())
                break;
            log_->warn("callback to {} failed (try {} of {}): {}", url, tries, cfg_.callback_max_tries,
                       res ? "HTTP " + std::to_string(res->status) : res.error().message());
            if(tries < cfg_.callback_max_tries)
                co_await net::sleep_for(cfg_.callback_retry_delay);
        }
    }
}

std::uint64_t hub_state::requests_served() const noexcept
{
    std::uint64_t n = 0;
    for(auto const* s : {bulk_server_.get(), ops_server_.get()})
        if(s)
            n += s->requests_served();
    return n;
}

} // namespace mojasim::hub
