// How Catch prints a boost::system::result (every decode in mojasim returns one): "a value" or
// the error's detail. Boost's own operator<< prints the value, which most of our types do not
// define, so without this a CHECK(r) would not compile. tests/CMakeLists.txt includes this
// header in every test source (-include), before catch.hpp is used.
#pragma once

#include <boost/system/result.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace Catch {

template <class T, class E>
struct StringMaker<boost::system::result<T, E>>
{
    static std::string convert(boost::system::result<T, E> const& r)
    {
        if(r.has_value())
            return "a value";
        if constexpr(requires { r.error().detail(); })
            return "error: " + r.error().detail();
        else
            return "an error";
    }
};

} // namespace Catch
