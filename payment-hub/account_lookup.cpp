#include "payment-hub/account_lookup.hpp"

#include <unordered_map>

namespace mojasim::hub {

mapper::phee::request_dto lookup_request(batch const& b, std::string request_id, std::string institution)
{
    mapper::phee::request_dto r;
    r.request_id = std::move(request_id);
    r.source_bb_id = std::move(institution);
    for(auto const& row : b.rows)
        if(row.payable)
            r.beneficiaries.push_back({row.payee_identifier, std::string(), std::string(), std::string()});
    return r;
}

lookup_outcome apply_lookup(batch& b, mapper::phee::batch_lookup_answer const& answer, std::int64_t now_ms)
{
    // The first entry listed for an identity wins, as PH-EE's worker takes it.
    std::unordered_map<std::string_view, mapper::phee::beneficiary_dto const*> found;
    for(auto const& e : answer.beneficiaries)
        if(e.payee_identity)
            found.try_emplace(*e.payee_identity, &e);

    lookup_outcome out;
    for(std::size_t i = 0; i < b.rows.size(); ++i)
    {
        auto& row = b.rows[i];
        if(!row.payable)
            continue;
        auto it = found.find(row.payee_identifier);
        if(it == found.end())
        {
            row.payable = false;
            b.fail_row(i, now_ms, lookup_note::not_found_code, lookup_note::not_found);
            ++out.not_found;
            continue;
        }
        row.payee_identifier = it->second->financial_address.value_or("");
        row.payee_dfsp = b.strings.intern(it->second->banking_institution_code.value_or(""));
        ++out.resolved;
    }
    return out;
}

void fail_lookup(batch& b, std::int64_t now_ms, std::string_view code, std::string_view note)
{
    for(std::size_t i = 0; i < b.rows.size(); ++i)
        if(b.rows[i].payable)
        {
            b.rows[i].payable = false;
            b.fail_row(i, now_ms, code, note);
        }
    b.note = std::string(note);
}

} // namespace mojasim::hub
