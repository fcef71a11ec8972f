// The result of decoding (or building) an FSPIOP message: the value, or the reason it was
// rejected as the API layer of the switch reports it (an FSPIOP code plus the field).
// Decoding never throws; bad input always ends up here.
#pragma once

#include "simulator/fspiop/errors.hpp"

#include <cassert>
#include <string>
#include <utility>
#include <variant>

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

/// Either a T or a decode_error. Test it like a pointer:
///
///     auto r = fspiop::decode<fspiop::post_transfers>(body);
///     if(!r)
///         return reply(400, r.error().body());
///     use(r->transfer_id);
template<class T>
class decode_result
{
public:
    decode_result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    decode_result(decode_error error) : v_(std::in_place_index<1>, std::move(error)) {}

    [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value. Precondition: has_value().
    [[nodiscard]] T& value() & noexcept
    {
        assert(has_value());
        return *std::get_if<0>(&v_);
    }
    [[nodiscard]] T const& value() const& noexcept
    {
        assert(has_value());
        return *std::get_if<0>(&v_);
    }
    [[nodiscard]] T&& value() && noexcept
    {
        assert(has_value());
        return std::move(*std::get_if<0>(&v_));
    }

    T& operator*() & noexcept { return value(); }
    T const& operator*() const& noexcept { return value(); }
    T* operator->() noexcept { return &value(); }
    T const* operator->() const noexcept { return &value(); }

    /// The error. Precondition: !has_value().
    [[nodiscard]] decode_error const& error() const noexcept
    {
        assert(!has_value());
        return *std::get_if<1>(&v_);
    }

private:
    std::variant<T, decode_error> v_;
};

} // namespace mojasim::fspiop
