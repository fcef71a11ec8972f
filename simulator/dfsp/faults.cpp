#include "simulator/dfsp/faults.hpp"

#include "simulator/fspiop/errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace mojasim::dfsp {

namespace {

constexpr std::array<std::string_view, 6> step_names = {"any", "lookup", "quote", "transfer", "bulk_quote", "bulk_transfer"};
constexpr std::array<std::string_view, 7> action_names = {
    "error", "delay", "no_callback", "duplicate_callback", "wrong_fulfilment", "malformed_body", "forged_signature"};

} // namespace

std::string_view to_string(fault_step s) noexcept
{
    return step_names[static_cast<std::size_t>(s)];
}

std::string_view to_string(fault_action a) noexcept
{
    return action_names[static_cast<std::size_t>(a)];
}

std::optional<fault_step> fault_step_from_string(std::string_view s) noexcept
{
    for(std::size_t i = 0; i < step_names.size(); ++i)
        if(step_names[i] == s)
            return static_cast<fault_step>(i);
    return std::nullopt;
}

std::optional<fault_action> fault_action_from_string(std::string_view s) noexcept
{
    for(std::size_t i = 0; i < action_names.size(); ++i)
        if(action_names[i] == s)
            return static_cast<fault_action>(i);
    return std::nullopt;
}

std::string fault_rule::effective_error_code(fault_step at) const
{
    if(!error_code.empty())
        return error_code;
    switch(at)
    {
    case fault_step::lookup: return "3204";
    case fault_step::quote:
    case fault_step::bulk_quote: return "5101";
    case fault_step::transfer:
    case fault_step::bulk_transfer:
    case fault_step::any: break;
    }
    return "5104";
}

std::string fault_rule::check() const
{
    if(every == 0)
        return "every must be at least 1";
    if(!error_code.empty())
    {
        if(error_code.size() != 4 || !std::all_of(error_code.begin(), error_code.end(), [](char c) {
               return c >= '0' && c <= '9';
           }))
            return "error_code must be four digits";
        if(!fspiop::is_spec_error_code(error_code))
            return "error_code must be an FSPIOP error code (1xxx to 7xxx)";
    }
    if(error_description.size() > 128)
        return "error_description must have at most 128 characters";
    if(action == fault_action::wrong_fulfilment && step != fault_step::transfer && step != fault_step::any)
        return "wrong_fulfilment applies to the transfer step only";
    if(item && *item == 0)
        return "item counts from 1";
    if(item && step != fault_step::quote && step != fault_step::transfer && step != fault_step::any)
        return "item applies to the quote and transfer steps only";
    if(item && action != fault_action::error && action != fault_action::wrong_fulfilment)
        return "an item rule's action must be error or wrong_fulfilment";
    if(amount && (amount_min || amount_max))
        return "give either amount or amount_min/amount_max";
    if(amount_min && amount_max && *amount_min > *amount_max)
        return "amount_min is above amount_max";
    if(delay.count() < 0)
        return "delay must not be negative";
    if(times && *times == 0)
        return "times must be at least 1";
    return {};
}

bool criteria_match(fault_rule const& r, fault_subject const& s) noexcept
{
    if(r.step != fault_step::any && r.step != s.step)
        return false;
    // wrong_fulfilment only means something when a fulfilment is sent.
    if(r.action == fault_action::wrong_fulfilment && s.step != fault_step::transfer)
        return false;
    if(r.item && *r.item != s.item)
        return false;
    // Inside a bulk, an item's result can only be an error or a (wrong) fulfilment.
    if(s.item != 0 && r.action != fault_action::error && r.action != fault_action::wrong_fulfilment)
        return false;
    if(!r.party.empty() && r.party != s.party)
        return false;
    if(r.amount || r.amount_min || r.amount_max)
    {
        if(!s.amount)
            return false;
        if(r.amount && *r.amount != *s.amount)
            return false;
        if(r.amount_min && *s.amount < *r.amount_min)
            return false;
        if(r.amount_max && *s.amount > *r.amount_max)
            return false;
    }
    return true;
}

std::optional<fault_rule> fault_set::match(fault_subject const& s)
{
    for(auto& e : entries_)
    {
        if(!e.rule.enabled || (e.rule.times && e.fired >= *e.rule.times))
            continue;
        if(!criteria_match(e.rule, s))
            continue;
        ++e.seen;
        // Rules made in code skip check(): every 0 means every message.
        if(e.rule.every > 1 && e.seen % e.rule.every != 0)
            continue;
        ++e.fired;
        return e.rule;
    }
    return std::nullopt;
}

void fault_set::replace(std::vector<fault_rule> rules)
{
    entries_.clear();
    entries_.reserve(rules.size());
    for(auto& r : rules)
        entries_.push_back(entry{std::move(r), 0, 0});
}

void fault_set::upsert(fault_rule rule)
{
    for(auto& e : entries_)
    {
        if(!rule.id.empty() && e.rule.id == rule.id)
        {
            e = entry{std::move(rule), 0, 0};
            return;
        }
    }
    entries_.push_back(entry{std::move(rule), 0, 0});
}

bool fault_set::remove(std::string_view id)
{
    auto const n = std::erase_if(entries_, [id](entry const& e) { return e.rule.id == id; });
    return n > 0;
}

namespace {

// A rule in the keys of the YAML `faults` list, which parse_fault_rule_text reads back.
boost::json::object rule_object(fault_rule const& r)
{
    boost::json::object o;
    o["id"] = r.id;
    o["step"] = to_string(r.step);
    if(!r.party.empty())
        o["party"] = r.party;
    if(r.amount)
        o["amount"] = r.amount->to_string();
    if(r.amount_min)
        o["amount_min"] = r.amount_min->to_string();
    if(r.amount_max)
        o["amount_max"] = r.amount_max->to_string();
    o["every"] = r.every;
    if(r.item)
        o["item"] = *r.item;
    o["action"] = to_string(r.action);
    if(r.action == fault_action::error)
        o["error_code"] = r.effective_error_code(r.step);
    if(!r.error_description.empty())
        o["error_description"] = r.error_description;
    if(r.delay.count() > 0)
        o["delay_ms"] = r.delay.count();
    if(r.times)
        o["times"] = *r.times;
    o["enabled"] = r.enabled;
    return o;
}

} // namespace

std::string encode_fault_rule(fault_rule const& rule)
{
    return boost::json::serialize(rule_object(rule));
}

std::string encode_fault_entries(std::vector<fault_set::entry> const& entries)
{
    boost::json::array out;
    out.reserve(entries.size());
    for(auto const& e : entries)
    {
        auto o = rule_object(e.rule);
        o["seen"] = e.seen;
        o["fired"] = e.fired;
        out.push_back(std::move(o));
    }
    return boost::json::serialize(out);
}

} // namespace mojasim::dfsp
