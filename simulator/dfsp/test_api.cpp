// The test API of a DFSP (its own listener):
//
//   GET    /faults                 the rules with their counters
//   PUT    /faults                 replace all rules ([{...}, ...])
//   POST   /faults                 add one rule, or replace the one with the same id
//   DELETE /faults                 remove every rule
//   DELETE /faults/{id}            remove one rule
//   GET    /repository/parties     the customers, in mojaloop-simulator's shape
//   POST   /repository/parties     add a customer and register it with the ALS (204)
//   GET    /accounts[/{id}]        balances: {id, balance, blocked, available}
//   GET    /stats                  the actor's counters
//
// Rule bodies use the same keys as the YAML `faults` list (docs/dfsp.md).
#include "simulator/dfsp/detail/actor_impl.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace mojasim::dfsp {

namespace {

net::response json(unsigned status, std::string body)
{
    return net::make_response(status, std::move(body));
}

net::response message(unsigned status, std::string_view text)
{
    return test_message(status, text);
}

net::awaitable<net::response> get_faults(impl_ptr self, net::request)
{
    co_return json(200, encode_fault_entries(self->faults.entries()));
}

net::awaitable<net::response> put_faults(impl_ptr self, net::request req)
{
    auto parsed = parse_fault_rules_text(req.body);
    if(!parsed.rules)
        co_return message(400, parsed.error);
    self->faults.replace(std::move(*parsed.rules));
    self->log->info("fault rules replaced: {} rule(s)", self->faults.entries().size());
    co_return json(200, encode_fault_entries(self->faults.entries()));
}

net::awaitable<net::response> post_fault(impl_ptr self, net::request req)
{
    auto parsed = parse_fault_rule_text(req.body);
    if(!parsed.rule)
        co_return message(400, parsed.error);
    self->log->info("fault rule '{}' set: {} on {}", parsed.rule->id, to_string(parsed.rule->action),
                    to_string(parsed.rule->step));
    self->faults.upsert(std::move(*parsed.rule));
    co_return json(201, encode_fault_entries(self->faults.entries()));
}

net::awaitable<net::response> delete_faults(impl_ptr self, net::request)
{
    self->faults.clear();
    co_return net::make_empty(204);
}

net::awaitable<net::response> delete_fault(impl_ptr self, net::request req)
{
    if(!self->faults.remove(req.params.get("id")))
        co_return message(404, "no fault rule with this id");
    co_return net::make_empty(204);
}

boost::json::object account_json(account const& a)
{
    boost::json::object o;
    o["id"] = a.id;
    o["balance"] = a.balance.to_string();
    o["blocked"] = a.blocked.to_string();
    o["available"] = a.available().to_string();
    return o;
}

net::awaitable<net::response> get_accounts(impl_ptr self, net::request)
{
    boost::json::array out;
    for(auto const& a : self->money.accounts())
        out.push_back(account_json(a));
    co_return json(200, boost::json::serialize(out));
}

net::awaitable<net::response> get_account(impl_ptr self, net::request req)
{
    auto const* a = self->money.find(req.params.get("id"));
    if(!a)
        co_return message(404, "no such account");
    co_return json(200, boost::json::serialize(account_json(*a)));
}

net::awaitable<net::response> get_stats(impl_ptr self, net::request)
{
    auto const& c = self->counters;
    boost::json::object o;
    o["lookupsAnswered"] = c.lookups_answered;
    o["quotesAnswered"] = c.quotes_answered;
    o["transfersFulfilled"] = c.transfers_fulfilled;
    o["fulfilsSent"] = c.fulfils_sent;
    o["commitsConfirmed"] = c.commits_confirmed;
    o["transfersRefused"] = c.transfers_refused;
    o["creditsReversed"] = c.credits_reversed;
    o["faultsFired"] = c.faults_fired;
    o["outboundStarted"] = c.outbound_started;
    o["outboundCompleted"] = c.outbound_completed;
    o["outboundFailed"] = c.outbound_failed;
    o["outboundInFlight"] = c.outbound_in_flight;
    o["bulkStarted"] = c.bulk_started;
    o["bulkCompleted"] = c.bulk_completed;
    o["lateCallbacks"] = c.late_callbacks;
    o["unresolved"] = c.unresolved;
    o["callbacksFailed"] = c.callbacks_failed;
    o["requestsSent"] = c.requests_sent;
    o["requestsAccepted"] = c.requests_accepted;
    o["requestsRejected"] = c.requests_rejected;
    o["signaturesRefused"] = c.signatures_refused;
    o["blocks"] = self->money.block_count();
    // null when the sum leaves the decimal range
    if(auto const blocked = self->money.total_blocked())
        o["totalBlocked"] = blocked->to_string();
    else
        o["totalBlocked"] = nullptr;
    co_return json(200, boost::json::serialize(o));
}

net::awaitable<net::response> get_parties(impl_ptr self, net::request)
{
    boost::json::array out;
    for(auto const& p : self->parties.all())
    {
        boost::json::object o;
        o["displayName"] = p.display_name;
        o["firstName"] = p.first_name;
        o["middleName"] = p.middle_name;
        o["lastName"] = p.last_name;
        o["dateOfBirth"] = p.date_of_birth;
        o["idType"] = fspiop::to_string(p.id_type);
        o["idValue"] = p.id;
        if(!p.sub_id.empty())
            o["idSubValue"] = p.sub_id;
        o["account"] = p.account;
        out.push_back(std::move(o));
    }
    co_return json(200, boost::json::serialize(out));
}

// A string member, or empty; false in `ok` when present but not a string.
std::string member(boost::json::object const& o, std::string_view key, bool& ok)
{
    auto const* v = o.if_contains(key);
    if(!v || v->is_null())
        return {};
    if(!v->is_string())
    {
        ok = false;
        return {};
    }
    return std::string(v->as_string());
}

// The members of a party that POST /repository/parties takes.
constexpr std::array<std::string_view, 11> party_members{"displayName", "firstName", "middleName", "lastName",
                                                         "dateOfBirth", "idType",    "idValue",    "idSubValue",
                                                         "subIdValue",  "account",   "balance"};

// mojaloop-simulator's party: {displayName, firstName, middleName, lastName, dateOfBirth,
// idType, idValue, idSubValue?}; mojasim adds optional `account` and `balance`, and still
// takes its former spelling `subIdValue`. Any other member is refused, never dropped.
net::awaitable<net::response> post_party(impl_ptr self, net::request req)
{
    auto parsed = test_body(req.body, party_members);
    if(!parsed)
        co_return parsed.error();
    auto const& o = *parsed;
    bool ok = true;
    party_config p;
    auto const type = fspiop::from_string<fspiop::party_id_type>(member(o, "idType", ok));
    p.id = member(o, "idValue", ok);
    p.sub_id = member(o, "idSubValue", ok);
    auto const former = member(o, "subIdValue", ok);
    if(!former.empty() && !p.sub_id.empty() && former != p.sub_id)
        co_return message(400, "idSubValue and subIdValue differ");
    if(p.sub_id.empty())
        p.sub_id = former;
    p.display_name = member(o, "displayName", ok);
    p.first_name = member(o, "firstName", ok);
    p.middle_name = member(o, "middleName", ok);
    p.last_name = member(o, "lastName", ok);
    p.date_of_birth = member(o, "dateOfBirth", ok);
    p.account = member(o, "account", ok);
    auto const balance_text = member(o, "balance", ok);
    if(!ok)
        co_return message(400, "party fields must be strings");
    if(!type)
        co_return message(400, "idType must be a PartyIdType (MSISDN, EMAIL, PERSONAL_ID, ...)");
    p.id_type = *type;
    decimal balance;
    if(!balance_text.empty())
    {
        auto const b = decimal::parse(balance_text);
        if(!b || !fits_currency(*b, self->cfg.currency))
            co_return message(400, "balance must be an amount in " + self->cfg.currency);
        balance = *b;
    }
    if(auto problem = check_party(p); !problem.empty())
        co_return message(400, problem);
    if(self->parties.find(p.id_type, p.id, p.sub_id))
        co_return message(409, "the party exists");
    if(p.account.empty())
        p.account = p.sub_id.empty() ? p.id : p.id + "-" + p.sub_id;
    if(!self->money.find(p.account))
        self->money.open(p.account, balance);
    self->parties.add(p);
    if(self->cfg.switch_api.als().empty())
        co_return net::make_empty(204);
    auto problem = co_await register_with_als(self, std::move(p));
    if(!problem.empty())
        co_return message(502, problem);
    co_return net::make_empty(204);
}


} // namespace

void install_test_routes(dfsp_actor::impl& self)
{
    using net::method;
    auto& r = self.test_routes;
    r.add(method::get, "/faults", bind(&self, get_faults));
    r.add(method::put, "/faults", bind(&self, put_faults));
    r.add(method::post, "/faults", bind(&self, post_fault));
    r.add(method::delete_, "/faults", bind(&self, delete_faults));
    r.add(method::delete_, "/faults/{id}", bind(&self, delete_fault));
    r.add(method::get, "/repository/parties", bind(&self, get_parties));
    r.add(method::post, "/repository/parties", bind(&self, post_party));
    r.add(method::get, "/accounts", bind(&self, get_accounts));
    r.add(method::get, "/accounts/{id}", bind(&self, get_account));
    r.add(method::get, "/stats", bind(&self, get_stats));
    r.add(method::post, "/transactionRequests", bind(&self, on_test_request_to_pay));
}

net::response test_message(unsigned status, std::string_view text)
{
    boost::json::object o;
    o["message"] = text;
    return json(status, boost::json::serialize(o));
}

boost::system::result<boost::json::object, net::response> test_body(std::string_view body,
                                                                    std::span<std::string_view const> members)
{
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if(ec || !v.is_object())
        return test_message(400, "the body must be a JSON object");
    for(auto const& m : v.as_object())
        if(std::find(members.begin(), members.end(), m.key()) == members.end())
            return test_message(400, "unknown member " + std::string(m.key()));
    return std::move(v.as_object());
}

} // namespace mojasim::dfsp
