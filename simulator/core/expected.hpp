// A value or the reason there is none: the shape of every non-throwing decode in mojasim
// (C++20 has no std::expected). Test it like a pointer:
//
//     auto r = fspiop::decode<fspiop::post_transfers>(body);
//     if(!r)
//         return reply(400, r.error().body());
//     use(r->transfer_id);
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace mojasim::core {

template <class T, class E>
class expected
{
public:
    expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}

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
    [[nodiscard]] E const& error() const noexcept
    {
        assert(!has_value());
        return *std::get_if<1>(&v_);
    }

private:
    std::variant<T, E> v_;
};

} // namespace mojasim::core
