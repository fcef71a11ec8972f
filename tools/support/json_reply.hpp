// The tools' reading of a JSON answer from a mojasim service (the operations API, the
// switch's Admin API): the object of a 200, or nothing.
#pragma once

#include "simulator/net/client.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <optional>

namespace mojasim::tools {

/// The JSON object a 200 answer holds; empty when the exchange failed, the status is not 200
/// or the body is not a JSON object.
inline std::optional<boost::json::object> object_of_ok(net::result<net::response> const& res)
{
    if(!res || res->status != 200)
        return std::nullopt;
    boost::json::error_code ec;
    auto v = boost::json::parse(res->body, ec);
    if(ec || !v.is_object())
        return std::nullopt;
    return std::move(v.as_object());
}

} // namespace mojasim::tools
