// What the answer of DFSP1's connector (outbound API) means for one payment, and PH-EE's
// retry rule carried over to that API. Pure, so every branch is tested without a socket.
//
// PH-EE's Mojaloop leg retries each stage (lookup, quote, transfer) up to 3 times when its
// 60 s wait for the switch times out, and re-sends the transfer with the same transferId
// so the switch deduplicates it. Through the connector's synchronous API that becomes:
//  - the connector timed out in the lookup or quote stage (no quote accepted, so no money
//    can have moved): send POST /transfers again, up to the attempt limit;
//  - it timed out after the quote (the transfer may have been prepared): never re-send;
//    ask GET /transfers/{transferId} instead, up to the attempt limit;
//  - a definite answer (COMPLETED, or a Mojaloop error such as a payee rejection) ends the
//    payment at once, keeping the FSPIOP code and description.
#pragma once

#include <string>
#include <string_view>

namespace mojasim::hub {

struct payment_outcome
{
    enum class kind : unsigned char
    {
        completed,    ///< COMMITTED: the payee was paid
        failed,       ///< a definite failure: error_code / error_description say why
        accept_party, ///< the connector waits for PUT /transfers/{id} {"acceptParty":true}
        accept_quote, ///< the connector waits for PUT /transfers/{id} {"acceptQuote":true}
        retry,        ///< nothing can have moved: POST /transfers again
        query,        ///< the outcome is unknown: GET /transfers/{id}
    };

    kind what = kind::failed;
    std::string transfer_id;     ///< when the connector gave one
    std::string payee_fsp;       ///< when the lookup or quote named it
    std::string error_code;      ///< FSPIOP code ("5101") for failed; last error otherwise
    std::string error_description;
};

/// The answer to POST /transfers or PUT /transfers/{id}. Reads only the members that decide
/// the outcome (and checks those with the connector decoder's rules, plus the presence of
/// the required ones); anything else goes through interpret_transfer_answer_reference.
payment_outcome interpret_transfer_answer(unsigned status, std::string_view body);

/// The same, reading the answer with connector::decode_transfer_response (every member
/// decoded and checked). The reference the lean reading is tested against.
payment_outcome interpret_transfer_answer_reference(unsigned status, std::string_view body);

/// The answer to GET /transfers/{id}: completed, failed, or query (still unknown).
payment_outcome interpret_status_answer(unsigned status, std::string_view body);

/// FSPIOP codes the hub files its own failures under.
namespace hub_error {
inline constexpr std::string_view server_timed_out_code = "2004";
inline constexpr std::string_view server_timed_out = "Server timed out";
inline constexpr std::string_view communication_code = "1001";
inline constexpr std::string_view communication = "Destination communication error";
/// The connector took a request and the connection ended without an answer.
inline constexpr std::string_view outcome_unknown = "Destination communication error: outcome unknown";
inline constexpr std::string_view internal_code = "2001";
} // namespace hub_error

} // namespace mojasim::hub
