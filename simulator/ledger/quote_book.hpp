// The quoting service's memory in pass-through mode, without I/O: who asked whom for each
// quote, and the hashes of the request and of the payee's answer. It decides, as the real
// quoting service does (fspiop.md §7.9):
//  - a POST /quotes whose id is known is a resend (the same body: sent on again to the payee)
//    or a modified request (another body: 3106 to the sender);
//  - an answer (PUT /quotes/{ID} or its /error) to a known quote must come from its payee and
//    go to its payer (3100 to the sender otherwise, nothing forwarded or recorded); only then
//    is a PUT checked as a duplicate (3106 for another body) and recorded, so another FSP's
//    answer never takes the payee's place;
//  - answers to quotes it does not know are passed on as they are.
// The shell (central/quotes_service.cpp) carries the verdicts out.
#pragma once

#include "simulator/fspiop/errors.hpp"
#include "simulator/ledger/participant_registry.hpp"
#include "simulator/ledger/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace mojasim::ledger {

class quote_book
{
public:
    /// What the book remembers of a quote.
    struct record
    {
        std::string payer;
        std::string payee;
        body_digest request_hash{};
        std::optional<body_digest> response_hash;
    };

    /// A POST /quotes for an id it already holds: send the same request on again to the
    /// payee, or refuse a changed one.
    struct resend
    {
        std::string payee;
    };

    /// What to do with a POST /quotes: nullopt for a new quote; a resend; or the error for
    /// the sender (3106 for a changed body).
    using request_verdict = std::optional<std::variant<resend, fspiop::error_information>>;
    [[nodiscard]] request_verdict on_request(std::string_view quote_id, body_digest const& hash) const;

    /// Remember a new quote (after its payee was found able to take it).
    void record_request(std::string quote_id, std::string payer, std::string payee, body_digest const& hash);

    /// What to do with an answer to a quote: pass it on to `to` (the payer when the answer
    /// named no destination), or send `error` back to its sender. `hash` is set for a PUT
    /// /quotes/{ID} (duplicate checked and recorded) and empty for a PUT .../error.
    struct answer_verdict
    {
        std::string to;
        std::optional<fspiop::error_information> error;
    };
    answer_verdict on_answer(std::string_view quote_id, std::string_view source, std::string_view destination,
                             std::optional<body_digest> const& hash);

    /// Where a GET /quotes/{ID} goes when it names no destination: the other side of the quote
    /// from the asker; empty when the quote is unknown.
    [[nodiscard]] std::string other_side(std::string_view quote_id, std::string_view source) const;

    [[nodiscard]] record const* find(std::string_view quote_id) const;
    [[nodiscard]] std::size_t size() const noexcept { return quotes_.size(); }

private:
    std::unordered_map<std::string, record, string_hash, std::equal_to<>> quotes_;
};

} // namespace mojasim::ledger
