// G2P Connect's mapper API as SPAR (spar-g2pconnect-id-mapper) serves it, the pure part: the
// envelope, link / update / resolve / unlink against the store, and the callback-shaped
// answer (the sync paths' body and the async paths' /on-… callback alike).
// shared/notes/account-mapper.md §3: resolve's default scope is SPAR's `details` (the spec's
// is `yes_no`); an id not found is status `succ` with `succ.id.not_found`, as SPAR answers;
// unlink (not in SPAR) is implemented as the spec defines it, a delete by id.
#pragma once

#include "simulator/mapper/store.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mojasim::mapper::g2p {

/// SPAR's callback_sender_id default.
inline constexpr std::string_view default_sender_id = "spar.dev.openg2p.net";

/// An answer refused before any entry is read: 422 (pydantic) or 400 (MPR-REQ-400).
struct refusal
{
    unsigned status = 400;
    std::string body;
};

struct envelope
{
    std::string signature;
    std::string action;      ///< header.action
    std::string message_id;
    std::string sender_id;
    std::string sender_uri;  ///< empty when absent
    boost::json::object message;
};

/// Read a request for `action` (link, update, resolve, unlink): the three members, the
/// header's required fields, the action, and each entry's required fields.
boost::system::result<envelope, refusal> parse(std::string_view body, std::string_view action);

struct answer_options
{
    std::string correlation_id;                        ///< the ack's
    std::string now;                                   ///< header.message_ts and entries' timestamp
    std::string sender_id = std::string(default_sender_id);
};

/// Carry the request out on the store and compose the answer (the sync body; the async
/// callback's body).
std::string process(store& s, envelope const& e, answer_options const& o);

/// The async ack: {"message":{"ack_status":"ACK","timestamp":…,"error":null,"correlation_id":…}}.
std::string ack_body(std::string_view now, std::string_view correlation_id);

// SPAR's Mojaloop ALS oracle (spar-mojaloop-als-oracle) ----------------------------------

/// GET /internal/mojaloop/participants/{type}/{id}, as SPAR's oracle answers the switch's ALS:
/// only ACCOUNT_ID (FA prefix `account:`); the FA `account:{id}@` matched as a substring; the
/// fspId is the found entry's bank. 200 `{"partyList":[{"fspId":…}]}`, or 400
/// `{"errorInformation":{"errorCode":"ML-SPR-100|200|300","errorDescription":…}}`.
refusal als_participants(store const& s, std::string_view type, std::string_view id);

// The client side (the hub's ingress asks the mapper to resolve ids) ---------------------

/// A sync resolve request of one id, scope details.
std::string resolve_request(std::string_view message_id, std::string_view transaction_id, std::string_view id,
                            std::string_view now);
/// The FA of the first resolve_response entry, when it has one (clients must test `fa`
/// presence, not `status`: SPAR answers an unknown id with `succ`). nullopt when the body
/// is not a resolve answer or has no FA.
std::optional<std::string> resolved_fa(std::string_view body);

} // namespace mojasim::mapper::g2p
