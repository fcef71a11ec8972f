// The payee's decisions, without I/O: who a party is, what a quote costs, and whether an
// incoming transfer can be fulfilled (fspiop.md §2.2, §6). The actor (dfsp_actor.cpp) calls
// these, then sends the callbacks and moves the money.
#pragma once

#include "simulator/core/clock.hpp"
#include "simulator/dfsp/config.hpp"
#include "simulator/fspiop/decode_result.hpp"
#include "simulator/fspiop/types.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mojasim::dfsp {

/// The DFSP's customers by identifier.
class party_directory
{
public:
    /// False when a party with the same type, id and sub-id exists.
    bool add(party_config p);
    [[nodiscard]] party_config const* find(fspiop::party_id_type type, std::string_view id,
                                           std::string_view sub_id = {}) const;
    [[nodiscard]] std::vector<party_config> all() const;
    [[nodiscard]] std::size_t size() const noexcept { return parties_.size(); }

private:
    static std::string key(fspiop::party_id_type type, std::string_view id, std::string_view sub_id);
    std::unordered_map<std::string, party_config> parties_;
    std::vector<std::string> order_;
};

/// The FSPIOP Party for a customer of `fsp_id`.
fspiop::party to_fspiop_party(party_config const& p, std::string const& fsp_id);

/// What the payee remembers of a quote until its transfer arrives: the split of the money.
struct quoted_split
{
    std::string account;           ///< the beneficiary's account
    decimal payee_receive_amount;
    decimal payee_fsp_fee;
};

/// Quotes by quoteId, oldest forgotten first beyond `capacity`.
class quote_memory
{
public:
    explicit quote_memory(std::size_t capacity) : capacity_(capacity) {}
    void remember(std::string quote_id, quoted_split split);
    [[nodiscard]] quoted_split const* find(std::string_view quote_id) const;
    [[nodiscard]] std::size_t size() const noexcept { return splits_.size(); }

private:
    std::size_t capacity_;
    std::unordered_map<std::string, quoted_split> splits_;
    std::deque<std::string> order_;
};

/// The settings the payee decisions need.
struct payee_settings
{
    std::string fsp_id;
    std::string currency;
    std::string ilp_secret;
    payee_config const* payee = nullptr;
};

/// GET /parties: the PUT /parties body, or 3204.
fspiop::decode_result<fspiop::put_parties> answer_party(party_directory const& dir, payee_settings const& s,
                                                        fspiop::party_id_type type, std::string_view id,
                                                        std::string_view sub_id);

/// An accepted quote: the PUT /quotes body and the split to remember.
struct quote_answer
{
    fspiop::put_quotes response;
    quoted_split split;
};

/// POST /quotes: terms by the fee rule, the ILP packet and condition by the SDK recipe, and an
/// expiration (now + quote_expiry, never later than the request's). Errors: 3204 unknown
/// payee, 5106 other currency, 3302 request already expired, 3100 amount with too many
/// decimals, 5103 SEND amount that does not cover the fee.
fspiop::decode_result<quote_answer> answer_quote(party_directory const& dir, payee_settings const& s,
                                                 fspiop::post_quotes const& request, core::time_point now);

/// An accepted transfer: what to credit and the fulfilment to send.
struct transfer_acceptance
{
    std::string fulfilment;
    std::string account;          ///< beneficiary
    decimal credit;               ///< to the beneficiary
    decimal fee;                  ///< to the fee account
    std::string payee_party_id;   ///< partyIdentifier of the payee (for fault rules)
};

/// POST /transfers: decode the ILP packet (3100 when it is not one), check it against the
/// transfer (payer, payee, currency, amount: 3100 on any difference), the payee (3204), the
/// expiration (3303 once past) and the condition (3100 when the packet's fulfilment does not
/// hash to it), then derive the fulfilment. The split comes from the remembered quote, or
/// from the fee rule applied to the transferred amount when the quote is unknown.
/// `api_major` is the API version of the request that carried the packet: the ids inside the
/// packet follow the same rule as the request's own (ULIDs from 2.0 on).
fspiop::decode_result<transfer_acceptance> accept_transfer(party_directory const& dir, payee_settings const& s,
                                                           quote_memory const& quotes,
                                                           fspiop::post_transfers const& transfer,
                                                           core::time_point now, int api_major);

/// The payee partyIdentifier inside a transfer's ILP packet, or empty.
std::string payee_of_packet(std::string_view ilp_packet, int api_major);

} // namespace mojasim::dfsp
