#include "simulator/ledger/bulk_book.hpp"

#include <algorithm>
#include <utility>

namespace mojasim::ledger {

namespace {

using fspiop::errc;
using fspiop::error_information;

// The detail central-ledger gives 3210 (its bulk GET handler).
constexpr std::string_view bulk_not_found = "Provided Bulk Transfer ID was not found on the server.";

bool
is_final(bulk_state s) noexcept
{
    return s == bulk_state::completed || s == bulk_state::rejected;
}

} // namespace

std::string_view
to_string(bulk_state s) noexcept
{
    switch(s)
    {
    case bulk_state::received: return "RECEIVED";
    case bulk_state::pending: return "PENDING";
    case bulk_state::accepted: return "ACCEPTED";
    case bulk_state::processing: return "PROCESSING";
    case bulk_state::completed: return "COMPLETED";
    case bulk_state::rejected: return "REJECTED";
    }
    return "REJECTED";
}

bulk_book::
bulk_book(transfer_book& transfers, bulk_book_options opts)
    : transfers_(transfers)
    , opts_(opts)
{
}

bulk_transfer const*
bulk_book::
find(std::string_view id) const noexcept
{
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &bulks_[it->second];
}

bulk_transfer const*
bulk_book::
owner_of(std::string_view transfer_id) const noexcept
{
    auto it = owners_.find(transfer_id);
    return it == owners_.end() ? nullptr : &bulks_[it->second];
}

std::vector<bulk_item_result>
bulk_book::
results(bulk_transfer const& b, bool prepared_only) const
{
    std::vector<bulk_item_result> out;
    out.reserve(b.items.size());
    for(auto const& item : b.items)
    {
        if(item.prepare_error)
        {
            if(!prepared_only)
                out.push_back({item.transfer_id, {}, item.prepare_error});
            continue;
        }
        bulk_item_result r{item.transfer_id, {}, std::nullopt};
        if(auto const* t = transfers_.find(item.transfer_id))
        {
            switch(to_api(t->state))
            {
            case api_state::committed: r.fulfilment = t->fulfilment; break;
            case api_state::aborted:
                r.error = t->error.value_or(error_information::from(errc::internal_server_error));
                break;
            case api_state::received:
            case api_state::reserved: break;
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

notify_bulk_state
bulk_book::
state_for(bulk_transfer const& b, std::string to, bool prepared_only) const
{
    notify_bulk_state s;
    s.to = std::move(to);
    s.state = b.state;
    // While PROCESSING the hub reports the state alone (central-ledger's bulk GET handler).
    if(b.state != bulk_state::processing)
    {
        s.completed = b.completed;
        s.results = results(b, prepared_only);
    }
    return s;
}

bulk_decision
bulk_book::
reply_error(bulk_transfer const* b, std::string to, errc code, std::string detail) const
{
    bulk_decision d;
    if(b)
    {
        d.bulk_id = b->id;
        d.state = b->state;
        d.tag = b->tag;
    }
    d.effects.emplace_back(notify_bulk_error{std::move(to), error_information::from(code, detail)});
    return d;
}

bulk_decision
bulk_book::
prepare(bulk_prepare_command cmd, time_point now)
{
    // Duplicates: a changed body is a modified request; the same body gets the current result
    // once the bulk is final, and nothing while it is in progress.
    if(auto it = by_id_.find(cmd.bulk_id); it != by_id_.end())
    {
        auto const& b = bulks_[it->second];
        if(b.prepare_hash != cmd.hash)
            return reply_error(&b, std::move(cmd.source), errc::modified_request);
        bulk_decision d;
        d.bulk_id = b.id;
        d.state = b.state;
        d.tag = b.tag;
        if(b.state == bulk_state::rejected && b.error)
            d.effects.emplace_back(notify_bulk_error{std::move(cmd.source), *b.error});
        else if(is_final(b.state))
            d.effects.emplace_back(state_for(b, std::move(cmd.source), false));
        return d;
    }

    // The bulk's own checks, before any item: the first failure refuses the whole bulk.
    std::string reason;
    if(cmd.source != cmd.payer_fsp)
        reason = "FSPIOP-Source header should match Payer";
    else if(cmd.items.empty() || cmd.items.size() > max_bulk_items)
        reason = "individualTransfers must hold 1 to " + std::to_string(max_bulk_items) + " items";
    else if(cmd.expiration < now)
        reason = "Expiration date " + core::format_datetime(cmd.expiration) + " is already in the past";
    else
        for(auto const& item : cmd.items)
            if(!item.payee_fsp.empty() && item.payee_fsp != cmd.payee_fsp)
            {
                // The rule first: a description is cut at 128 characters.
                reason = "one payee FSP per bulk: transfer " + item.transfer_id + " is for " + item.payee_fsp;
                break;
            }

    auto const which = static_cast<index>(bulks_.size());
    bulk_transfer b;
    b.id = cmd.bulk_id;
    b.payer_fsp = cmd.payer_fsp;
    b.payee_fsp = cmd.payee_fsp;
    b.expiration = cmd.expiration;
    b.created = now;
    b.prepare_hash = cmd.hash;
    b.tag = cmd.tag;
    b.items.reserve(cmd.items.size());
    bulks_.push_back(std::move(b));
    by_id_.emplace(cmd.bulk_id, which);
    auto& bulk = bulks_.back();

    bulk_decision d;
    d.bulk_id = bulk.id;
    d.tag = bulk.tag;
    d.changed = true;
    if(!reason.empty())
    {
        // Kept as REJECTED so a resend and a GET find it; every item carries the reason.
        bulk.state = bulk_state::rejected;
        bulk.completed = now;
        bulk.error = error_information::from(errc::generic_validation_error, reason);
        for(auto& item : cmd.items)
            bulk.items.push_back({std::move(item.transfer_id), bulk.error});
        d.state = bulk.state;
        d.effects.emplace_back(notify_bulk_error{std::move(cmd.source), *bulk.error});
        return d;
    }

    // Every item in order through the transfer book: its validation, duplicates, liquidity
    // and net debit cap each see the items before it. The book's own messages for an item
    // are not sent; the bulk reports its items together.
    forward_bulk fwd;
    fwd.to = bulk.payee_fsp;
    for(std::size_t i = 0; i < cmd.items.size(); ++i)
    {
        auto& item = cmd.items[i];
        prepare_command pc;
        pc.transfer_id = item.transfer_id;
        pc.payer_fsp = bulk.payer_fsp;
        pc.payee_fsp = bulk.payee_fsp;
        pc.amount = item.amount;
        pc.currency = std::move(item.currency);
        pc.condition = std::move(item.condition);
        pc.expiration = bulk.expiration;
        pc.source = cmd.source;
        pc.hash = item.hash;
        pc.tag = bulk.tag;
        auto const pd = transfers_.prepare(std::move(pc), now);
        bulk_item bi{std::move(item.transfer_id), std::nullopt};
        if(pd.changed && pd.state == transfer_state::reserved)
        {
            owners_.emplace(bi.transfer_id, which);
            ++bulk.open;
            fwd.items.push_back(i);
        }
        else if(pd.changed)
        {
            auto const* t = transfers_.find(bi.transfer_id);
            bi.prepare_error = t && t->error ? *t->error : error_information::from(errc::internal_server_error);
        }
        else
        {
            // An id the ledger knows already (an earlier transfer, or an item before this
            // one): never a transfer of this bulk.
            for(auto const& e : pd.effects)
                if(auto const* n = std::get_if<notify_error>(&e))
                    bi.prepare_error = n->error;
            if(!bi.prepare_error)
                bi.prepare_error = error_information::from(errc::modified_request,
                                                           "transfer ID " + bi.transfer_id + " is already in use");
        }
        bulk.items.push_back(std::move(bi));
    }

    bulk.state = bulk_state::accepted;
    if(bulk.open == 0)
    {
        // Nothing to send to the payee: the payer hears every item's error at once.
        bulk.state = bulk_state::rejected;
        bulk.completed = now;
        d.state = bulk.state;
        d.effects.emplace_back(state_for(bulk, bulk.payer_fsp, false));
        return d;
    }
    fwd.all = fwd.items.size() == bulk.items.size();
    d.state = bulk.state;
    d.effects.emplace_back(std::move(fwd));
    return d;
}

std::optional<bulk_decision>
bulk_book::
screen(bulk_transfer& b, std::optional<body_digest>& seen, body_digest const& hash, std::string const& source,
       std::string_view destination) const
{
    // Only the payee speaks for a bulk, and to the payer; another FSP's message is refused
    // and changes nothing (it is not recorded as a duplicate either).
    if(!destination.empty() && destination != b.payer_fsp)
        return reply_error(&b, source, errc::generic_validation_error,
                           "FSPIOP-Destination does not match payer fsp on the Fulfil callback response");
    if(source != b.payee_fsp)
        return reply_error(&b, source, errc::generic_validation_error,
                           "FSPIOP-Source does not match payee fsp on the Fulfil callback response");
    if(seen)
    {
        if(*seen != hash)
            return reply_error(&b, source, errc::modified_request);
        bulk_decision d;
        d.bulk_id = b.id;
        d.state = b.state;
        d.tag = b.tag;
        if(is_final(b.state))
            d.effects.emplace_back(state_for(b, source, true));
        return d;
    }
    seen = hash;
    if(b.state != bulk_state::accepted)
    {
        // Too late for a bulk that expired; any other state cannot take results.
        if(b.state == bulk_state::completed && b.expiration <= b.completed.value_or(b.expiration))
            return reply_error(&b, source, errc::transfer_expired);
        return reply_error(&b, source, errc::generic_validation_error, "non-ACCEPTED bulk transfer state");
    }
    return std::nullopt;
}

void
bulk_book::
finish_if_done(bulk_transfer& b, bulk_decision& d, time_point now)
{
    if(b.open != 0)
        return;
    b.state = bulk_state::completed;
    b.completed = now;
    d.state = b.state;
    d.changed = true;
    d.effects.emplace_back(state_for(b, b.payer_fsp, false));
    if(opts_.notify_payee)
        d.effects.emplace_back(state_for(b, b.payee_fsp, true));
}

bulk_decision
bulk_book::
fulfil(bulk_fulfil_command cmd, time_point now)
{
    auto it = by_id_.find(cmd.bulk_id);
    if(it == by_id_.end())
        return reply_error(nullptr, std::move(cmd.source), errc::bulk_transfer_id_not_found, std::string(bulk_not_found));
    auto const which = it->second;
    auto& b = bulks_[which];
    if(auto stop = screen(b, b.fulfil_hash, cmd.hash, cmd.source, cmd.destination))
        return std::move(*stop);

    bulk_decision d;
    d.bulk_id = b.id;
    d.tag = b.tag;
    d.changed = true;
    // Each result as a single fulfil or error of its item, committed or aborted on its own.
    for(auto& r : cmd.results)
    {
        auto owner = owners_.find(r.transfer_id);
        if(owner == owners_.end() || owner->second != which)
            continue;
        auto const* t = transfers_.find(r.transfer_id);
        if(!t || t->state != transfer_state::reserved)
            continue;
        if(r.error)
        {
            reject_command rc;
            rc.transfer_id = std::move(r.transfer_id);
            rc.source = cmd.source;
            rc.destination = cmd.destination;
            rc.error = std::move(*r.error);
            rc.hash = cmd.hash;
            (void)transfers_.reject(std::move(rc), now);
        }
        else
        {
            fulfil_command fc;
            fc.transfer_id = std::move(r.transfer_id);
            fc.source = cmd.source;
            fc.destination = cmd.destination;
            fc.requested = api_state::committed;
            fc.fulfilment = std::move(r.fulfilment);
            fc.completed = cmd.completed;
            fc.hash = cmd.hash;
            (void)transfers_.fulfil(std::move(fc), now);
        }
        if(t->state != transfer_state::reserved)
            --b.open;
    }
    // Items without a result stay reserved until they expire.
    b.state = bulk_state::processing;
    d.state = b.state;
    finish_if_done(b, d, now);
    return d;
}

bulk_decision
bulk_book::
reject(bulk_reject_command cmd, time_point now)
{
    auto it = by_id_.find(cmd.bulk_id);
    if(it == by_id_.end())
        return reply_error(nullptr, std::move(cmd.source), errc::bulk_transfer_id_not_found, std::string(bulk_not_found));
    auto const which = it->second;
    auto& b = bulks_[which];
    if(auto stop = screen(b, b.error_hash, cmd.hash, cmd.source, cmd.destination))
        return std::move(*stop);

    // Every item still reserved is aborted with the payee's error.
    for(auto const& item : b.items)
    {
        if(item.prepare_error)
            continue;
        auto const* t = transfers_.find(item.transfer_id);
        if(!t || t->state != transfer_state::reserved)
            continue;
        reject_command rc;
        rc.transfer_id = item.transfer_id;
        rc.source = cmd.source;
        rc.destination = cmd.destination;
        rc.error = cmd.error;
        rc.hash = cmd.hash;
        (void)transfers_.reject(std::move(rc), now);
    }
    b.open = 0;
    b.state = bulk_state::rejected;
    b.completed = now;
    b.error = std::move(cmd.error);
    bulk_decision d;
    d.bulk_id = b.id;
    d.tag = b.tag;
    d.state = b.state;
    d.changed = true;
    d.effects.emplace_back(forward_bulk_error{b.payer_fsp});
    return d;
}

bulk_decision
bulk_book::
query(bulk_query_command const& cmd) const
{
    auto const* b = find(cmd.bulk_id);
    if(!b)
        return reply_error(nullptr, cmd.source, errc::bulk_transfer_id_not_found, std::string(bulk_not_found));
    // central-ledger's 3000 for a requester that is neither payer nor payee has no detail.
    if(cmd.source != b->payer_fsp && cmd.source != b->payee_fsp)
        return reply_error(b, cmd.source, errc::generic_client_error);
    bulk_decision d;
    d.bulk_id = b->id;
    d.state = b->state;
    d.tag = b->tag;
    d.effects.emplace_back(state_for(*b, cmd.source, cmd.source != b->payer_fsp));
    return d;
}

std::vector<bulk_decision>
bulk_book::
take_expired(std::vector<expiry>& due, time_point now)
{
    std::vector<index> touched;
    auto const ours = [&](expiry const& e) {
        auto it = owners_.find(e.transfer_id);
        if(it == owners_.end())
            return false;
        auto& b = bulks_[it->second];
        if(b.open > 0)
            --b.open;
        if(std::find(touched.begin(), touched.end(), it->second) == touched.end())
            touched.push_back(it->second);
        return true;
    };
    due.erase(std::remove_if(due.begin(), due.end(), ours), due.end());

    std::vector<bulk_decision> out;
    for(auto const which : touched)
    {
        auto& b = bulks_[which];
        if(is_final(b.state))
            continue;
        bulk_decision d;
        d.bulk_id = b.id;
        d.tag = b.tag;
        d.state = b.state;
        finish_if_done(b, d, now);
        if(d.changed)
            out.push_back(std::move(d));
    }
    return out;
}

} // namespace mojasim::ledger
