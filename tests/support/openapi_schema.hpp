// An OpenAPI 3 file read with yaml-cpp (components/schemas, $ref, the request body schema of an
// operation) and a validator of a JSON value (boost::json) against one of its schema nodes.
// Test code only: unit_fspiop checks the codec and the validators against the FSPIOP files in
// spec/, integration_dfsp checks every body a traced bulk run sends.
//
// The validator knows the keywords the FSPIOP files use: $ref, allOf, anyOf, type (object,
// array, string, integer, number, boolean), required, properties, additionalProperties (false
// or a schema), items, minItems/maxItems, minLength/maxLength, pattern (ECMAScript, searched as
// JSON Schema does: the file's own ^...$ anchor it) and enum. Keywords that apply to one type
// apply only to values of that type, as in JSON Schema.
//
// It uses std::regex. g++ 12 reports a false -Wmaybe-uninitialized inside libstdc++'s
// std::regex at -O1 with sanitizers, at header lines: a file that includes this header starts
// with `#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"` before its first include.
#pragma once

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::test::openapi {

/// One OpenAPI file: its components/schemas and its paths.
class schemas
{
public:
    /// The file at `path`.
    static schemas load(std::string const& path) { return schemas(YAML::LoadFile(path)); }
    /// A document given as YAML text (hand-made schemas in tests).
    static schemas parse(std::string const& yaml) { return schemas(YAML::Load(yaml)); }

    explicit schemas(YAML::Node root) : root_(std::move(root)) {}

    [[nodiscard]] YAML::Node const& root() const noexcept { return root_; }

    [[nodiscard]] YAML::Node get(std::string const& name) const
    {
        YAML::Node const s = root_["components"]["schemas"][name];
        if(!s)
            throw std::runtime_error("no schema " + name);
        return s;
    }

    // Follow $ref; `name` becomes the name of the schema reached. (YAML::Node has reference
    // semantics: `node = other` would overwrite the referenced node, so rebind with reset().)
    [[nodiscard]] YAML::Node resolve(YAML::Node const& start, std::string& name) const
    {
        YAML::Node n;
        n.reset(start);
        while(n["$ref"])
        {
            auto const ref = n["$ref"].as<std::string>();
            name = ref.substr(ref.rfind('/') + 1);
            n.reset(get(name));
        }
        return n;
    }

    /// The JSON request body schema of an operation (method in lower case), unresolved; a
    /// null node (IsNull()) when the operation takes no body. Throws when there is no such operation.
    [[nodiscard]] YAML::Node request_body(std::string const& path, std::string const& method) const
    {
        YAML::Node const op = root_["paths"][path][method];
        if(!op)
            throw std::runtime_error("no operation " + method + " " + path);
        YAML::Node out;
        if(op["requestBody"])
            out.reset(op["requestBody"]["content"]["application/json"]["schema"]);
        return out;
    }

    /// The schema name of an operation's JSON request body.
    [[nodiscard]] std::string request_schema(std::string const& path, std::string const& method) const
    {
        YAML::Node const schema = request_body(path, method);
        if(!schema || !schema["$ref"])
            throw std::runtime_error("no named request body schema for " + method + " " + path);
        auto const ref = schema["$ref"].as<std::string>();
        return ref.substr(ref.rfind('/') + 1);
    }

    /// The path template of `paths` that `target` (a request target: "/parties/MSISDN/123",
    /// a query is ignored) matches: literal segments must be equal, {X} matches any one; when
    /// several match, the one with the most literal segments ("/parties/{Type}/{ID}/error"
    /// before "/parties/{Type}/{ID}/{SubId}"). Empty when none matches.
    [[nodiscard]] std::string path_template(std::string_view target) const
    {
        target = target.substr(0, target.find('?'));
        auto const segments = split(target);
        std::string best;
        int best_literals = -1;
        for(auto const& p : root_["paths"])
        {
            auto const templ = p.first.as<std::string>();
            auto const parts = split(templ);
            if(parts.size() != segments.size())
                continue;
            int literals = 0;
            bool match = true;
            for(std::size_t i = 0; i < parts.size() && match; ++i)
            {
                if(parts[i].size() >= 2 && parts[i].front() == '{' && parts[i].back() == '}')
                    match = !segments[i].empty();
                else if(parts[i] == segments[i])
                    ++literals;
                else
                    match = false;
            }
            if(match && literals > best_literals)
            {
                best = templ;
                best_literals = literals;
            }
        }
        return best;
    }

    /// The compiled pattern (cached), matched against UTF-32 text (see utf32()). Two ways
    /// JavaScript's grammar differs from std::regex's ECMAScript are translated:
    ///  - "[A-Za-z0-9-_]" means letters, digits, '-' and '_'; std::regex wants the '-' escaped;
    ///  - the Unicode property classes of the name patterns (\p{L}, \p{gc=Mark}, \p{digit},
    ///    \p{gc=Connector_Punctuation}, \p{Join_Control}, in a bracket expression) become
    ///    ranges: exact for ASCII; every code point from U+00C0 to U+FFFF (but U+00D7 and U+00F7),
    ///    with U+00AA, U+00B5 and U+00BA, counts as one of them, which accepts all letters,
    ///    marks and digits of other scripts and some symbols besides.
    /// Any other \p{...} is refused, so a pattern is never silently misread.
    [[nodiscard]] std::wregex const& regex(std::string const& pattern) const
    {
        auto it = regexes_->find(pattern);
        if(it == regexes_->end())
        {
            std::string p = pattern;
            auto const replace_all = [&p](std::string const& from, std::string const& to) {
                for(std::size_t at = 0; (at = p.find(from, at)) != std::string::npos; at += to.size())
                    p.replace(at, from.size(), to);
            };
            replace_all("0-9-_", "0-9\\-_");
            replace_all("\\p{L}", "a-zA-Z\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\uFFFF");
            replace_all("\\p{gc=Mark}", "");
            replace_all("\\p{digit}", "0-9");
            replace_all("\\p{gc=Connector_Punctuation}", "_");
            replace_all("\\p{Join_Control}", "");
            if(p.find("\\p{") != std::string::npos || p.find("\\P{") != std::string::npos)
                throw std::runtime_error("unsupported Unicode property class in pattern " + pattern);
            std::wstring const wide(p.begin(), p.end());
            it = regexes_->emplace(pattern, std::wregex(wide, std::regex::ECMAScript)).first;
        }
        return it->second;
    }

    /// UTF-8 text as UTF-32 code points (what regex() patterns match); nullopt when it is not
    /// valid UTF-8.
    static std::optional<std::wstring> utf32(std::string_view s)
    {
        static_assert(sizeof(wchar_t) == 4);
        std::wstring out;
        for(std::size_t i = 0; i < s.size();)
        {
            auto const c = static_cast<unsigned char>(s[i]);
            std::size_t const n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
            if(n == 0 || i + n > s.size())
                return std::nullopt;
            std::uint32_t cp = n == 1 ? c : c & (0x7Fu >> n);
            for(std::size_t k = 1; k < n; ++k)
            {
                auto const b = static_cast<unsigned char>(s[i + k]);
                if((b & 0xC0) != 0x80)
                    return std::nullopt;
                cp = (cp << 6) | (b & 0x3Fu);
            }
            out.push_back(static_cast<wchar_t>(cp));
            i += n;
        }
        return out;
    }

private:
    static std::vector<std::string_view> split(std::string_view s)
    {
        std::vector<std::string_view> out;
        if(!s.empty() && s.front() == '/')
            s.remove_prefix(1);
        while(true)
        {
            auto const slash = s.find('/');
            out.push_back(s.substr(0, slash));
            if(slash == std::string_view::npos)
                break;
            s.remove_prefix(slash + 1);
        }
        return out;
    }

    YAML::Node root_;
    std::shared_ptr<std::map<std::string, std::wregex>> regexes_ = std::make_shared<std::map<std::string, std::wregex>>();
};

struct options
{
    /// Report properties the schema does not name even where it leaves additionalProperties
    /// open (the FSPIOP files never close it).
    bool forbid_unknown_properties = false;
};

namespace detail {

inline std::string describe(boost::json::value const& v)
{
    auto s = boost::json::serialize(v);
    if(s.size() > 80)
        s = s.substr(0, 77) + "...";
    return s;
}

inline std::string_view type_of(boost::json::value const& v)
{
    switch(v.kind())
    {
    case boost::json::kind::object: return "object";
    case boost::json::kind::array: return "array";
    case boost::json::kind::string: return "string";
    case boost::json::kind::bool_: return "boolean";
    case boost::json::kind::null: return "null";
    default: return "number";
    }
}

inline bool has_type(boost::json::value const& v, std::string const& type)
{
    if(type == "object")
        return v.is_object();
    if(type == "array")
        return v.is_array();
    if(type == "string")
        return v.is_string();
    if(type == "boolean")
        return v.is_bool();
    if(type == "number")
        return v.is_number();
    if(type == "integer")
    {
        if(v.is_int64() || v.is_uint64())
            return true;
        if(v.is_double())
        {
            double const d = v.get_double();
            return std::isfinite(d) && std::floor(d) == d;
        }
        return false;
    }
    throw std::runtime_error("unknown schema type " + type);
}

// Characters (Unicode code points) of UTF-8 text, as JSON Schema counts lengths.
inline std::size_t code_points(std::string_view s)
{
    std::size_t n = 0;
    for(unsigned char c : s)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// The enum entry as the JSON value it stands for: YAML scalars are text, so compare a string
// value with the text and any other value with its JSON spelling.
inline bool enum_has(YAML::Node const& values, boost::json::value const& v)
{
    for(auto const& e : values)
    {
        auto const text = e.as<std::string>();
        if(v.is_string() ? v.get_string() == text : boost::json::serialize(v) == text)
            return true;
    }
    return false;
}

// `name`: of the schema `schema` is (empty for an anonymous one), for the messages.
inline void validate(schemas const& s, YAML::Node const& schema, boost::json::value const& v, std::string const& at,
                     options const& opts, std::vector<std::string>& errors, std::string name = {})
{
    YAML::Node const node = s.resolve(schema, name);
    auto const fail = [&](std::string const& what) { errors.push_back(at + ": " + what); };

    if(auto const all = node["allOf"])
        for(auto const& sub : all)
            validate(s, sub, v, at, opts, errors);
    if(auto const any = node["anyOf"])
    {
        bool matched = false;
        std::vector<std::string> first;
        for(auto const& sub : any)
        {
            std::vector<std::string> e;
            validate(s, sub, v, at, opts, e);
            if(e.empty())
            {
                matched = true;
                break;
            }
            if(first.empty())
                first = std::move(e);
        }
        if(!matched)
            fail("matches none of anyOf (first: " + (first.empty() ? std::string{} : first.front()) + ")");
    }
    if(auto const e = node["enum"]; e && !enum_has(e, v))
        fail(describe(v) + " is not one of the enum values");
    if(auto const t = node["type"])
    {
        auto const type = t.as<std::string>();
        if(!has_type(v, type))
        {
            fail("expected " + type + ", found " + std::string(type_of(v)) + " " + describe(v));
            return;
        }
    }

    if(v.is_object())
    {
        auto const& o = v.get_object();
        if(auto const req = node["required"])
            for(auto const& r : req)
                if(!o.contains(r.as<std::string>()))
                    fail("required property '" + r.as<std::string>() + "' is missing");
        auto const props = node["properties"];
        auto const extra = node["additionalProperties"];
        for(auto const& [key, value] : o)
        {
            std::string const k(key);
            std::string const where = at + "." + k;
            if(props && props[k])
                validate(s, props[k], value, where, opts, errors);
            else if(extra && extra.IsScalar())
            {
                if(!extra.as<bool>())
                    errors.push_back(where + ": property not allowed (additionalProperties: false)");
            }
            else if(extra)
                validate(s, extra, value, where, opts, errors);
            else if(opts.forbid_unknown_properties && props)
                errors.push_back(where + ": property not in the schema" + (name.empty() ? "" : " " + name));
        }
    }
    else if(v.is_array())
    {
        auto const& a = v.get_array();
        if(auto const m = node["minItems"]; m && a.size() < m.as<std::size_t>())
            fail(std::to_string(a.size()) + " items, fewer than minItems " + m.as<std::string>());
        if(auto const m = node["maxItems"]; m && a.size() > m.as<std::size_t>())
            fail(std::to_string(a.size()) + " items, more than maxItems " + m.as<std::string>());
        if(auto const items = node["items"])
            for(std::size_t i = 0; i < a.size(); ++i)
                validate(s, items, a[i], at + "[" + std::to_string(i) + "]", opts, errors);
    }
    else if(v.is_string())
    {
        std::string_view const str = v.get_string();
        auto const n = code_points(str);
        if(auto const m = node["minLength"]; m && n < m.as<std::size_t>())
            fail(describe(v) + " is shorter than minLength " + m.as<std::string>());
        if(auto const m = node["maxLength"]; m && n > m.as<std::size_t>())
            fail(describe(v) + " is longer than maxLength " + m.as<std::string>());
        if(auto const p = node["pattern"])
        {
            auto const pattern = p.as<std::string>();
            auto const text = schemas::utf32(str);
            if(!text)
                fail(describe(v) + " is not valid UTF-8");
            else if(!std::regex_search(*text, s.regex(pattern)))
                fail(describe(v) + " does not match pattern " + pattern + (name.empty() ? "" : " (" + name + ")"));
        }
    }
}

} // namespace detail

/// Each way `v` breaks `schema` (a node of `s`), as "$.path.to[1].value: what"; empty when
/// valid.
inline std::vector<std::string> validate(schemas const& s, YAML::Node const& schema, boost::json::value const& v,
                                         options const& opts = {})
{
    std::vector<std::string> errors;
    detail::validate(s, schema, v, "$", opts, errors);
    return errors;
}

/// The same against components/schemas/<name>.
inline std::vector<std::string> validate(schemas const& s, std::string const& name, boost::json::value const& v,
                                         options const& opts = {})
{
    std::vector<std::string> errors;
    detail::validate(s, s.get(name), v, "$", opts, errors, name);
    return errors;
}

} // namespace mojasim::test::openapi
