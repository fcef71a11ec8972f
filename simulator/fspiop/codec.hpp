// JSON codecs for the FSPIOP bodies of types.hpp.
//
// decode<T>(body) parses once and validates every field against the FSPIOP data types while
// it copies it out (validate.hpp): required fields, JSON types, patterns, enumerations,
// lengths and array sizes. It never throws; a rejected body gives the FSPIOP code the
// hub's API layer answers with, mapped from its OpenAPI validator's keyword as the hub maps
// them (3102 a missing required member, 3101 a wrong JSON type or unreadable JSON, 3100 an
// enum, pattern, length or array-size violation) and the path of the field:
//
//     auto t = fspiop::decode<fspiop::post_transfers>(body);
//     if(!t)
//         return reply(400, t.error().body());   // {"errorInformation":{"errorCode":"3100",...}}
//
// Unknown members are ignored (the v1.1 schema allows them) and are not kept. When two
// problems exist, the one reported is the first missing required member of the outermost
// object, else the first invalid member in schema order, as the hub's validator does.
//
// CorrelationIds follow the hub (UUID v1-7 or ULID under every version); with strict_spec the
// API major version selects the specification's rule (v1.x lowercase UUID v1-5, v2.x also
// UUID v6-7 and ULID) and PERSONAL_ID sub-ids must be PersonalIdentifierTypes. Other v2.0
// additions (fx, supportedCurrencies, kyc) are not modelled.
//
// encode(x) writes compact JSON with the wire names in the schema's member order; absent
// optional members (empty strings, empty optionals, empty extension lists) are omitted.
// decode(encode(x)) == x for any decoded x.
#pragma once

#include "simulator/fspiop/decode_result.hpp"
#include "simulator/fspiop/types.hpp"

#include <string>
#include <string_view>

namespace boost::json {
class value;
} // namespace boost::json

namespace mojasim::fspiop {

/// Parse and validate a JSON body. T is one of the types listed below.
template<class T>
decode_result<T> decode(std::string_view body, int api_major = 1, bool strict_spec = false);

/// Validate an already parsed body (e.g. when the caller needs the DOM too).
template<class T>
decode_result<T> decode_parsed(boost::json::value const& body, int api_major = 1, bool strict_spec = false);

// The types decode supports, listed once: declared here, explicitly instantiated in codec.cpp.
#define MOJASIM_FSPIOP_DECODABLE_TYPES(X) \
    X(money) \
    X(party_id_info) \
    X(party) \
    X(error_information) \
    X(error_information_object) \
    X(put_parties) \
    X(post_participants_type_id) \
    X(put_participants_type_id) \
    X(post_participants) \
    X(put_participants) \
    X(post_quotes) \
    X(put_quotes) \
    X(post_transfers) \
    X(put_transfers) \
    X(patch_transfers) \
    X(post_bulk_quotes) \
    X(put_bulk_quotes) \
    X(post_bulk_transfers) \
    X(put_bulk_transfers) \
    X(post_transaction_requests) \
    X(put_transaction_requests) \
    X(put_authorizations) \
    X(transaction)

#define MOJASIM_FSPIOP_DECODABLE(T)                                                                           \
    extern template decode_result<T> decode<T>(std::string_view, int, bool);                                   \
    extern template decode_result<T> decode_parsed<T>(boost::json::value const&, int, bool);
MOJASIM_FSPIOP_DECODABLE_TYPES(MOJASIM_FSPIOP_DECODABLE)
#undef MOJASIM_FSPIOP_DECODABLE

/// Compact JSON with the exact wire names.
std::string encode(money const& x);
std::string encode(party_id_info const& x);
std::string encode(party const& x);
std::string encode(error_information const& x);           ///< the inner object {"errorCode":..}
std::string encode(error_information_object const& x);    ///< {"errorInformation":{...}}
std::string encode(put_parties const& x);
std::string encode(post_participants_type_id const& x);
std::string encode(put_participants_type_id const& x);
std::string encode(post_participants const& x);
std::string encode(put_participants const& x);
std::string encode(post_quotes const& x);
std::string encode(put_quotes const& x);
std::string encode(post_transfers const& x);
std::string encode(put_transfers const& x);
std::string encode(patch_transfers const& x);
std::string encode(post_bulk_quotes const& x);
std::string encode(put_bulk_quotes const& x);
std::string encode(post_bulk_transfers const& x);
std::string encode(put_bulk_transfers const& x);
std::string encode(post_transaction_requests const& x);
std::string encode(put_transaction_requests const& x);
std::string encode(put_authorizations const& x);

/// The Transaction in the member order sdk-standard-components uses for the ILP data
/// (quoteId, transactionId, transactionType, payee, payer, expiration, amount, note), then
/// extensionList.
std::string encode(transaction const& x);

} // namespace mojasim::fspiop
