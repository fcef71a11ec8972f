// The hub's other ingresses: G2P Connect's disburse API (POST /disburse and its sync and
// status forms) and OpenG2P's Payment Interoperability Layer (one synchronous POST per
// batch). Both turn their entries into rows of the same batch store as the CSV upload
// (hub_state::admit), so payments, the operations API, the progress callbacks and the
// reports treat every batch alike. The wire formats are in g2p_connect.hpp and interop.hpp.
#include "payment-hub/g2p_connect.hpp"
#include "payment-hub/interop.hpp"
#include "payment-hub/payment_hub.hpp"

#include "simulator/core/log.hpp"
#include "simulator/mapper/client.hpp"

#include <algorithm>
#include <unordered_map>

namespace mojasim::hub {

namespace {

constexpr std::string_view json_type = "application/json";

/// The note of an id the hub has no mapper to resolve at.
std::string unresolved_id_note(std::string_view fa)
{
    return "payee_fa '" + std::string(fa) +
           "' holds an id, not a financial address: resolving ids needs the account mapper (ingress_mapper_url), "
           "and none is configured";
}

/// Failures the hub decides itself, not the connector: the interop layer calls them REJECTED.
bool hub_made(std::string_view code)
{
    return code == "400" || code == "404" || code == "409" || code.starts_with("rjct.");
}

} // namespace

g2p::callback_header
hub_state::answer_header(g2p::header const& h, std::string action) const
{
    g2p::callback_header out;
    out.message_id = h.message_id;
    out.message_ts = g2p::format_timestamp(core::unix_ms(clock_.now()));
    out.action = std::move(action);
    out.sender_id = cfg_.g2p_sender_id;
    out.receiver_id = h.sender_id;
    return out;
}

std::vector<g2p::entry_status>
hub_state::entry_statuses(batch const& b, std::string_view pending) const
{
    std::vector<g2p::entry_status> out;
    out.reserve(b.rows.size());
    for(std::size_t i = 0; i < b.rows.size(); ++i)
    {
        auto const& row = b.rows[i];
        g2p::entry_status e;
        e.reference_id = row.request_id;
        e.timestamp = g2p::format_timestamp(row.completed_ms != 0 ? row.completed_ms : row.started_ms);
        if(i < b.client_entries.size())
        {
            e.amount = b.client_entries[i].amount;
            e.payer_fa = b.client_entries[i].payer_fa;
            e.payee_fa = b.client_entries[i].payee_fa;
        }
        else
        {
            e.amount = g2p::amount_text(row.amount);
            e.payee_fa = row.payee_identifier;
        }
        e.currency_code = std::string(b.strings.get(row.currency));
        switch(row.status)
        {
        case row_status::in_progress: e.status = pending; break;
        case row_status::completed: e.status = g2p::status::succ; break;
        case row_status::failed:
        {
            e.status = g2p::status::rjct;
            auto const code = b.strings.get(row.error_code);
            auto const note = b.strings.get(row.error_description);
            if(code.starts_with("rjct."))
                e.reason_code = code;
            else if(note == row_note::duplicate)
                e.reason_code = g2p::reason::reference_id_duplicate;
            else if(note == row_note::invalid_amount)
                e.reason_code = g2p::reason::amount_invalid;
            else
                e.reason_code = g2p::reason::payment_failed;
            e.reason_message = code.starts_with("rjct.") || code.empty() ? std::string(note)
                                                                         : std::string(code) + " " + std::string(note);
            break;
        }
        }
        out.push_back(std::move(e));
    }
    return out;
}

batch*
hub_state::admit_disburse(g2p::disburse_request const& r, std::string correlation_id)
{
    auto const* tenant = cfg_.ingress_tenant_entry();
    if(!tenant)
        return nullptr;

    auto const mapper_url = ingress_mapper_url();
    std::vector<std::size_t> to_resolve; // rows whose payee_fa is an id
    accepted_upload upload;
    upload.raw = true;
    upload.raw_rows.reserve(r.disbursements.size());
    std::vector<client_entry> entries;
    entries.reserve(r.disbursements.size());
    for(auto const& d : r.disbursements)
    {
        input_row in;
        in.request_id = d.reference_id;
        in.payment_mode = "MOJALOOP";
        in.amount = d.amount;
        in.currency = d.currency_code;
        in.note = d.note;
        if(auto const why = g2p::disbursement_reason(d))
        {
            in.reject_code = std::string(why->code);
            in.reject_note = why->message;
        }
        // The payer: its FA, or the hub's default payer (OpenG2P 15.0 sends payer_fa "").
        if(!d.payer_fa.empty())
        {
            if(auto const payer = g2p::read_fa(d.payer_fa); auto const* a = std::get_if<g2p::address>(&payer))
            {
                in.payer_identifier_type = std::string(connector::to_string(a->type));
                in.payer_identifier = a->value;
            }
            else if(in.reject_code.empty())
            {
                in.reject_code = std::string(g2p::reason::payer_fa_invalid);
                in.reject_note = "payer_fa '" + d.payer_fa + "' is not an address the hub can pay from";
            }
        }
        else
        {
            in.payer_identifier_type = cfg_.ingress_payer_id_type;
            in.payer_identifier = cfg_.ingress_payer_id;
            if(in.payer_identifier.empty() && in.reject_code.empty())
            {
                in.reject_code = std::string(g2p::reason::payer_fa_invalid);
                in.reject_note = "payer_fa is empty and the hub has no default payer (ingress_payer_id)";
            }
        }
        // The payee: an address is paid as it stands; an id needs the mapper.
        auto const payee = g2p::read_fa(d.payee_fa);
        if(auto const* a = std::get_if<g2p::address>(&payee))
        {
            in.payee_identifier_type = std::string(connector::to_string(a->type));
            in.payee_identifier = a->value;
            if(!a->provider.empty() && a->provider.find('.') == std::string::npos)
                in.payee_dfsp_id = a->provider;
        }
        else if(std::holds_alternative<g2p::id_to_resolve>(payee) && in.reject_code.empty())
        {
            in.payee_identifier = d.payee_fa;
            if(mapper_url.empty())
            {
                in.reject_code = std::string(g2p::reason::payee_fa_invalid);
                in.reject_note = unresolved_id_note(d.payee_fa);
            }
            else
                to_resolve.push_back(upload.raw_rows.size());
        }
        else
            in.payee_identifier = d.payee_fa;
        upload.raw_rows.push_back(std::move(in));
        entries.push_back(client_entry{d.payer_fa, d.payee_fa, d.amount});
    }

    batch_info info;
    info.batch_id = ids_.uuid_v4();
    info.tenant = tenant->first;
    info.payer_fsp = tenant->second.payer_fsp;
    info.request_id = r.transaction_id;
    info.purpose = r.disbursements.empty() || r.disbursements.front().purpose.empty() ? std::string("G2P Connect disburse")
                                                                                       : r.disbursements.front().purpose;
    info.raw = true;
    info.ingress = ingress::g2p_connect;
    info.sender_uri = r.header.sender_uri;
    while(!info.sender_uri.empty() && info.sender_uri.back() == '/')
        info.sender_uri.pop_back();
    info.sender_id = r.header.sender_id;
    info.message_id = r.header.message_id;
    info.signature = r.signature;
    info.correlation_id = std::move(correlation_id);

    // Rows holding ids are paid once the mapper has resolved them: the whole batch waits, so
    // its rows still go to the workers in order.
    bool const resolve = !to_resolve.empty();
    auto& b = admit(std::move(info), upload, batch_rules{&cfg_.payment_modes, nullptr, true}, std::move(entries), !resolve);
    if(resolve)
        net::spawn(ex_, resolve_ids(&b, std::move(to_resolve), mapper_url), "hub", shared_from_this());
    return &b;
}

std::string
hub_state::ingress_mapper_url() const
{
    if(!cfg_.ingress_mapper_url.empty())
        return cfg_.ingress_mapper_url;
    auto const* tenant = cfg_.ingress_tenant_entry();
    return tenant ? tenant->second.mapper_url : std::string{};
}

net::awaitable<void>
hub_state::resolve_ids(batch* b, std::vector<std::size_t> rows, std::string mapper_url)
{
    for(auto const i : rows)
    {
        // Locals, not temporaries, in the co_await (g++ 12).
        auto const id = b->rows[i].payee_identifier;
        auto const message_id = ids_.uuid_v4();
        auto const timeout = cfg_.callback_timeout;
        auto fa = co_await mapper::resolve_id(client_, mapper_url, id, message_id, timeout);
        if(stopping_)
            co_return;
        auto const now_ms = core::unix_ms(clock_.now());
        auto const fail = [&](std::string_view code, std::string const& note) {
            b->rows[i].payable = false; // the workers must not pay it
            b->fail_row(i, now_ms, code, note);
        };
        if(!fa)
        {
            log_->warn("batch {}: resolving {} at {} failed: {}", b->info.batch_id, id, mapper_url, fa.error().message());
            fail(g2p::reason::payment_failed, "the account mapper could not resolve payee_fa '" + id + "': " + fa.error().message());
            continue;
        }
        if(!*fa)
        {
            fail(g2p::reason::payee_fa_invalid, "the account mapper knows no financial address for payee_fa '" + id + "'");
            continue;
        }
        auto const reading = g2p::read_fa(**fa);
        auto const* a = std::get_if<g2p::address>(&reading);
        if(!a)
        {
            fail(g2p::reason::payee_fa_invalid, "the account mapper resolved payee_fa '" + id + "' to '" + **fa + "', which the hub cannot pay");
            continue;
        }
        auto& row = b->rows[i];
        row.payee_identifier = a->value;
        row.payee_type = b->strings.intern(connector::to_string(a->type));
        if(!a->provider.empty() && a->provider.find('.') == std::string::npos)
            row.payee_dfsp = b->strings.intern(a->provider);
        log_->debug("batch {}: {} resolved to {}", b->info.batch_id, id, **fa);
    }
    if(b->finished())
        settled(*b); // every id failed: the batch ends here (on-disburse, waiters)
    else
        activate(*b);
}

void
hub_state::batch_finished(batch& b)
{
    if(auto it = finish_waiters_.find(batch_key(b)); it != finish_waiters_.end())
        it->second->deliver(true);
    if(b.info.ingress != ingress::g2p_connect || b.info.sender_uri.empty())
        return;
    // POST {sender_uri}/on-disburse with every entry final.
    g2p::header h;
    h.message_id = b.info.message_id;
    h.sender_id = b.info.sender_id;
    auto head = answer_header(h, "on-disburse");
    auto const entries = entry_statuses(b, g2p::status::pdng);
    head.total_count = static_cast<std::int64_t>(entries.size());
    head.completed_count = static_cast<std::int64_t>(b.successful() + b.failed());
    if(!entries.empty() && b.successful() == 0)
    {
        head.status = g2p::status::rjct;
        head.reason_code = g2p::reason::errors_too_many;
        head.reason_message = "All requests in transaction failed.";
    }
    auto body = g2p::disburse_response_body(b.info.signature, head, b.info.request_id, b.info.correlation_id, entries);
    queue_post(b, b.info.sender_uri + "/on-disburse", std::move(body));
}

net::awaitable<net::response>
hub_state::on_disburse(net::request req, bool sync)
{
    auto r = g2p::decode_disburse(req.body);
    if(!r)
    {
        log_->warn("{} refused ({}): {}", req.path(), r.error().code, r.error().message);
        co_return net::make_response(r.error().status, g2p::errors_body(r.error()), json_type);
    }
    auto const correlation_id = ids_.uuid_v4();
    auto* b = admit_disburse(*r, correlation_id);
    if(!b)
    {
        log_->warn("{} refused (500): no tenant configured to pay from", req.path());
        g2p::bad_request e{500, "err.service.unavailable", "no tenant is configured to pay from (tenants, ingress_tenant)"};
        co_return net::make_response(500, g2p::errors_body(e), json_type);
    }
    auto const now = g2p::format_timestamp(core::unix_ms(clock_.now()));
    if(!sync)
        co_return net::make_response(200, g2p::ack_body(!b->info.sender_uri.empty(), now, correlation_id), json_type);

    // As GCTB: answered at once, every entry not yet final "rcvd"; payment runs later.
    auto head = answer_header(r->header, "disburse");
    auto const entries = entry_statuses(*b, g2p::status::rcvd);
    head.status = g2p::status::rcvd;
    head.total_count = static_cast<std::int64_t>(entries.size());
    head.completed_count = static_cast<std::int64_t>(b->successful() + b->failed());
    co_return net::make_response(
        200, g2p::disburse_response_body(r->signature, head, r->transaction_id, correlation_id, entries), json_type);
}

g2p::txn_status
hub_state::status_of(g2p::status_request const& r) const
{
    auto const* tenant = cfg_.ingress_tenant_entry();
    if(!tenant)
        return {};
    if(auto const* ids = std::get_if<std::vector<std::string>>(&r.attribute_value))
    {
        // OpenG2P 15.0's form: a list aligned with the ids, null for an unknown one. The
        // newest batch holding an id answers for it.
        std::unordered_map<std::string_view, std::optional<g2p::entry_status>> found;
        for(auto const& id : *ids)
            found.emplace(id, std::nullopt);
        store_.for_each(tenant->first, [&](batch const& b) {
            if(b.info.ingress != ingress::g2p_connect)
                return;
            std::vector<g2p::entry_status> entries; // made once per batch that holds an id
            for(std::size_t i = 0; i < b.rows.size(); ++i)
            {
                auto it = found.find(b.rows[i].request_id);
                if(it == found.end())
                    continue;
                if(entries.empty())
                    entries = entry_statuses(b, g2p::status::pdng);
                it->second = entries[i];
            }
        });
        std::vector<std::optional<g2p::entry_status>> out;
        out.reserve(ids->size());
        for(auto const& id : *ids)
            out.push_back(found.at(id));
        return out;
    }
    // transaction_id or correlation_id: the newest batch that matches, as a DisburseResponse.
    auto const& value = std::get<std::string>(r.attribute_value);
    bool const by_transaction = r.attribute_type == "transaction_id";
    batch const* match = nullptr;
    store_.for_each(tenant->first, [&](batch const& b) {
        if(b.info.ingress == ingress::g2p_connect && (by_transaction ? b.info.request_id : b.info.correlation_id) == value)
            match = &b;
    });
    if(!match)
        return {};
    return g2p::disburse_status_object{match->info.request_id, entry_statuses(*match, g2p::status::pdng)};
}

net::awaitable<net::response>
hub_state::on_txn_status(net::request req, bool sync)
{
    auto r = g2p::decode_txn_status(req.body);
    if(!r)
    {
        log_->warn("{} refused ({}): {}", req.path(), r.error().code, r.error().message);
        co_return net::make_response(r.error().status, g2p::errors_body(r.error()), json_type);
    }
    auto const correlation_id = ids_.uuid_v4();
    auto head = answer_header(r->header, sync ? "status" : "on-status");
    auto const st = status_of(*r);
    if(auto const* list = std::get_if<std::vector<std::optional<g2p::entry_status>>>(&st))
    {
        head.total_count = static_cast<std::int64_t>(list->size());
        head.completed_count = std::count_if(list->begin(), list->end(), [](auto const& e) { return e.has_value(); });
    }
    else if(auto const* obj = std::get_if<g2p::disburse_status_object>(&st))
        head.total_count = head.completed_count = static_cast<std::int64_t>(obj->entries.size());
    auto body = g2p::txn_status_body(r->signature, head, r->transaction_id, correlation_id, st);
    if(sync)
        co_return net::make_response(200, std::move(body), json_type);

    std::string uri = r->header.sender_uri;
    while(!uri.empty() && uri.back() == '/')
        uri.pop_back();
    auto const now = g2p::format_timestamp(core::unix_ms(clock_.now()));
    if(!uri.empty())
    {
        // Not tied to a batch: a sender of its own.
        queue_post("\x1fstatus\x1f" + correlation_id, uri + "/disburse/txn/on-status", std::move(body));
    }
    co_return net::make_response(200, g2p::ack_body(!uri.empty(), now, correlation_id), json_type);
}

//------------------------------------------------------------------------------
// OpenG2P's Payment Interoperability Layer

net::awaitable<net::response>
hub_state::on_interop(net::request req)
{
    auto r = interop::decode(req.body);
    if(!r)
    {
        log_->warn("{} refused (400): {}", req.path(), r.error().message);
        co_return net::make_response(400, interop::error_body(r.error()), json_type);
    }
    auto const* tenant = cfg_.ingress_tenant_entry();
    if(!tenant)
    {
        log_->warn("{} refused (500): no tenant configured to pay from", req.path());
        co_return net::make_response(500, interop::error_body({"no tenant is configured to pay from"}), json_type);
    }

    accepted_upload upload;
    upload.raw = true;
    for(auto const& p : r->payees)
    {
        input_row in;
        in.payment_mode = "MOJALOOP";
        in.payer_identifier_type = cfg_.ingress_payer_id_type;
        in.payer_identifier = cfg_.ingress_payer_id;
        in.payee_identifier = p.id_value;
        in.amount = p.amount;
        in.currency = p.currency;
        in.note = r->note;
        if(auto const type = interop::payee_type(p.id_type))
            in.payee_identifier_type = std::string(connector::to_string(*type));
        else
        {
            in.reject_code = "400";
            in.reject_note = "payeeIdType '" + p.id_type + "' is not supported";
        }
        if(in.payer_identifier.empty() && in.reject_code.empty())
        {
            in.reject_code = "400";
            in.reject_note = "the hub has no payer for the interop layer (ingress_payer_id)";
        }
        if(p.id_value.empty() && in.reject_code.empty())
        {
            in.reject_code = "400";
            in.reject_note = "payeeIdValue is empty";
        }
        upload.raw_rows.push_back(std::move(in));
    }

    batch_info info;
    info.batch_id = ids_.uuid_v4();
    info.tenant = tenant->first;
    info.payer_fsp = tenant->second.payer_fsp;
    info.request_id = r->disbursement_id;
    info.purpose = r->note.empty() ? std::string("interop layer") : r->note;
    info.raw = true;
    info.ingress = ingress::interop;
    auto& b = admit(std::move(info), upload, batch_rules{&cfg_.payment_modes, nullptr, true});
    auto const tenant_name = b.info.tenant;
    auto const batch_id = b.info.batch_id;

    // The answer waits for the batch (synchronous, as the manager expects), within
    // interop_timeout: what is still in progress then is PENDING (OpenG2P leaves it "sent").
    if(!b.finished())
    {
        auto waiter = std::make_shared<net::one_shot<bool>>(ex_);
        auto const key = batch_key(b);
        finish_waiters_[key] = waiter;
        auto const limit = cfg_.interop_timeout;
        co_await waiter->wait(limit);
        finish_waiters_.erase(key);
    }
    auto const* done = store_.find(tenant_name, batch_id);
    if(!done)
        co_return net::make_response(500, interop::error_body({"the batch was dropped from the store"}), json_type);

    std::vector<interop::result> results;
    results.reserve(done->rows.size());
    for(auto const& row : done->rows)
    {
        interop::result res;
        res.timestamp_ms = row.completed_ms != 0 ? row.completed_ms : row.started_ms;
        if(row.status == row_status::completed)
        {
            res.status = "COMPLETED";
            res.amount_credited = row.amount;
        }
        else if(row.status == row_status::failed)
            res.status = hub_made(done->strings.get(row.error_code)) ? "REJECTED" : "ERROR_OCCURRED";
        else
            res.status = "PENDING";
        results.push_back(res);
    }
    co_return net::make_response(200, interop::response_body(done->info.request_id, results), json_type);
}

} // namespace mojasim::hub
