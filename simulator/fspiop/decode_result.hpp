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

/// Why a body was rejected, as the hub's OpenAPI validator (ajv) and its error mapping report it.
struct decode_error
{
    /// The code of the validator's keyword: 3102 a missing required member; 3101 a wrong JSON
    /// type (or unreadable JSON); 3100 an enum, pattern, length or array-size violation.
    errc code = errc::malformed_syntax;

    /// Path of the offending element in the body, e.g. "payee.partyIdInfo.partyIdType" or
    /// "individualTransfers[2].transferAmount.amount" (for a missing member, the member's own
    /// path); empty for the body as a whole.
    std::string field;

    /// ajv's message, e.g. "must have required property 'partyIdType'", "must be string",
    /// "must be equal to one of the allowed values", "must match pattern \"...\"".
    std::string message;

    /// True when the schema check (decode) rejected the body; false for the business checks
    /// built on decode_error (a payee's, the ILP packet's), which read "<field> <message>".
    bool schema = false;

    /// For a schema error the hub's wording: the instancePath under /requestBody, then the
    /// message, e.g. "/requestBody/payee/partyIdInfo must have required property
    /// 'partyIdType'" (a missing member is reported at its parent), "/requestBody/amount/currency
    /// must be equal to one of the allowed values". Otherwise "<field> <message>". The message
    /// alone when there is no field.
    [[nodiscard]] std::string detail() const
    {
        if(field.empty())
            return message;
        if(!schema)
            return field + " " + message;
        std::string_view path = field;
        if(code == errc::missing_mandatory_element)
        {
            auto const cut = path.find_last_of(".[");
            path = cut == std::string_view::npos ? std::string_view{} : path.substr(0, cut);
        }
        std::string d = "/requestBody";
        d.reserve(d.size() + path.size() + 2 + message.size());
        if(!path.empty())
            d += '/';
        for(char c : path)
        {
            if(c == '.' || c == '[')
                d += '/';
            else if(c != ']')
                d += c;
        }
        d.append(" ").append(message);
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
