// The result of decoding (or building) an FSPIOP message: the value, or the reason it was
// rejected as the API layer of the switch reports it (an FSPIOP code plus the field).
// Decoding never throws; bad input always ends up here.
#pragma once

#include "simulator/fspiop/errors.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

namespace mojasim::fspiop {

/// Why a body was rejected.
struct decode_error
{
    /// 3101 malformed syntax (bad JSON, wrong type, bad format or value), 3102 missing
    /// mandatory element, 3103 too many elements (an array above its maximum).
    errc code = errc::malformed_syntax;

    /// Path of the offending element in the body, e.g. "payee.partyIdInfo.partyIdType" or
    /// "individualTransfers[2].transferAmount.amount"; empty for the body as a whole.
    std::string field;

    /// What is wrong, e.g. "is required", "must be a string",
    /// "must be equal to one of the allowed values".
    std::string message;

    /// "<field> <message>" (or the message alone): the detail for error_body().
    [[nodiscard]] std::string detail() const
    {
        if(field.empty())
            return message;
        std::string d;
        d.reserve(field.size() + 1 + message.size());
        d.append(field).append(" ").append(message);
        return d;
    }

    /// The complete {"errorInformation":...} body for a synchronous 400 or an error callback.
    [[nodiscard]] std::string body() const { return error_body(code, detail()); }

    friend bool operator==(decode_error const&, decode_error const&) = default;
};

/// Thrown only when value() is called on a failed decode_result: a bug in the caller.
[[noreturn]] inline void throw_exception_from_error(decode_error const& e, boost::source_location const&)
{
    throw std::invalid_argument("value() of a failed decode: " + e.detail());
}

/// Either a T or a decode_error. Test it like a pointer:
///
///     auto r = fspiop::decode<fspiop::post_transfers>(body);
///     if(!r)
///         return reply(400, r.error().body());
///     use(r->transfer_id);
template <class T>
using decode_result = boost::system::result<T, decode_error>;

} // namespace mojasim::fspiop
