#include "simulator/ledger/transfer_book.hpp"

#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

#include <utility>

namespace mojasim::ledger {

namespace {

using fspiop::errc;
using fspiop::error_information;

std::string
concat(std::initializer_list<std::string_view> parts)
{
    std::string s;
    std::size_t n = 0;
    for(auto p : parts)
        n += p.size();
    s.reserve(n);
    for(auto p : parts)
        s.append(p);
    return s;
}

// Why a transfer's state forbids a fulfil or an error callback: 3303 for an expired one
// (the payee was late), else central-ledger's 3100 (which does not name the state).
error_information
not_reserved(transfer_state s)
{
    if(s == transfer_state::expired_reserved || s == transfer_state::expired_prepared)
        return error_information::from(errc::transfer_expired);
    return error_information::from(errc::generic_validation_error, "non-RESERVED transfer state");
}

// The detail central-ledger gives 3208 (GET, fulfil and error callback of an unknown id).
constexpr std::string_view transfer_not_found = "Provided Transfer ID was not found on the server.";

} // namespace

bool
completed_in_future(time_point completed, time_point now) noexcept
{
    return completed > now + completed_timestamp_tolerance;
}

fspiop::extension
abort_cause(error_information const& error)
{
    auto const value = concat({error.error_code, ": ", error.error_description});
    return {"cause", std::string(fspiop::cut_chars(value, 128))};
}

transfer_book::
transfer_book(participant_registry& participants, settlement_book& settlement, transfer_book_options opts)
    : participants_(participants)
    , settlement_(settlement)
    , opts_(opts)
{
}

transfer const*
transfer_book::
find(std::string_view id) const noexcept
{
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &transfers_[it->second];
}

transfer_state
transfer_book::
effective_state(transfer const& t) const noexcept
{
    if(t.state == transfer_state::committed && settlement_.is_settled(t.window))
        return transfer_state::settled;
    return t.state;
}

std::optional<transfer_state>
transfer_book::
state_of(std::string_view id) const noexcept
{
    auto const* t = find(id);
    if(!t)
        return std::nullopt;
    return effective_state(*t);
}

effect
transfer_book::
resend(transfer const& t, std::string to) const
{
    switch(to_api(t.state))
    {
    case api_state::committed: return notify_state{std::move(to), api_state::committed, t.completed, t.fulfilment, {}};
    case api_state::aborted:
    {
        // central-ledger answers with the transfer's state, ABORTED, and the stored error as
        // the `cause` extension (not a PUT .../error).
        notify_state s{std::move(to), api_state::aborted, t.completed, {}, {}};
        s.extensions.push_back(abort_cause(t.error.value_or(error_information::from(errc::internal_server_error))));
        return s;
    }
    case api_state::received:
    case api_state::reserved: break;
    }
    return notify_state{std::move(to), to_api(t.state), std::nullopt, {}, {}};
}

decision
transfer_book::
reply_error(transfer const* t, std::string to, errc code, std::string detail) const
{
    decision d;
    if(t)
        d.state = effective_state(*t);
    d.effects.push_back(notify_error{std::move(to), error_information::from(code, detail)});
    return d;
}

transfer&
transfer_book::
store(prepare_command& cmd, time_point now)
{
    transfer t;
    t.id = std::move(cmd.transfer_id);
    t.payer_fsp = std::move(cmd.payer_fsp);
    t.payee_fsp = std::move(cmd.payee_fsp);
    t.amount = cmd.amount;
    t.currency = std::move(cmd.currency);
    t.condition = std::move(cmd.condition);
    t.expiration = cmd.expiration;
    t.created = now;
    t.prepare_hash = cmd.hash;
    t.tag = cmd.tag;
    auto const i = static_cast<index>(transfers_.size());
    transfers_.push_back(std::move(t));
    by_id_.emplace(transfers_.back().id, i);
    return transfers_.back();
}

decision
transfer_book::
prepare(prepare_command cmd, time_point now)
{
    decision d;

    // Duplicate check (§7.3): same id and body are resent once final and ignored while in
    // progress; the same id with another body is a modified request.
    if(auto it = by_id_.find(cmd.transfer_id); it != by_id_.end())
    {
        auto const& t = transfers_[it->second];
        return duplicate(t, t.prepare_hash == cmd.hash, std::move(cmd.source));
    }

    // Validation in central-ledger's order (validatePrepare); the first failure is the
    // reason, and the transfer is kept as INVALID so duplicates and GETs find it.
    std::string reason;
    account const* payer_position = nullptr;
    account const* payee_position = nullptr;
    auto check_participant = [&](std::string const& name) -> account const* {
        auto const* p = participants_.find(name);
        if(!p || p->is_hub)
        {
            reason = concat({"Participant ", name, " not found"});
            return nullptr;
        }
        if(!p->active)
        {
            reason = concat({"Participant ", name, " is inactive"});
            return nullptr;
        }
        auto const* a = participants_.account_of(p->id, account_type::position, cmd.currency);
        if(!a)
            reason = concat({"Participant ", name, " ", cmd.currency, " account not found"});
        else if(!a->active)
            reason = concat({"Participant ", name, " ", cmd.currency, " account is inactive"});
        return reason.empty() ? a : nullptr;
    };
    auto validate = [&] {
        if(cmd.source != cmd.payer_fsp)
            reason = "FSPIOP-Source header should match Payer";
        else if((payer_position = check_participant(cmd.payer_fsp)) == nullptr)
            return;
        else if((payee_position = check_participant(cmd.payee_fsp)) == nullptr)
            return;
        else if(!fspiop::is_ilp_condition(cmd.condition))
            reason = "Condition validation failed";
        else if(cmd.expiration < now)
            reason = concat({"Expiration date ", core::format_datetime(cmd.expiration), " is already in the past"});
        else if(cmd.payer_fsp == cmd.payee_fsp)
            reason = "Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme";
    };
    validate();

    std::string sender = cmd.source;
    auto& t = store(cmd, now);
    d.changed = true;
    if(!reason.empty())
    {
        t.state = transfer_state::invalid;
        t.error = error_information::from(errc::generic_validation_error, reason);
        d.state = t.state;
        d.effects.push_back(notify_error{std::move(sender), *t.error});
        return d;
    }
    t.payer_position = payer_position->id;
    t.payee_position = payee_position->id;

    // Position check (§7.4): liquidity cover first, then the net debit cap. Errors of this
    // stage go to the payer from the hub. The real hub compares the amount with
    // `L - effective` and `NDC - effective`, which can overflow here; the same test written
    // as `effective + amount` against each limit cannot, and a position that would leave
    // the range is beyond every limit: 4001 when liquidity is checked, as any liquidity
    // failure, else 4200.
    auto reject_position = [&](errc code) {
        t.state = transfer_state::aborted_rejected;
        t.error = error_information::from(code);
        d.state = t.state;
        d.effects.push_back(notify_error{t.payer_fsp, *t.error});
        return d;
    };
    auto const effective = checked_add(payer_position->value, payer_position->reserved_value);
    auto const next = effective ? checked_add(*effective, t.amount) : std::nullopt;
    auto const* model = participants_.model_for(t.currency);
    if(!model || model->require_liquidity_check)
    {
        auto const* settlement = participants_.account_of(payer_position->owner, account_type::settlement, t.currency);
        auto const liquidity = settlement ? -settlement->value : decimal{};
        if(!next || *next > liquidity)
            return reject_position(errc::payer_fsp_insufficient_liquidity);
    }
    if(!next || *next > payer_position->net_debit_cap.value_or(decimal{}))
        return reject_position(errc::payer_limit_error);

    // Reserve: the payer's position grows by the amount until commit or abort. The
    // reservations' own sum may not fit either (only when the payer has received more than
    // the range since): refused the same way.
    if(!participants_.reserve(t.payer_position, t.amount, now))
        return reject_position(errc::payer_fsp_insufficient_liquidity);
    t.state = transfer_state::reserved;
    ++in_flight_;
    expiries_.push({t.expiration, static_cast<index>(transfers_.size() - 1)});

    // Forward the prepare to the payee.
    d.state = t.state;
    d.effects.push_back(forward{t.payee_fsp});
    return d;
}

std::optional<error_information>
transfer_book::
wrong_route(transfer const& t, std::string_view source, std::string_view destination)
{
    // central-ledger checks both headers and keeps the last failure, so a wrong destination
    // names itself even when the source is wrong too. A callback without FSPIOP-Destination
    // is not held to it (its newer handlers skip the check then).
    if(!destination.empty() && destination != t.payer_fsp)
        return error_information::from(errc::generic_validation_error,
                                       "FSPIOP-Destination does not match payer fsp on the Fulfil callback response");
    if(source != t.payee_fsp)
        return error_information::from(errc::generic_validation_error,
                                       "FSPIOP-Source does not match payee fsp on the Fulfil callback response");
    return std::nullopt;
}

decision
transfer_book::
refuse_route(transfer& t, error_information error, std::string sender, bool patch_payee, time_point now)
{
    decision d;
    // A reserved transfer is aborted (ABORT_VALIDATION): the hub tells the payer, and the
    // payee only when it asked for a commit notice (RESERVED_ABORTED); the sender is the hub
    // by then, so nobody gets a copy. A transfer that is already final stays as it is and
    // only the sender hears why.
    if(t.state == transfer_state::reserved)
    {
        abort(t, transfer_state::aborted_error, std::move(error), patch_payee, d, now, false);
        return d;
    }
    d.state = effective_state(t);
    d.effects.push_back(notify_error{std::move(sender), std::move(error)});
    return d;
}

void
transfer_book::
abort(transfer& t, transfer_state to, error_information error, bool patch_payee, decision& d, time_point now,
      bool copy_payee)
{
    // Release the reservation.
    participants_.release(t.payer_position, t.amount, now);
    --in_flight_;
    t.state = to;
    t.completed = now;
    t.error = std::move(error);
    d.state = t.state;
    d.changed = true;

    // The payer learns why; the payee gets a PATCH when it asked for a commit notice, else
    // a copy of the error when the scheme sends confirmations to payees.
    d.effects.push_back(notify_error{t.payer_fsp, *t.error});
    if(patch_payee)
        d.effects.push_back(notify_patch{t.payee_fsp, api_state::aborted, now});
    else if(copy_payee && opts_.send_transfer_confirmation_to_payee)
        d.effects.push_back(notify_error{t.payee_fsp, *t.error});
}

void
transfer_book::
expire(transfer& t, decision& d, time_point now)
{
    // RESERVED -> RESERVED_TIMEOUT -> EXPIRED_RESERVED: the reservation is reversed and both
    // sides hear 3303 from the hub (timeout handler of central-ledger).
    t.state = transfer_state::reserved_timeout;
    participants_.release(t.payer_position, t.amount, now);
    --in_flight_;
    t.state = transfer_state::expired_reserved;
    t.completed = now;
    t.error = error_information::from(errc::transfer_expired);
    d.state = t.state;
    d.changed = true;
    d.effects.push_back(notify_error{t.payer_fsp, *t.error});
    d.effects.push_back(notify_error{t.payee_fsp, *t.error});
}

decision
transfer_book::
duplicate(transfer const& t, bool same_body, std::string to) const
{
    decision d;
    d.state = effective_state(t);
    if(!same_body)
        d.effects.push_back(notify_error{std::move(to), error_information::from(errc::modified_request)});
    else if(is_final(t.state))
        d.effects.push_back(resend(t, std::move(to)));
    return d;
}

std::optional<decision>
transfer_book::
screen(transfer& t, std::optional<body_digest>& seen, body_digest const& hash, std::string& source) const
{
    if(seen)
        return duplicate(t, *seen == hash, std::move(source));
    seen = hash;
    // A final transfer stays as it is.
    if(t.state != transfer_state::reserved)
    {
        decision d;
        d.state = effective_state(t);
        d.effects.push_back(notify_error{std::move(source), not_reserved(t.state)});
        return d;
    }
    return std::nullopt;
}

decision
transfer_book::
fulfil(fulfil_command cmd, time_point now)
{
    auto it = by_id_.find(cmd.transfer_id);
    if(it == by_id_.end())
        return reply_error(nullptr, std::move(cmd.source), errc::transfer_id_not_found, std::string(transfer_not_found));
    auto& t = transfers_[it->second];

    decision d;
    bool const patch = cmd.requested == api_state::reserved;

    // Only the payee speaks for a transfer, and to the payer; this is checked before the
    // duplicate check (central-ledger's fulfil handler), so a fulfil from another FSP never
    // takes the payee's place in the table.
    if(auto wrong = wrong_route(t, cmd.source, cmd.destination))
        return refuse_route(t, std::move(*wrong), std::move(cmd.source), patch, now);

    // Duplicate check with the fulfils' own table; only a reserved transfer can be fulfilled.
    if(auto stop = screen(t, t.fulfil_hash, cmd.hash, cmd.source))
        return std::move(*stop);

    // A fulfil without a fulfilment cannot commit: the transfer is aborted at once (3100)
    // and the payee hears why even when the scheme sends it no copies of aborts.
    if(cmd.fulfilment.empty())
    {
        abort(t, transfer_state::aborted_error,
              error_information::from(errc::generic_validation_error, "fulfilment is missing"), patch, d, now);
        if(!patch && !opts_.send_transfer_confirmation_to_payee)
            d.effects.push_back(notify_error{t.payee_fsp, *t.error});
        return d;
    }

    // SHA-256 of the fulfilment must be the condition.
    // A fulfilment that is not 32 bytes is central-ledger's 2001 ("Interledger preimages
    // must be exactly 32 bytes").
    auto const condition = fspiop::make_condition(cmd.fulfilment);
    if(!condition)
    {
        abort(t, transfer_state::aborted_error,
              error_information::from(errc::internal_server_error, "Interledger preimages must be exactly 32 bytes"),
              patch, d, now);
        return d;
    }
    if(*condition != t.condition)
    {
        abort(t, transfer_state::aborted_error,
              error_information::from(errc::generic_validation_error, "invalid fulfilment"), patch, d, now);
        return d;
    }

    // A fulfil at or after the expiration is too late: the transfer expires now.
    if(t.expiration <= now)
    {
        expire(t, d, now);
        return d;
    }

    // A payee position or window total that would leave the range cannot take the
    // credit: the transfer is aborted (payee limit, 5200) and the payer's funds return.
    if(!participants_.can_move(t.payee_position, -t.amount) ||
       !settlement_.can_record(t.payer_position, t.payee_position, t.amount))
    {
        abort(t, transfer_state::aborted_rejected,
              error_information::from(errc::payee_limit_error, "the payee's position would leave the ledger's range"),
              patch, d, now);
        return d;
    }

    // Commit: RESERVED -> RECEIVED_FULFIL -> COMMITTED; the payee is credited and the
    // transfer joins the open settlement window. Both were checked just above.
    t.state = transfer_state::received_fulfil;
    (void)participants_.move(t.payee_position, -t.amount, now);
    participants_.commit_reservation(t.payer_position, t.amount);
    --in_flight_;
    t.state = transfer_state::committed;
    t.fulfilment = std::move(cmd.fulfilment);
    t.completed = cmd.completed.value_or(now);
    t.window = settlement_.record(t.payer_position, t.payee_position, t.currency, t.amount);
    d.state = t.state;
    d.changed = true;

    if(!patch)
    {
        // The payee's PUT goes on to the payer; the payee gets the hub's copy.
        d.effects.push_back(forward{t.payer_fsp});
        if(opts_.send_transfer_confirmation_to_payee)
            d.effects.push_back(notify_state{t.payee_fsp, api_state::committed, t.completed, t.fulfilment, {}});
    }
    else
    {
        // Commit notification: the payer gets a COMMITTED PUT written by the hub, the payee
        // a PATCH.
        d.effects.push_back(notify_state{t.payer_fsp, api_state::committed, t.completed, t.fulfilment, {}});
        d.effects.push_back(notify_patch{t.payee_fsp, api_state::committed, *t.completed});
    }
    return d;
}

decision
transfer_book::
reject(reject_command cmd, time_point now)
{
    auto it = by_id_.find(cmd.transfer_id);
    if(it == by_id_.end())
        return reply_error(nullptr, std::move(cmd.source), errc::transfer_id_not_found, std::string(transfer_not_found));
    auto& t = transfers_[it->second];

    // The same order as a fulfil: the route first (an error from another FSP aborts the
    // transfer as central-ledger does, and is never recorded), then the duplicate check with
    // the errors' own table; only a reserved transfer can be rejected.
    if(auto wrong = wrong_route(t, cmd.source, cmd.destination))
        return refuse_route(t, std::move(*wrong), std::move(cmd.source), false, now);
    if(auto stop = screen(t, t.error_hash, cmd.hash, cmd.source))
        return std::move(*stop);

    decision d;
    if(t.expiration <= now)
    {
        expire(t, d, now);
        return d;
    }

    // An errorCode outside the FSPIOP numbering is replaced, as central-ledger does; then
    // the payer gets the hub's error instead of the payee's body.
    bool const known = fspiop::is_spec_error_code(cmd.error.error_code);
    // RESERVED -> RECEIVED_ERROR -> ABORTED_ERROR: the reservation is released.
    t.state = transfer_state::received_error;
    participants_.release(t.payer_position, t.amount, now);
    --in_flight_;
    t.state = transfer_state::aborted_error;
    t.completed = now;
    t.error = known ? std::move(cmd.error)
                    : error_information::from(errc::generic_validation_error, "API specification undefined errorCode");
    d.state = t.state;
    d.changed = true;
    if(known)
        d.effects.push_back(forward{t.payer_fsp});
    else
        d.effects.push_back(notify_error{t.payer_fsp, *t.error});
    if(opts_.send_transfer_confirmation_to_payee)
        d.effects.push_back(notify_error{t.payee_fsp, *t.error});
    return d;
}

decision
transfer_book::
query(query_command const& cmd) const
{
    auto const* t = find(cmd.transfer_id);
    if(!t)
        return reply_error(nullptr, cmd.source, errc::transfer_id_not_found, std::string(transfer_not_found));
    // central-ledger's 3000 for a requester that is neither payer nor payee has no detail.
    if(cmd.source != t->payer_fsp && cmd.source != t->payee_fsp)
        return reply_error(t, cmd.source, errc::generic_client_error);
    decision d;
    d.state = effective_state(*t);
    d.effects.push_back(resend(*t, cmd.source));
    return d;
}

std::vector<expiry>
transfer_book::
expire_due(time_point now)
{
    std::vector<expiry> out;
    while(!expiries_.empty() && expiries_.top().at <= now)
    {
        auto const which = expiries_.top().which;
        expiries_.pop();
        auto& t = transfers_[which];
        // Entries of transfers that finished in time are dropped here, lazily.
        if(t.state != transfer_state::reserved)
            continue;
        expiry e;
        e.transfer_id = t.id;
        e.tag = t.tag;
        expire(t, e.outcome, now);
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<time_point>
transfer_book::
next_expiry()
{
    while(!expiries_.empty() && transfers_[expiries_.top().which].state != transfer_state::reserved)
        expiries_.pop();
    if(expiries_.empty())
        return std::nullopt;
    return expiries_.top().at;
}

} // namespace mojasim::ledger
