#include "tools/openg2p/openg2p_client.hpp"

#include "tools/support/json_reply.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

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
    : opts_(std::move(opts)), ids_(ids), http_(ex, [&] {
          net::client_options o;
          o.name = "openg2p";
          o.request_timeout = opts_.request_timeout;
          o.max_connections_per_host = 4;
          return o;
      }())
{
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

net::awaitable<std::size_t> client::reconcile(std::string batch_id, std::span<payment> payments)
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
