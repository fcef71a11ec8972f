#include "simulator/admin/json_io.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>

namespace mojasim::admin_api {

namespace {

namespace json = boost::json;
using json::error_code;

// boost::json's own parser handler, except that numbers are kept as their text.
struct exact_handler
{
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    json::value_stack st;

    bool on_document_begin(error_code&)
    {
        st.reset();
        return true;
    }
    bool on_document_end(error_code&) { return true; }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t n, error_code&)
    {
        st.push_array(n);
        return true;
    }
    bool on_object_begin(error_code&) { return true; }
    bool on_object_end(std::size_t n, error_code&)
    {
        st.push_object(n);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, error_code&)
    {
        st.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, error_code&)
    {
        st.push_string(s);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, error_code&)
    {
        st.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, error_code&)
    {
        st.push_key(s);
        return true;
    }
    bool on_number_part(json::string_view s, error_code&)
    {
        st.push_chars(s);
        return true;
    }
    bool on_int64(std::int64_t, json::string_view s, error_code&)
    {
        st.push_string(s);
        return true;
    }
    bool on_uint64(std::uint64_t, json::string_view s, error_code&)
    {
        st.push_string(s);
        return true;
    }
    bool on_double(double, json::string_view s, error_code&)
    {
        st.push_string(s);
        return true;
    }
    bool on_bool(bool b, error_code&)
    {
        st.push_bool(b);
        return true;
    }
    bool on_null(error_code&)
    {
        st.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, error_code&) { return true; }
    bool on_comment(json::string_view, error_code&) { return true; }
};

} // namespace

std::optional<json::value>
parse_exact(std::string_view text)
{
    json::basic_parser<exact_handler> p(json::parse_options{});
    error_code ec;
    auto const n = p.write_some(false, text.data(), text.size(), ec);
    if(ec || n != text.size() || !p.done())
        return std::nullopt;
    return p.handler().st.release();
}

json::value const*
member(json::value const& v, std::string_view key) noexcept
{
    auto const* o = v.if_object();
    if(!o)
        return nullptr;
    auto it = o->find(key);
    return it == o->end() ? nullptr : &it->value();
}

std::optional<std::string_view>
text_of(json::value const& v, std::string_view key) noexcept
{
    auto const* m = member(v, key);
    if(!m || !m->is_string())
        return std::nullopt;
    auto const& s = m->get_string();
    return std::string_view(s.data(), s.size());
}

std::optional<core::decimal>
decimal_of(json::value const& v, std::string_view key) noexcept
{
    auto t = text_of(v, key);
    if(!t)
        return std::nullopt;
    return core::decimal::parse(*t);
}

std::optional<bool>
bool_of(json::value const& v, std::string_view key) noexcept
{
    auto const* m = member(v, key);
    if(!m)
        return std::nullopt;
    if(m->is_bool())
        return m->get_bool();
    // Joi.boolean().truthy(1).falsy(0), as central-ledger accepts for isActive.
    if(auto t = text_of(v, key); t && (*t == "1" || *t == "0"))
        return *t == "1";
    return std::nullopt;
}

std::optional<std::uint64_t>
uint_of(json::value const& v, std::string_view key) noexcept
{
    auto t = text_of(v, key);
    if(!t)
        return std::nullopt;
    std::uint64_t n = 0;
    auto const [p, e] = std::from_chars(t->data(), t->data() + t->size(), n);
    if(e != std::errc{} || p != t->data() + t->size())
        return std::nullopt;
    return n;
}

} // namespace mojasim::admin_api
