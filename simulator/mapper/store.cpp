#include "simulator/mapper/store.hpp"

#include <array>

namespace mojasim::mapper {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> modality_names{{
    {"ACCOUNT_ID", "00"},
    {"MSISDN", "01"},
    {"VIRTUAL_ADDRESS", "02"},
    {"WALLET_ID", "03"},
    {"VOUCHER", "04"},
}};

std::string_view fa_type_of(std::string_view code) noexcept
{
    if(code == modality::account_id)
        return "account";
    if(code == modality::msisdn)
        return "mobile";
    if(code == modality::wallet_id)
        return "wallet";
    if(code == modality::voucher)
        return "voucher";
    return "vpa";
}

} // namespace

bool valid_modality(std::string_view code) noexcept
{
    for(auto const& [name, c] : modality_names)
        if(code == c)
            return true;
    return false;
}

std::optional<std::string> modality_code(std::string_view name_or_code)
{
    for(auto const& [name, c] : modality_names)
        if(name_or_code == c || name_or_code == name)
            return std::string(c);
    return std::nullopt;
}

bool needs_bank(std::string_view code) noexcept
{
    return code == modality::account_id || code == modality::msisdn || code == modality::wallet_id;
}

std::optional<fa_parts> split_fa(std::string_view fa)
{
    auto const colon = fa.find(':');
    auto const at = fa.rfind('@');
    if(colon == std::string_view::npos || at == std::string_view::npos || at < colon)
        return std::nullopt;
    return fa_parts{std::string(fa.substr(0, colon)), std::string(fa.substr(colon + 1, at - colon - 1)),
                    std::string(fa.substr(at + 1))};
}

std::string fa_of(entry const& e)
{
    if(!e.fa.empty())
        return e.fa;
    return std::string(fa_type_of(e.modality)) + ":" + e.financial_address + "@" + e.bank;
}

void set_from_fa(entry& e, std::string_view fa)
{
    e.fa = std::string(fa);
    auto parts = split_fa(fa);
    if(!parts)
    {
        e.modality = std::string(modality::virtual_address);
        e.financial_address = std::string(fa);
        e.bank.clear();
        return;
    }
    if(parts->type == "account")
        e.modality = std::string(modality::account_id);
    else if(parts->type == "mobile")
        e.modality = std::string(modality::msisdn);
    else if(parts->type == "wallet")
        e.modality = std::string(modality::wallet_id);
    else if(parts->type == "voucher")
        e.modality = std::string(modality::voucher);
    else
        e.modality = std::string(modality::virtual_address);
    e.financial_address = parts->value;
    // SPAR's forms: branch.bank.type and wallet.type.
    std::vector<std::string_view> labels;
    std::string_view p = parts->provider;
    while(true)
    {
        auto const dot = p.find('.');
        labels.push_back(p.substr(0, dot));
        if(dot == std::string_view::npos)
            break;
        p.remove_prefix(dot + 1);
    }
    if(labels.size() >= 3)
        e.bank = std::string(labels[labels.size() - 2]);
    else
        e.bank = std::string(labels.front());
    e.has_modality = true;
}

entry const* store::find(std::string_view institution, std::string_view identity) const
{
    auto it = entries_.find(key{std::string(institution), std::string(identity)});
    return it == entries_.end() ? nullptr : &it->second;
}

entry* store::find(std::string_view institution, std::string_view identity)
{
    auto it = entries_.find(key{std::string(institution), std::string(identity)});
    return it == entries_.end() ? nullptr : &it->second;
}

entry const* store::find_any(std::string_view identity) const
{
    for(auto const& [k, e] : entries_)
        if(k.second == identity)
            return &e;
    return nullptr;
}

bool store::insert(entry e)
{
    key k{e.institution, e.identity};
    return entries_.try_emplace(std::move(k), std::move(e)).second;
}

bool store::erase(std::string_view institution, std::string_view identity)
{
    return entries_.erase(key{std::string(institution), std::string(identity)}) == 1;
}

void store::put(entry e)
{
    key k{e.institution, e.identity};
    entries_.insert_or_assign(std::move(k), std::move(e));
}

entry const* store::resolve_id(std::string_view id) const
{
    if(auto const* e = find("", id))
        return e;
    if(auto parts = split_fa(id); parts && !parts->value.empty())
        return find_any(parts->value);
    return nullptr;
}

entry const* store::resolve_fa(std::string_view fa) const
{
    bool const partial = !fa.empty() && fa.back() == '@' && fa.find(':') != std::string_view::npos;
    for(auto const& [k, e] : entries_)
    {
        auto const mine = fa_of(e);
        if(partial ? mine.find(fa) != std::string::npos : mine == fa)
            return &e;
    }
    return nullptr;
}

std::vector<entry const*> store::all(std::optional<std::string_view> institution) const
{
    std::vector<entry const*> out;
    for(auto const& [k, e] : entries_)
        if(!institution || k.first == *institution)
            out.push_back(&e);
    return out;
}

} // namespace mojasim::mapper
