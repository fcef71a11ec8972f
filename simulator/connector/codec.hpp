// JSON codec of the connector outbound API (types.hpp). Encoding writes the spec's wire
// names in the spec's order and omits absent optionals. Decoding never throws: it returns
// the value or a decode_error that names the offending field ("from.idType").
//
// Requests (transferRequest, the PUT continuation) are decoded as the SDK validates them:
// unknown properties, bad enums, bad Amount/Currency formats and out-of-range lengths are
// errors. Responses are decoded leniently: unknown properties are ignored (servers add
// fields between versions) but every known field must have the right type.
#pragma once

#include "simulator/connector/types.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cassert>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mojasim::connector {

/// Why a body was rejected.
struct decode_error
{
    /// Path of the offending element: "from.idType", "quoteResponse.body.ilpPacket",
    /// "transferRequestExtensions[1].key"; empty for the body as a whole.
    std::string field;

    /// What is wrong: "is required", "must be a string", "must be one of MSISDN, EMAIL, ...".
    std::string message;

    /// "<field> <message>", or the message alone.
    [[nodiscard]] std::string detail() const
    {
        if(field.empty())
            return message;
        return field + " " + message;
    }

    friend bool operator==(decode_error const&, decode_error const&) = default;
};

/// Thrown only when value() is called on a failed decode_result: a bug in the caller.
[[noreturn]] inline void throw_exception_from_error(decode_error const& e, boost::source_location const&)
{
    throw std::invalid_argument("value() of a failed decode: " + e.detail());
}

/// Either a T or a decode_error; test it like a pointer (as fspiop::decode_result).
template <class T>
using decode_result = boost::system::result<T, decode_error>;

/// ErrorInformation as a JSON value, for a caller that composes a body of its own.
boost::json::value to_json(error_information const& v);

// Encoding as text, written directly without building a JSON value.
std::string encode(transfer_request const& v);
std::string encode(transfer_continuation const& v);
std::string encode(transfer_response const& v);
std::string encode(error_response const& v);
std::string encode(transfer_error_response const& v);
std::string encode(transfer_status_response const& v);

// Decoding from body text (bad JSON is an error with an empty field) or a parsed value.
decode_result<transfer_request> decode_transfer_request(std::string_view body);
decode_result<transfer_request> decode_transfer_request(boost::json::value const& v);
decode_result<transfer_continuation> decode_transfer_continuation(std::string_view body);
decode_result<transfer_continuation> decode_transfer_continuation(boost::json::value const& v);
decode_result<transfer_response> decode_transfer_response(std::string_view body);
decode_result<transfer_response> decode_transfer_response(boost::json::value const& v);
decode_result<error_response> decode_error_response(std::string_view body);
decode_result<error_response> decode_error_response(boost::json::value const& v);
decode_result<transfer_error_response> decode_transfer_error_response(std::string_view body);
decode_result<transfer_error_response> decode_transfer_error_response(boost::json::value const& v);
decode_result<transfer_status_response> decode_transfer_status_response(std::string_view body);
decode_result<transfer_status_response> decode_transfer_status_response(boost::json::value const& v);

// Bulk (types.hpp): requests decoded strictly, the response leniently.
std::string encode(bulk_transaction_request const& v);
std::string encode(bulk_transaction_continuation const& v);
std::string encode(bulk_transaction_response const& v);
decode_result<bulk_transaction_request> decode_bulk_transaction_request(std::string_view body);
decode_result<bulk_transaction_continuation> decode_bulk_transaction_continuation(std::string_view body);
decode_result<bulk_transaction_response> decode_bulk_transaction_response(std::string_view body);

/// The 400 body the SDK's outbound API answers a request that fails validation with:
/// errorResponse {"statusCode":"400","message":"<field> <message>"}.
std::string validation_error_body(decode_error const& e);

} // namespace mojasim::connector
