#include "simulator/net/router.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace mojasim::net {

// A trie of path segments. Each node may have literal children, one placeholder child,
// and a handler per method.
struct router::node
{
    std::vector<std::pair<std::string, std::unique_ptr<node>>> literals;
    std::unique_ptr<node> param;
    std::string param_name;
    std::array<handler, 8> handlers;

    [[nodiscard]] bool has_any_handler() const noexcept
    {
        for(auto const& h : handlers)
            if(h)
                return true;
        return false;
    }
};

namespace {

// Split off the next segment of a path ("/a/b" -> "a", rest "/b").
std::string_view next_segment(std::string_view& path) noexcept
{
    if(!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    auto const slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    return seg;
}

response default_fallback(request const&, bool path_matched)
{
    if(path_matched)
        return make_response(405, R"({"error":"method not allowed"})");
    return make_response(404, R"({"error":"not found"})");
}

} // namespace

router::router() : root_(std::make_unique<node>()), fallback_(default_fallback) {}
router::~router() = default;
router::router(router&&) noexcept = default;
router& router::operator=(router&&) noexcept = default;

void router::add(method m, std::string_view pattern, handler h)
{
    std::string_view const whole = pattern;
    node* n = root_.get();
    while(!pattern.empty())
    {
        std::string_view const seg = next_segment(pattern);
        if(seg.size() >= 2 && seg.front() == '{' && seg.back() == '}')
        {
            std::string_view const name = seg.substr(1, seg.size() - 2);
            if(!n->param)
            {
                n->param = std::make_unique<node>();
                n->param_name = std::string(name);
            }
            else if(n->param_name != name)
                // One trie node holds one placeholder: a second name would silently bind the
                // value under the first name for one of the two routes.
                throw std::invalid_argument("route " + std::string(whole) + " names placeholder {" + std::string(name) +
                                            "} where another route has {" + n->param_name + "}");
            n = n->param.get();
            continue;
        }
        node* child = nullptr;
        for(auto& [name, c] : n->literals)
            if(name == seg)
                child = c.get();
        if(!child)
        {
            n->literals.emplace_back(std::string(seg), std::make_unique<node>());
            child = n->literals.back().second.get();
        }
        n = child;
    }
    n->handlers[static_cast<std::size_t>(m)] = std::move(h);
}

namespace {

// Depth-first match, literals before the placeholder. Captured raw values go to `raw`.
template <typename Node>
Node const* find(Node const* n, std::string_view path, std::vector<std::pair<std::string_view, std::string_view>>& raw)
{
    // A trailing "/" leaves an empty last segment, which names no resource: "/transfers/" is
    // not "/transfers" (the hub answers it 404 "Unknown URI").
    if(path.empty())
        return n->has_any_handler() ? n : nullptr;
    std::string_view rest = path;
    std::string_view const seg = next_segment(rest);
    for(auto const& [name, child] : n->literals)
    {
        if(name == seg)
            if(auto found = find(child.get(), rest, raw))
                return found;
    }
    if(n->param && !seg.empty())
    {
        raw.emplace_back(n->param_name, seg);
        if(auto found = find(n->param.get(), rest, raw))
            return found;
        raw.pop_back();
    }
    return nullptr;
}

} // namespace

router::handler const* router::match(request& req, bool& path_matched) const
{
    path_matched = false;
    std::vector<std::pair<std::string_view, std::string_view>> raw;
    auto const path = req.path();
    node const* n = find(root_.get(), path == "/" ? std::string_view{} : path, raw);
    if(!n)
        return nullptr;
    auto const& h = n->handlers[static_cast<std::size_t>(req.method)];
    if(!h)
    {
        path_matched = true;
        return nullptr;
    }
    req.params.clear();
    for(auto const& [name, value] : raw)
    {
        auto decoded = percent_decode(value);
        if(!decoded)
            return nullptr; // a bad %XX escape names no resource
        req.params.add(std::string(name), std::move(*decoded));
    }
    return &h;
}

awaitable<response> router::dispatch(request req) const
{
    bool path_matched = false;
    if(handler const* h = match(req, path_matched))
        co_return co_await (*h)(std::move(req));
    co_return fallback_(req, path_matched);
}

void router::set_fallback(fallback f)
{
    fallback_ = std::move(f);
}

} // namespace mojasim::net
