#include "simulator/ledger/quote_book.hpp"

namespace mojasim::ledger {

using fspiop::errc;
using fspiop::error_information;

quote_book::request_verdict
quote_book::
on_request(std::string_view quote_id, body_digest const& hash) const
{
    auto const* q = find(quote_id);
    if(!q)
        return std::nullopt;
    if(q->request_hash != hash)
        return error_information::from(errc::modified_request);
    return resend{q->payee};
}

void
quote_book::
record_request(std::string quote_id, std::string payer, std::string payee, body_digest const& hash)
{
    quotes_.emplace(std::move(quote_id), record{std::move(payer), std::move(payee), hash, {}});
}

quote_book::answer_verdict
quote_book::
on_answer(std::string_view quote_id, std::string_view source, std::string_view destination,
          std::optional<body_digest> const& hash)
{
    auto it = quotes_.find(quote_id);
    if(it == quotes_.end())
        return {std::string(destination), std::nullopt};
    auto& q = it->second;
    // The quote exists; then the answer must come from its payee, to its payer.
    if(!destination.empty() && destination != q.payer)
        return {{}, error_information::from(errc::generic_validation_error,
                                            "FSPIOP-Destination does not match the payer fsp of the quote")};
    if(source != q.payee)
        return {{}, error_information::from(errc::generic_validation_error,
                                            "FSPIOP-Source does not match the payee fsp of the quote")};
    // Only then is it a duplicate, or recorded.
    if(hash)
    {
        if(q.response_hash && *q.response_hash != *hash)
            return {{}, error_information::from(errc::modified_request)};
        q.response_hash = *hash;
    }
    return {q.payer, std::nullopt};
}

std::string
quote_book::
other_side(std::string_view quote_id, std::string_view source) const
{
    auto const* q = find(quote_id);
    if(!q)
        return {};
    return source == q->payer ? q->payee : q->payer;
}

quote_book::record const*
quote_book::
find(std::string_view quote_id) const
{
    auto it = quotes_.find(quote_id);
    return it == quotes_.end() ? nullptr : &it->second;
}

} // namespace mojasim::ledger
