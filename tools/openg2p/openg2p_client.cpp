#include "tools/openg2p/openg2p_client.hpp"

#include "tools/support/json_reply.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "simulator/core/clock.hpp"
#include "simulator/core/json_writer.hpp"
#include "simulator/net/router.hpp"
#include "simulator/net/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace mojasim::openg2p {

namespace json = boost::json;

std::string python_float(core::decimal amount)
{
    std::string s = amount.to_string();
    if(s.find('.') == std::string::npos)
        s += ".0";
    return s;
}

namespace {

// Python csv's QUOTE_MINIMAL: quote fields holding the delimiter, a quote or a line break.
void put_field(std::string& out, std::string_view f)
{
    if(f.find_first_of(",\"\r\n") == std::string_view::npos)
    {
        out += f;
        return;
    }
    out += '"';
    for(char c : f)
    {
        if(c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

std::int64_t int_of(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    if(!v)
        return 0;
    if(v->is_int64())
        return v->get_int64();
    if(v->is_uint64())
        return static_cast<std::int64_t>(v->get_uint64());
    if(v->is_double())
        return static_cast<std::int64_t>(v->get_double());
    return 0;
}

std::string string_of(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    if(!v || !v->is_string())
        return {};
    return std::string(v->get_string());
}

// clientCorrelationId may arrive JSON-quoted ("\"9a2e...\""): strip the quotes (§5).
std::string strip_quotes(std::string s)
{
    if(s.size() >= 2 && s.front() == '"' && s.back() == '"')
        return s.substr(1, s.size() - 2);
    return s;
}

} // namespace

//------------------------------------------------------------------------------
// G2P Connect answers and callbacks

namespace {


/// Entries of a disbursements_status or txn_status list into `out`; false (with `error`) on an
/// entry that is not an object (null is skipped) or has no reference_id.
bool read_entries(json::array const& list, std::vector<g2p_outcome>& out, std::string& error)
{
    for(auto const& e : list)
    {
        if(e.is_null()) // OpenG2P 15.0's list form: null for an id the hub does not know
            continue;
        if(!e.is_object())
        {
            error = "an entry is not an object";
            return false;
        }
        auto const& o = e.get_object();
        g2p_outcome x;
        x.reference_id = string_of(o, "reference_id");
        if(x.reference_id.empty())
        {
            error = "an entry has no reference_id";
            return false;
        }
        x.status = string_of(o, "status");
        x.reason_code = string_of(o, "status_reason_code");
        x.reason_message = string_of(o, "status_reason_message");
        out.push_back(std::move(x));
    }
    return true;
}

} // namespace

std::optional<g2p_callback> read_g2p_callback(std::string_view body, std::string& error)
{
    json::error_code ec;
    auto const v = json::parse(body, ec);
    if(ec || !v.is_object())
    {
        error = "the body is not a JSON object";
        return std::nullopt;
    }
    auto const& o = v.get_object();
    auto const* header = o.if_contains("header");
    auto const* message = o.if_contains("message");
    if(!header || !header->is_object() || !message || !message->is_object())
    {
        error = "header or message is missing or not an object";
        return std::nullopt;
    }
    g2p_callback out;
    out.action = string_of(header->get_object(), "action");
    out.status = string_of(header->get_object(), "status");
    auto const& m = message->get_object();
    out.transaction_id = string_of(m, "transaction_id");
    // on-disburse: message.disbursements_status[].
    if(auto const* list = m.if_contains("disbursements_status"))
    {
        if(!list->is_array())
        {
            error = "message.disbursements_status is not a list";
            return std::nullopt;
        }
        if(!read_entries(list->get_array(), out.entries, error))
            return std::nullopt;
        return out;
    }
    // on-status: message.txnstatus_response.txn_status, a list (OpenG2P 15.0's form), a
    // DisburseResponse object (the spec's) or null (an unknown transaction).
    auto const* response = m.if_contains("txnstatus_response");
    auto const* st = response && response->is_object() ? response->get_object().if_contains("txn_status") : nullptr;
    if(!st)
    {
        error = "neither message.disbursements_status nor message.txnstatus_response.txn_status is present";
        return std::nullopt;
    }
    if(st->is_null())
        return out;
    if(st->is_array())
    {
        if(!read_entries(st->get_array(), out.entries, error))
            return std::nullopt;
        return out;
    }
    auto const* inner = st->is_object() ? st->get_object().if_contains("disbursements_status") : nullptr;
    if(!inner || !inner->is_array())
    {
        error = "txn_status is neither a list nor an object with disbursements_status";
        return std::nullopt;
    }
    if(!read_entries(inner->get_array(), out.entries, error))
        return std::nullopt;
    return out;
}

std::string leading_error_code(std::string_view reason_message)
{
    std::size_t n = 0;
    while(n < reason_message.size() && reason_message[n] >= '0' && reason_message[n] <= '9')
        ++n;
    if(n == 0 || (n < reason_message.size() && reason_message[n] != ' '))
        return {};
    return std::string(reason_message.substr(0, n));
}

bool apply_g2p_outcome(payment& p, g2p_outcome const& o)
{
    if(p.st == payment::state::reconciled)
        return false;
    p.detail_status = o.status;
    if(o.status == "succ")
        p.result = payment::status::paid;
    else if(o.status == "rjct")
    {
        p.result = payment::status::failed;
        p.reason_code = o.reason_code;
        p.error_code = leading_error_code(o.reason_message);
        p.error = o.reason_code + " " + o.reason_message;
    }
    else
        return false; // rcvd, pdng: not final
    p.st = payment::state::reconciled;
    return true;
}

//------------------------------------------------------------------------------
// The callback listener (g2p_connect, reconcile on_disburse)

/// What the hub's callbacks reach: POST /on-disburse and POST /disburse/txn/on-status under
/// the sender_uri. Runs on the client's executor; the server's sessions hold it through the
/// routes (net::server, "Lifetime"), so it outlives the client while a request is in progress.
struct client::listener : std::enable_shared_from_this<client::listener>
{
    listener(net::executor on, std::uint64_t seed, std::shared_ptr<std::atomic<std::size_t>> count)
        : ex(on), wake(on, std::chrono::steady_clock::time_point::max()), ids(seed), awaiting(std::move(count))
    {
    }

    net::executor ex;
    net::router routes;
    std::unique_ptr<net::server> server;
    std::unordered_map<std::string, payment*> awaited; ///< by reference_id: sent, no final status yet
    boost::asio::steady_timer wake;                   ///< cancelled by every callback: wakes wait_for_callbacks
    core::id_generator ids;                           ///< the acks' correlation ids
    std::shared_ptr<std::atomic<std::size_t>> awaiting;

    void start(std::string const& host, net::trace_sink const& trace)
    {
        routes.add(net::method::post, "/on-disburse", [this](net::request r) { return on_callback(std::move(r)); });
        routes.add(net::method::post, "/disburse/txn/on-status", [this](net::request r) { return on_callback(std::move(r)); });
        net::server_options o;
        o.host = host;
        o.port = 0;
        o.name = "openg2p";
        server = std::make_unique<net::server>(ex, std::shared_ptr<net::router const>(shared_from_this(), &routes), o);
        if(trace)
            server->set_trace(trace);
        server->listen();
        server->start();
    }

    /// Reconcile what a callback says and answer with the spec's ack.
    net::awaitable<net::response> on_callback(net::request req)
    {
        std::string error;
        auto cb = read_g2p_callback(req.body, error);
        if(!cb)
        {
            json::object e;
            e["code"] = "err.request.bad";
            e["message"] = error;
            json::object body;
            body["errors"] = json::array{std::move(e)};
            co_return net::make_response(400, json::serialize(body), "application/json");
        }
        for(auto const& o : cb->entries)
        {
            auto it = awaited.find(o.reference_id);
            if(it == awaited.end())
                continue; // not ours, or final already
            if(apply_g2p_outcome(*it->second, o))
            {
                awaited.erase(it);
                awaiting->store(awaited.size());
            }
        }
        wake.cancel();
        json::object ack;
        ack["ack_status"] = "ACK";
        ack["timestamp"] = core::format_datetime(std::chrono::system_clock::now());
        ack["error"] = nullptr;
        ack["correlation_id"] = ids.uuid_v4();
        json::object body;
        body["message"] = std::move(ack);
        co_return net::make_response(200, json::serialize(body), "application/json");
    }
};

bool client::reconciles_by_callback() const noexcept
{
    return opts_.manager == "g2p_connect" && opts_.g2p_reconcile == "on_disburse";
}

void client::ensure_listener()
{
    if(listener_)
        return;
    auto const host = net::url::parse(opts_.g2p_async_disburse_url);
    listener_ = std::make_shared<listener>(ex_, core::derive_seed(ids_.next(), "openg2p-listener"), awaiting_);
    listener_->start(host ? host->host : std::string("127.0.0.1"), trace_);
    listener_url_ = listener_->server->base_url();
}

void client::close_listener()
{
    if(!listener_)
        return;
    listener_->awaited.clear();
    awaiting_->store(0);
    listener_->wake.cancel();
    if(listener_->server)
        listener_->server->stop();
}

void client::set_trace(net::trace_sink sink)
{
    http_.set_trace(sink);
    trace_ = std::move(sink);
}

net::awaitable<bool> client::wait_for_callbacks(std::string batch_id, std::span<payment const> payments,
                                                std::chrono::milliseconds limit)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for(;;)
    {
        bool const open = std::any_of(payments.begin(), payments.end(), [&](payment const& p) {
            return p.batch_id == batch_id && p.st != payment::state::reconciled;
        });
        if(!open)
            co_return true;
        if(!listener_ || std::chrono::steady_clock::now() >= deadline)
            co_return false;
        // Keep the listener (and its timer) alive across the suspension.
        auto const keep = listener_;
        keep->wake.expires_at(deadline);
        co_await keep->wake.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
}

std::string build_csv(options const& opts, std::span<payment const* const> payments)
{
    std::string out = "id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,"
                      "payee_identifier,amount,currency,note\r\n";
    out.reserve(out.size() + payments.size() * 160);
    std::size_t id = 0;
    for(auto const* row : payments)
    {
        auto const& p = *row;
        out += std::to_string(id++);
        for(std::string_view f : {std::string_view(p.name), std::string_view(opts.payment_mode),
                                  std::string_view(opts.payer_id_type), std::string_view(opts.payer_id),
                                  std::string_view(p.payee_id_type), std::string_view(p.payee_identifier)})
        {
            out += ',';
            put_field(out, f);
        }
        out += ',';
        out += python_float(p.amount);
        out += ',';
        put_field(out, p.currency);
        out += ',';
        put_field(out, opts.note);
        out += "\r\n";
    }
    return out;
}

std::string build_multipart(std::string_view boundary, std::string_view filename, std::string_view csv)
{
    std::string out;
    out.reserve(csv.size() + 256);
    out += "--";
    out += boundary;
    out += "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"";
    out += filename;
    out += "\"\r\n\r\n";
    out += csv;
    out += "\r\n--";
    out += boundary;
    out += "--\r\n";
    return out;
}

client::client(net::executor ex, options opts, core::id_generator& ids)
    : opts_(std::move(opts)), ids_(ids), ex_(ex), http_(ex, [&] {
          net::client_options o;
          o.name = "openg2p";
          o.request_timeout = opts_.request_timeout;
          o.max_connections_per_host = 4;
          return o;
      }())
{
}

client::~client()
{
    if(listener_ && listener_->server)
        listener_->server->stop(); // safe from any thread
}

net::request client::make_request(net::method m) const
{
    net::request req;
    req.method = m;
    req.fields.add("Platform-TenantId", opts_.tenant_id);
    return req;
}

net::awaitable<std::vector<std::string>> client::send_payments(std::vector<payment*> payments, std::string& error)
{
    std::vector<std::string> batches;
    std::erase_if(payments, [](payment const* p) { return p->st != payment::state::issued; });
    if(opts_.manager != "phee")
    {
        for(std::size_t start = 0; start < payments.size(); start += opts_.max_batch_size)
        {
            auto const end = std::min(payments.size(), start + opts_.max_batch_size);
            std::span<payment* const> const rows(payments.data() + start, end - start);
            auto id = co_await send_other(rows, error);
            if(id.empty())
                co_return batches;
            batches.push_back(std::move(id));
        }
        co_return batches;
    }

    for(std::size_t start = 0; start < payments.size(); start += opts_.max_batch_size)
    {
        auto const end = std::min(payments.size(), start + opts_.max_batch_size);
        std::span<payment const* const> const rows(payments.data() + start, end - start);
        std::string const batch_name = ids_.uuid_v4();
        std::string const filename = opts_.file_name_prefix + batch_name + ".csv";
        std::string boundary = ids_.uuid_v4();
        std::erase(boundary, '-');

        auto req = make_request(net::method::post);
        req.fields.add("Type", opts_.batch_type_header);
        req.fields.add("Purpose", opts_.batch_purpose_header);
        req.fields.add("filename", filename);
        req.fields.add("X-CorrelationID", ids_.uuid_v4());
        req.fields.add("Content-Type", "multipart/form-data; boundary=" + boundary);
        req.body = build_multipart(boundary, filename, build_csv(opts_, rows));

        auto res = co_await http_.send(opts_.payment_endpoint_url, std::move(req));
        last_upload_status_ = res ? res->status : 0;
        if(!res)
        {
            error = "upload failed: " + res.error().message();
            co_return batches;
        }
        if(!res->ok())
        {
            error = "upload answered " + std::to_string(res->status) + ": " + res->body;
            co_return batches;
        }
        // OpenG2P needs a JSON object; working deployments keep PH-EE's batch id from PollingPath.
        json::error_code ec;
        auto const body = json::parse(res->body, ec);
        std::string polling;
        if(!ec && body.is_object())
            polling = string_of(body.get_object(), "PollingPath");
        if(ec || !body.is_object() || polling.empty())
        {
            error = "upload answer is not PH-EE's JSON: " + res->body;
            co_return batches;
        }
        std::string batch_id = polling.substr(polling.rfind('/') + 1);
        for(std::size_t i = start; i < end; ++i)
        {
            payments[i]->st = payment::state::sent;
            payments[i]->batch_id = batch_id;
        }
        batches.push_back(std::move(batch_id));
    }
    co_return batches;
}

net::awaitable<std::optional<batch_summary>> client::summary(std::string batch_id)
{
    auto const url = opts_.operations_url + "/api/v1/batch/" + net::percent_encode(batch_id);
    auto res = co_await http_.send(url, make_request(net::method::get));
    auto const obj = tools::object_of_ok(res);
    if(!obj)
        co_return std::nullopt;
    auto const& o = *obj;
    batch_summary s;
    s.batch_id = string_of(o, "batchId");
    s.status = string_of(o, "status");
    s.total = int_of(o, "total");
    s.successful = int_of(o, "successful");
    s.failed = int_of(o, "failed");
    s.ongoing = int_of(o, "ongoing");
    s.body = std::move(res->body);
    co_return s;
}

net::awaitable<bool> client::wait_until_done(std::string batch_id, std::chrono::milliseconds limit,
                                             std::chrono::milliseconds interval,
                                             std::function<void(batch_summary const&)> progress)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for(;;)
    {
        auto s = co_await summary(batch_id);
        if(s && progress)
            progress(*s);
        if(s && s->total > 0 && s->ongoing == 0 && s->successful + s->failed == s->total)
            co_return true;
        if(std::chrono::steady_clock::now() + interval > deadline)
            co_return false;
        co_await net::sleep_for(interval); // polling the status API is what OpenG2P does
    }
}

net::awaitable<std::size_t> client::reconcile(std::string batch_id, std::span<payment> payments,
                                              std::chrono::milliseconds limit)
{
    if(reconciles_by_callback())
        co_return 0; // the hub's callbacks reconcile (wait_for_callbacks)
    if(opts_.manager == "g2p_connect")
        co_return co_await reconcile_g2p(std::move(batch_id), payments, limit);
    if(opts_.manager == "interop")
        co_return 0; // reconciled from the POST's own answer
    co_return co_await reconcile_phee(std::move(batch_id), payments);
}

namespace {

/// Python's str(datetime.utcnow()): "2024-05-01 10:00:00.123456".
std::string python_now()
{
    auto s = core::format_datetime(std::chrono::system_clock::now()); // 2024-05-01T10:00:00.123Z
    s[10] = ' ';
    s.pop_back();
    return s + "000";
}

} // namespace

net::awaitable<std::string> client::hub_batch_of(std::string name)
{
    auto res = co_await http_.send(opts_.operations_url + "/api/v1/batches?limit=1000", make_request(net::method::get));
    auto const obj = tools::object_of_ok(res);
    if(!obj)
        co_return std::string{};
    auto const* data = obj->if_contains("data");
    if(!data || !data->is_array())
        co_return std::string{};
    for(auto const& b : data->get_array())
        if(b.is_object() && string_of(b.get_object(), "requestId") == name)
            co_return string_of(b.get_object(), "batchId");
    co_return std::string{};
}

net::awaitable<std::string> client::send_other(std::span<payment* const> rows, std::string& error)
{
    std::string const name = ids_.uuid_v4(); // the batch's name
    net::request req;
    req.method = net::method::post;
    req.fields.set("Content-Type", "application/json");
    std::string url;
    bool const interop = opts_.manager == "interop";
    if(interop)
    {
        // g2p_payment_interop_layer (payment-hub.md §3.1); amounts are JSON numbers, written
        // exactly (no double on the way).
        core::json_writer w(128 + rows.size() * 96);
        w.begin_object();
        w.member("note", opts_.note);
        w.member("disbursementId", name);
        w.key("payeeList").begin_array();
        for(auto const* p : rows)
        {
            w.begin_object();
            w.member("payeeIdType", p->payee_id_type);
            w.member("payeeIdValue", p->payee_identifier);
            w.key("amount").number(p->amount);
            w.member("currency", p->currency);
            w.end_object();
        }
        w.end_array().end_object();
        req.body = std::move(w).finish();
        url = opts_.interop_url;
    }
    else
    {
        // 15.0's g2p_payment_g2p_connect (payment-hub.md §3.2): no sender_uri, payer_fa "".
        // In the async form (on_disburse) the header names the emulator's listener as
        // sender_uri, where the hub posts /on-disburse once every entry is final.
        json::object header;
        header["message_id"] = ids_.uuid_v4();
        header["message_ts"] = python_now();
        header["action"] = "disburse";
        header["sender_id"] = "payments.openg2p.org";
        if(reconciles_by_callback())
        {
            ensure_listener();
            header["sender_uri"] = listener_url_;
        }
        header["receiver_id"] = "pymts.example.org";
        header["total_count"] = rows.size();
        json::array list;
        for(auto const* p : rows)
        {
            json::object e;
            e["reference_id"] = p->name;
            e["payer_fa"] = "";
            auto const& value = opts_.g2p_payee_mode == "reg_id" ? p->payee_identifier : p->phone;
            e["payee_fa"] = opts_.g2p_payee_prefix + value + opts_.g2p_payee_suffix;
            e["amount"] = python_float(p->amount);
            e["payee_name"] = p->name;
            e["note"] = opts_.note;
            e["scheduled_timestamp"] = python_now();
            e["purpose"] = opts_.note;
            e["currency_code"] = p->currency;
            e["locale"] = "eng";
            list.push_back(std::move(e));
        }
        json::object message;
        message["transaction_id"] = name;
        message["disbursements"] = std::move(list);
        json::object body;
        body["signature"] = "dummy";
        body["header"] = std::move(header);
        body["message"] = std::move(message);
        req.body = json::serialize(body);
        url = reconciles_by_callback() ? opts_.g2p_async_disburse_url : opts_.g2p_disburse_url;
    }
    // Awaited from now on: the on-disburse callback may come before the batch id is known.
    bool const by_callback = reconciles_by_callback();
    if(by_callback)
    {
        for(auto* p : rows)
            listener_->awaited.emplace(p->name, p);
        awaiting_->store(listener_->awaited.size());
    }
    auto const forget = [&] {
        if(!by_callback)
            return;
        for(auto const* p : rows)
            listener_->awaited.erase(p->name);
        awaiting_->store(listener_->awaited.size());
    };
    auto res = co_await http_.send(url, std::move(req));
    last_upload_status_ = res ? res->status : 0;
    if(!res || !res->ok())
    {
        error = res ? "POST answered " + std::to_string(res->status) + ": " + res->body : "POST failed: " + res.error().message();
        forget();
        co_return std::string{};
    }
    if(by_callback)
    {
        // The async answer is an ack: ACK promises the callback; NACK or ERR, none will come.
        auto const obj = tools::object_of_ok(res);
        auto const* m = obj ? obj->if_contains("message") : nullptr;
        auto const ack = m && m->is_object() ? string_of(m->get_object(), "ack_status") : std::string{};
        if(ack != "ACK")
        {
            error = "the hub did not ACK the disburse (no on-disburse will follow): " + res->body;
            forget();
            co_return std::string{};
        }
    }
    auto batch_id = co_await hub_batch_of(name);
    if(batch_id.empty())
    {
        error = "the hub's operations API does not show batch " + name;
        forget();
        co_return std::string{};
    }
    for(auto* p : rows)
    {
        if(p->st == payment::state::issued) // a callback may have reconciled it already
            p->st = payment::state::sent;
        p->batch_id = batch_id;
    }
    if(interop)
    {
        // payeeResults aligned with payeeList: COMPLETED paid; REJECTED, ABORTED,
        // ERROR_OCCURRED failed; anything else stays sent.
        json::error_code ec;
        auto const v = json::parse(res->body, ec);
        auto const* results = !ec && v.is_object() ? v.get_object().if_contains("payeeResults") : nullptr;
        if(results && results->is_array() && results->get_array().size() == rows.size())
            for(std::size_t i = 0; i < rows.size(); ++i)
            {
                auto const& r = results->get_array()[i];
                auto const status = r.is_object() ? string_of(r.get_object(), "status") : std::string{};
                rows[i]->detail_status = status;
                if(status == "COMPLETED")
                    rows[i]->result = payment::status::paid;
                else if(status == "REJECTED" || status == "ABORTED" || status == "ERROR_OCCURRED")
                    rows[i]->result = payment::status::failed;
                else
                    continue;
                rows[i]->st = payment::state::reconciled;
            }
    }
    co_return batch_id;
}

net::awaitable<std::size_t> client::reconcile_g2p(std::string batch_id, std::span<payment> payments,
                                                  std::chrono::milliseconds limit)
{
    auto const deadline = std::chrono::steady_clock::now() + limit;
    std::size_t finals = 0;
    for(;;)
    {
        // OpenG2P's status cron: every payment of the batch not yet reconciled.
        json::array names;
        std::unordered_map<std::string, payment*> by_name;
        for(auto& p : payments)
            if(p.batch_id == batch_id && p.st == payment::state::sent)
            {
                names.emplace_back(p.name);
                by_name.emplace(p.name, &p);
            }
        if(names.empty())
            co_return finals;
        json::object header;
        header["message_id"] = ids_.uuid_v4();
        header["message_ts"] = python_now();
        header["action"] = "disburse";
        header["sender_id"] = "payments.openg2p.org";
        header["receiver_id"] = "pymts.example.org";
        header["total_count"] = names.size();
        json::object q;
        q["reference_id"] = ids_.uuid_v4();
        q["txn_type"] = "disburse";
        q["attribute_type"] = "reference_id_list";
        q["attribute_value"] = std::move(names);
        q["locale"] = "eng";
        json::object message;
        message["transaction_id"] = batch_id;
        message["txnstatus_request"] = std::move(q);
        json::object body;
        body["signature"] = "dummy";
        body["header"] = std::move(header);
        body["message"] = std::move(message);
        net::request req;
        req.method = net::method::post;
        req.fields.set("Content-Type", "application/json");
        req.body = json::serialize(body);
        auto res = co_await http_.send(opts_.g2p_status_url, std::move(req));
        auto const obj = tools::object_of_ok(res);
        json::value const* list = nullptr;
        if(obj)
            if(auto const* m = obj->if_contains("message"); m && m->is_object())
                if(auto const* t = m->get_object().if_contains("txnstatus_response"); t && t->is_object())
                    list = t->get_object().if_contains("txn_status");
        if(list && list->is_array())
            for(auto const& e : list->get_array())
            {
                if(!e.is_object()) // null: unknown to the hub
                    continue;
                auto const& eo = e.get_object();
                auto it = by_name.find(string_of(eo, "reference_id"));
                if(it == by_name.end())
                    continue;
                g2p_outcome o;
                o.reference_id = it->first;
                o.status = string_of(eo, "status");
                o.reason_code = string_of(eo, "status_reason_code");
                o.reason_message = string_of(eo, "status_reason_message");
                if(apply_g2p_outcome(*it->second, o)) // other statuses only update detail_status
                    ++finals;
            }
        if(std::chrono::steady_clock::now() > deadline)
            co_return finals;
        co_await net::sleep_for(std::chrono::milliseconds(20)); // the status cron
    }
}

net::awaitable<std::size_t> client::reconcile_phee(std::string batch_id, std::span<payment> payments)
{
    std::unordered_map<std::string_view, payment*> by_name;
    for(auto& p : payments)
        if(p.batch_id == batch_id)
            by_name.emplace(p.name, &p);
    std::size_t finals = 0;
    for(std::size_t page = 0;; ++page)
    {
        auto const url = opts_.operations_url + "/api/v1/batch/detail?batchId=" + net::percent_encode(batch_id) +
                         "&pageNo=" + std::to_string(page) + "&pageSize=" + std::to_string(opts_.detail_page_size);
        auto res = co_await http_.send(url, make_request(net::method::get));
        if(!res || res->status != 200)
            break;
        json::error_code ec;
        auto const v = json::parse(res->body, ec);
        if(ec || !v.is_object())
            break;
        auto const& o = v.get_object();
        auto const* content = o.if_contains("content");
        if(!content || !content->is_array())
            break;
        for(auto const& row : content->get_array())
        {
            if(!row.is_object())
                continue;
            auto const& t = row.get_object();
            auto const it = by_name.find(strip_quotes(string_of(t, "clientCorrelationId")));
            if(it == by_name.end())
                continue;
            payment& p = *it->second;
            p.detail_status = string_of(t, "status");
            if(p.detail_status == "COMPLETED")
                p.result = payment::status::paid;
            else if(p.detail_status == "FAILED" || p.detail_status == "EXCEPTION" || p.detail_status == "REJECTED" ||
                    p.detail_status == "ABORTED")
                p.result = payment::status::failed;
            else
                continue;
            if(auto const* e = t.if_contains("errorInformation"); e && !e->is_null())
                p.error = e->is_string() ? std::string(e->get_string()) : json::serialize(*e);
            if(p.st != payment::state::reconciled)
                ++finals;
            p.st = payment::state::reconciled;
        }
        auto const* last = o.if_contains("last");
        if(!last || !last->is_bool() || last->get_bool() || content->get_array().empty())
            break;
    }
    co_return finals;
}

} // namespace mojasim::openg2p
