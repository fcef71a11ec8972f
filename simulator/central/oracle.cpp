#include "simulator/central/oracle.hpp"

#include "simulator/fspiop/validate.hpp"

#include <algorithm>

namespace mojasim::central {

std::string
builtin_oracle::
key_of(party_key k)
{
    std::string key;
    key.reserve(k.type.size() + 1 + k.identifier.size());
    key.append(k.type).append("/").append(k.identifier);
    return key;
}

std::vector<std::string>
builtin_oracle::
lookup(party_key k, std::string_view currency) const
{
    std::vector<std::string> out;
    auto it = records_.find(key_of(k));
    if(it == records_.end())
        return out;
    for(auto const& r : it->second)
    {
        if(r.sub_id != k.sub_id)
            continue;
        if(!currency.empty() && !r.currency.empty() && r.currency != currency)
            continue;
        if(std::find(out.begin(), out.end(), r.fsp_id) == out.end())
            out.push_back(r.fsp_id);
    }
    return out;
}

builtin_oracle::change
builtin_oracle::
add(party_key k, std::string_view currency, std::string_view fsp)
{
    auto& list = records_[key_of(k)];
    for(auto const& r : list)
    {
        if(r.sub_id != k.sub_id || r.currency != currency)
            continue;
        return r.fsp_id == fsp ? change::unchanged : change::conflict;
    }
    list.push_back({std::string(fsp), std::string(currency), std::string(k.sub_id)});
    return change::done;
}

builtin_oracle::change
builtin_oracle::
remove(party_key k, std::string_view currency, std::string_view fsp)
{
    auto it = records_.find(key_of(k));
    if(it == records_.end())
        return change::not_found;
    auto& list = it->second;
    auto matches = [&](record const& r) {
        return r.sub_id == k.sub_id && (currency.empty() || r.currency == currency);
    };
    bool found = false;
    for(auto const& r : list)
    {
        if(!matches(r))
            continue;
        if(r.fsp_id != fsp)
            return change::conflict;
        found = true;
    }
    if(!found)
        return change::not_found;
    std::erase_if(list, matches);
    if(list.empty())
        records_.erase(it);
    return change::done;
}

std::size_t
builtin_oracle::
size() const noexcept
{
    std::size_t n = 0;
    for(auto const& [key, list] : records_)
        n += list.size();
    return n;
}

ledger::result<oracle_config const*>
oracle_registry::
add(oracle_config c)
{
    using fspiop::errc;
    if(!fspiop::is_party_id_type(c.id_type))
        return ledger::failure{errc::malformed_syntax, "oracleIdType must be a PartyIdType"};
    if(c.url.rfind("http://", 0) != 0)
        return ledger::failure{errc::malformed_syntax, "endpoint.value must be an http:// URL"};
    if(!c.currency.empty() && !fspiop::is_currency(c.currency))
        return ledger::failure{errc::malformed_syntax, "currency must be an ISO 4217 code"};
    for(auto const& o : configs_)
        if(o.id_type == c.id_type && o.currency == c.currency)
            // The ALS's answer: its create fails inside (500, 2001).
            return ledger::failure{errc::internal_server_error,
                                   "An oracle for this type and currency is already registered"};
    while(!c.url.empty() && c.url.back() == '/')
        c.url.pop_back();
    c.id = next_id_++;
    configs_.push_back(std::move(c));
    return &configs_.back();
}

bool
oracle_registry::
remove(std::uint32_t id)
{
    return std::erase_if(configs_, [id](oracle_config const& o) { return o.id == id; }) > 0;
}

oracle_config const*
oracle_registry::
for_type(std::string_view type, std::string_view currency) const noexcept
{
    oracle_config const* by_default = nullptr;
    oracle_config const* any = nullptr;
    for(auto const& o : configs_)
    {
        if(o.id_type != type)
            continue;
        if(!currency.empty() && o.currency == currency)
            return &o;
        if(o.is_default && !by_default)
            by_default = &o;
        if(!any)
            any = &o;
    }
    return by_default ? by_default : any;
}

} // namespace mojasim::central
