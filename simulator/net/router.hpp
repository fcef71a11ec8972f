// Routes by method and path template: "/parties/{Type}/{ID}/{SubId}", "/transfers/{ID}/error".
// A {name} segment matches one non-empty path segment and is captured percent-decoded.
// Literal segments win over placeholders, so "/participants/{ID}/error" and
// "/participants/{Type}/{ID}" can live side by side.
#pragma once

#include "simulator/net/awaitable.hpp"
#include "simulator/net/message.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::net {

class router
{
public:
    /// A handler takes the request by value (it lives in the coroutine frame) and returns
    /// the response. Write handlers as named functions or members, not capturing lambda
    /// coroutines (g++ 12 miscompiles those); a plain lambda that calls a member is fine.
    using handler = std::function<awaitable<response>(request)>;

    /// Answers what no route matched: `path_matched` is true when another method has the
    /// path (405), false otherwise (404).
    using fallback = std::function<response(request const&, bool path_matched)>;

    router();
    ~router();
    router(router&&) noexcept;
    router& operator=(router&&) noexcept;

    /// Adds a route. Throws std::invalid_argument when a placeholder at one position is named
    /// differently from another route's ({ID} beside {id}): one of the two would bind its
    /// value under the wrong name.
    void add(method m, std::string_view pattern, handler h);

    /// Finds the handler for `req` and fills req.params; null when none matched.
    /// `path_matched` tells whether some route had the path with another method.
    handler const* match(request& req, bool& path_matched) const;

    /// Match and call the handler, or answer with the fallback (default: JSON 404/405).
    awaitable<response> dispatch(request req) const;

    void set_fallback(fallback f);

private:
    struct node;
    std::unique_ptr<node> root_;
    fallback fallback_;
};

} // namespace mojasim::net
