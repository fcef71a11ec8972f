// The payee: answers GET /parties, POST /quotes and POST /transfers from the switch with
// their callbacks (after the 202), applying the fault rules, and settles its credits when the
// switch reports a transfer's end (PATCH, or a PUT /transfers/{ID}[/error] copy).
#include "simulator/dfsp/detail/actor_impl.hpp"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/errors.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

#include <charconv>

namespace mojasim::dfsp {

namespace {

using detail::inbound_state;

std::string segment(std::string_view s)
{
    return net::percent_encode(s);
}

// ---------------------------------------------------------------------------------------
// GET /parties

net::awaitable<void> answer_lookup(impl_ptr self, fspiop::party_id_type type, std::string id, std::string sub_id,
                                   std::string requester, fspiop::version v)
{
    auto const rule = match_fault(*self, fault_subject{fault_step::lookup, id, std::nullopt});
    co_await pause_if(rule);

    auto const answer = answer_party(self->parties, self->payee, type, id, sub_id);
    auto path = detail::party_path("parties", fspiop::to_string(type), id, sub_id);
    std::string body;
    if(rule && rule->action == fault_action::error)
        body = fault_error_body(*rule, fault_step::lookup);
    else if(!answer)
        body = answer.error().body();
    else
        body = fspiop::encode(*answer);
    bool const error = (rule && rule->action == fault_action::error) || !answer;
    if(error)
        path += "/error";
    ++self->counters.lookups_answered;
    auto req = self->fspiop_message(net::method::put, "parties", requester, std::move(body), v);
    std::string const url = self->cfg.switch_api.als() + path;
    auto sent = co_await send_callback(self, url, std::move(req), rule);
    (void)sent;
}

// ---------------------------------------------------------------------------------------
// POST /quotes

net::awaitable<void> answer_quote_request(impl_ptr self, fspiop::post_quotes quote, std::string requester,
                                          fspiop::version v)
{
    auto const amount = decimal::parse_fspiop(quote.amount.amount);
    auto const rule = match_fault(
        *self, fault_subject{fault_step::quote, quote.payee.party_id_info.party_identifier, amount});
    co_await pause_if(rule);

    auto answer = answer_quote(self->parties, self->payee, quote, self->clock.now());
    std::string path = "/quotes/" + segment(quote.quote_id);
    std::string body;
    bool error = true;
    if(rule && rule->action == fault_action::error)
        body = fault_error_body(*rule, fault_step::quote);
    else if(!answer)
        body = answer.error().body();
    else
    {
        body = fspiop::encode(answer->response);
        self->quotes.remember(quote.quote_id, std::move(answer->split));
        error = false;
    }
    if(error)
        path += "/error";
    ++self->counters.quotes_answered;
    auto req = self->fspiop_message(net::method::put, "quotes", requester, std::move(body), v);
    std::string const url = self->cfg.switch_api.quotes() + path;
    auto sent = co_await send_callback(self, url, std::move(req), rule);
    (void)sent;
}

// ---------------------------------------------------------------------------------------
// POST /transfers

net::awaitable<void> resend_answer(impl_ptr self, std::string transfer_id, detail::inbound_transfer rec,
                                   fspiop::version v)
{
    std::string path = "/transfers/" + segment(transfer_id);
    if(rec.answer_error)
        path += "/error";
    auto req = self->fspiop_message(net::method::put, "transfers", rec.payer_fsp, std::move(rec.answer_body), v);
    std::string const url = self->cfg.switch_api.transfers() + path;
    auto sent = co_await send_to(self, url, std::move(req));
    (void)sent;
}

net::awaitable<void> answer_transfer(impl_ptr self, fspiop::post_transfers transfer, std::string requester,
                                     fspiop::version v)
{
    auto const id = transfer.transfer_id;
    if(auto const it = self->inbound.find(id); it != self->inbound.end())
    {
        // The same prepare again: repeat the answer (never a second credit).
        if(!it->second.answer_body.empty())
        {
            auto rec = it->second;
            co_await resend_answer(self, id, std::move(rec), v);
        }
        co_return;
    }

    auto const amount = decimal::parse_fspiop(transfer.amount.amount);
    // The decision is pure; taking it first decodes the ILP packet once for both it and the
    // fault rules (a refused packet still names its payee when it can).
    auto decision = accept_transfer(self->parties, self->payee, self->quotes, transfer, self->clock.now(), v.major);
    auto const payee_id = decision ? decision->payee_party_id : payee_of_packet(transfer.ilp_packet, v.major);
    auto const rule = match_fault(*self, fault_subject{fault_step::transfer, payee_id, amount});
    {
        auto& rec = self->remember_inbound(id);
        rec.payer_fsp = requester;
    }
    // A delayed answer was decided in time but travels late.
    co_await pause_if(rule);
    auto const found = self->inbound.find(id);
    if(found == self->inbound.end())
        co_return;
    auto& rec = found->second;

    std::string path = "/transfers/" + segment(id);
    std::string body;
    bool error = true;
    if(rule && rule->action == fault_action::error)
        body = fault_error_body(*rule, fault_step::transfer);
    else if(!decision)
        body = decision.error().body();
    else if(!can_credit(*self, *decision))
        body = fspiop::error_body(fspiop::errc::payee_limit_error, "the credit would take the account beyond " +
                                                                       decimal::max().to_string());
    else
    {
        error = false;
        fspiop::put_transfers fulfil;
        fulfil.fulfilment = decision->fulfilment;
        if(rule && rule->action == fault_action::wrong_fulfilment)
            fulfil.fulfilment = fspiop::make_fulfilment(self->cfg.ilp_secret + "/wrong", transfer.ilp_packet);
        fulfil.completed_timestamp = core::format_datetime(self->clock.now());
        fulfil.transfer_state = self->cfg.payee.mode == fulfil_mode::reserved ? fspiop::transfer_state::reserved
                                                                              : fspiop::transfer_state::committed;
        body = fspiop::encode(fulfil);
        rec.account = decision->account;
        rec.credit = decision->credit;
        rec.fee = decision->fee;
    }
    if(error)
    {
        path += "/error";
        rec.state = inbound_state::refused;
        ++self->counters.transfers_refused;
    }
    bool const broken = rule && (rule->action == fault_action::no_callback || rule->action == fault_action::malformed_body);
    if(!error && !broken && !rec.aborted)
        credit(*self, rec);
    if(!error && !broken)
        ++self->counters.fulfils_sent;
    if(!broken)
    {
        rec.answer_body = body;
        rec.answer_error = error;
    }

    auto req = self->fspiop_message(net::method::put, "transfers", requester, std::move(body), v);
    std::string const url = self->cfg.switch_api.transfers() + path;
    auto sent = co_await send_callback(self, url, std::move(req), rule);
    // A fulfil the switch did not take never commits: take the credit back.
    if(!sent || !sent->ok())
    {
        auto const again = self->inbound.find(id);
        if(again != self->inbound.end() && again->second.state == inbound_state::credited)
            reverse(*self, again->second);
    }
}

net::response bad_request(fspiop::decode_error const& e)
{
    return net::make_response(fspiop::http_status(e.code), e.body());
}

} // namespace

// ---- shared with payee_bulk_flows.cpp

// The error body a fault rule asks for. Rules made in code skip check(): a code that is not
// four digits becomes the step's default rather than a malformed callback.
fspiop::error_information fault_error_info(fault_rule const& rule, fault_step at)
{
    fspiop::error_information info;
    info.error_code = rule.effective_error_code(at);
    int code = 0;
    auto const [end, ec] = std::from_chars(info.error_code.data(), info.error_code.data() + info.error_code.size(), code);
    if(ec != std::errc{} || end != info.error_code.data() + info.error_code.size() || !fspiop::is_error_code(info.error_code))
    {
        auto fallback = rule;
        fallback.error_code.clear();
        info.error_code = fallback.effective_error_code(at);
        code = std::stoi(info.error_code);
    }
    info.error_description = rule.error_description;
    if(info.error_description.empty())
    {
        auto const known = fspiop::errc_from_code(code);
        auto const parent = fspiop::generic_parent(code);
        info.error_description =
            std::string(fspiop::description(known ? *known : parent.value_or(fspiop::errc::generic_payee_error)));
    }
    return info;
}

std::string fault_error_body(fault_rule const& rule, fault_step at)
{
    return fspiop::error_body(fault_error_info(rule, at));
}

net::awaitable<void> pause_if(std::optional<fault_rule> const& rule)
{
    if(rule && rule->delay.count() > 0)
        co_await net::sleep_for(rule->delay);
}

// Send a callback as the rule says: not at all, with a broken body, or twice. Returns the
// answer to the (first) message, empty when none was sent or it failed.
net::awaitable<std::optional<net::response>> send_callback(impl_ptr self, std::string url, net::request req,
                                                           std::optional<fault_rule> rule)
{
    if(rule && rule->action == fault_action::no_callback)
        co_return std::nullopt;
    if(rule && rule->action == fault_action::malformed_body)
        req.body.resize(req.body.size() / 2); // an unterminated JSON object
    if(rule && rule->action == fault_action::duplicate_callback)
    {
        auto copy = req;
        auto first = co_await send_to(self, url, std::move(copy), {.asked_for = true});
        auto second = co_await send_to(self, url, std::move(req), {.asked_for = true});
        (void)second;
        co_return first;
    }
    bool const asked_for = rule.has_value();
    bool const forge = rule && rule->action == fault_action::forged_signature;
    auto res = co_await send_to(self, url, std::move(req), {.asked_for = asked_for, .forge_signature = forge});
    co_return res;
}

std::optional<fault_rule> match_fault(dfsp_actor::impl& self, fault_subject const& s)
{
    auto rule = self.faults.match(s);
    if(rule)
    {
        ++self.counters.faults_fired;
        self.log->info("fault '{}' ({}) fires on {}", rule->id, to_string(rule->action), to_string(s.step));
    }
    return rule;
}

// Whether the beneficiary and the fee account can take an accepted transfer's credit
// without leaving the decimal range. One that cannot is refused as the payee's limit
// (5200) before anything is sent or booked.
bool can_credit(dfsp_actor::impl const& self, transfer_acceptance const& a)
{
    auto const& fees = self.cfg.payee.fee_account;
    if(fees.empty())
        return self.money.can_credit(a.account, a.credit);
    if(fees == a.account)
    {
        auto const both = checked_add(a.credit, a.fee);
        return both && self.money.can_credit(a.account, *both);
    }
    return self.money.can_credit(a.account, a.credit) && self.money.can_credit(fees, a.fee);
}

// Checked by can_credit when the answer was decided, with no suspension since.
void credit(dfsp_actor::impl& self, detail::inbound_transfer& rec)
{
    (void)self.money.credit(rec.account, rec.credit);
    if(!self.cfg.payee.fee_account.empty())
        (void)self.money.credit(self.cfg.payee.fee_account, rec.fee);
    rec.state = inbound_state::credited;
    ++self.counters.transfers_fulfilled;
}

void reverse(dfsp_actor::impl& self, detail::inbound_transfer& rec)
{
    // A reversal fails only when an account already below zero would leave the range: said
    // loudly, never wrapped.
    if(!self.money.debit(rec.account, rec.credit))
        self.log->error("credit of {} to {} cannot be reversed: the balance would leave the decimal range",
                        rec.credit.to_string(), rec.account);
    if(!self.cfg.payee.fee_account.empty() && !self.money.debit(self.cfg.payee.fee_account, rec.fee))
        self.log->error("fee of {} to {} cannot be reversed: the balance would leave the decimal range",
                        rec.fee.to_string(), self.cfg.payee.fee_account);
    rec.state = inbound_state::reversed;
    ++self.counters.credits_reversed;
}

bool settle_inbound(dfsp_actor::impl& self, std::string const& transfer_id, bool committed)
{
    auto const it = self.inbound.find(transfer_id);
    if(it == self.inbound.end())
        return false;
    auto& rec = it->second;
    if(committed)
    {
        if(rec.state == inbound_state::credited)
        {
            rec.state = inbound_state::committed;
            ++self.counters.commits_confirmed;
        }
        notify_inbound_watcher(self, transfer_id);
        return true;
    }
    rec.aborted = true;
    if(rec.state == inbound_state::credited)
    {
        self.log->info("transfer {} aborted by the switch: credit of {} to {} reversed", transfer_id,
                       rec.credit.to_string(), rec.account);
        reverse(self, rec);
    }
    notify_inbound_watcher(self, transfer_id);
    return true;
}

net::awaitable<net::response> on_get_parties(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto const type = fspiop::from_string<fspiop::party_id_type>(req.params.get("Type"));
    if(!type)
        co_return net::make_response(400, fspiop::error_body(fspiop::errc::malformed_syntax, "Type is not a PartyIdType"));
    std::string const requester(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex,
               answer_lookup(self, *type, std::string(req.params.get("ID")), std::string(req.params.get("SubId")),
                             requester, v),
               "dfsp");
    co_return net::make_empty(202);
}

net::awaitable<net::response> on_post_quotes(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto quote = fspiop::decode<fspiop::post_quotes>(req.body, v.major);
    if(!quote)
        co_return bad_request(quote.error());
    std::string const requester(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex, answer_quote_request(self, std::move(*quote), requester, v), "dfsp");
    co_return net::make_empty(202);
}

net::awaitable<net::response> on_post_transfers(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, true, v))
        co_return std::move(*bad);
    auto transfer = fspiop::decode<fspiop::post_transfers>(req.body, v.major);
    if(!transfer)
        co_return bad_request(transfer.error());
    std::string const requester(req.fields.value_or("FSPIOP-Source"));
    net::spawn(self->ex, answer_transfer(self, std::move(*transfer), requester, v), "dfsp");
    co_return net::make_empty(202);
}

net::awaitable<net::response> on_patch_transfers(impl_ptr self, net::request req)
{
    fspiop::version v;
    if(auto bad = self->check_headers(req, false, v))
        co_return std::move(*bad);
    std::string const id(req.params.get("ID"));
    bool committed = false;
    if(req.path().ends_with("/error"))
    {
        auto e = fspiop::decode<fspiop::error_information_object>(req.body, v.major);
        if(!e)
            co_return bad_request(e.error());
        self->log->info("PATCH error for transfer {}: {} {}", id, e->error_information.error_code,
                        e->error_information.error_description);
    }
    else
    {
        auto patch = fspiop::decode<fspiop::patch_transfers>(req.body, v.major);
        if(!patch)
            co_return bad_request(patch.error());
        committed = patch->transfer_state == fspiop::transfer_state::committed;
        if(patch->transfer_state != fspiop::transfer_state::committed &&
           patch->transfer_state != fspiop::transfer_state::aborted)
            co_return net::make_empty(200); // not final: nothing to do yet
    }
    if(!settle_inbound(*self, id, committed))
        self->log->warn("PATCH for unknown transfer {}", id);
    co_return net::make_empty(200);
}

} // namespace mojasim::dfsp
