// Checks against the official OpenAPI files in MOJASIM_REFERENCE_DIR (spec/), read with yaml-cpp at
// test time:
//  - bodies generated from the v1.1 schemas (every property filled, with the schema's own
//    `example` values where it has them) decode and encode back to the same JSON, so no
//    property of any body is lost or renamed;
//  - the hand-written bodies in data/ cover every property of their schema;
//  - the validators agree with the schemas' regular expressions on fuzzed inputs.

// g++ 12 reports a false -Wmaybe-uninitialized inside libstdc++'s std::regex (std::function
// in _State) at -O1 with sanitizers. The warning is issued at header lines, so it must be
// disabled before the first standard header is read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "simulator/fspiop/codec.hpp"
#include "simulator/fspiop/ilp.hpp"
#include "simulator/fspiop/validate.hpp"

#include "support.hpp"
#include "tests/support/openapi_schema.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

namespace fspiop = mojasim::fspiop;
namespace test = mojasim::test;
namespace json = boost::json;
using fspiop::test::read_data;
using fspiop::test::read_file;
using fspiop::test::reference_path;

namespace {

using test::openapi::schemas;

// The v1.1 or v2.0 file in spec/.
schemas spec(char const* version)
{
    return schemas::load(reference_path(std::string("fspiop-rest-v") + version + "-openapi3-snippets.yaml"));
}

// Values for the few leaf schemas that have neither an example nor an enum.
std::string const* fallback(std::string const& name)
{
    static std::map<std::string, std::string> const values = {
        {"FspId", "dfsp1"},
        {"PartySubIdOrType", "WALLET"},
        {"ExtensionKey", "key"},
        {"ExtensionValue", "value"},
        {"MerchantClassificationCode", "4321"},
        {"PartyName", "Henrik Karlsson"},
        {"ErrorDescription", "Generic Payee rejection"},
        {"IlpCondition", "eCBB-86LyuWRxAK3wIidDmjskMRPZtDe03rGjGbLtSg"},
        {"AuthenticationValue", "123456"},
    };
    auto const it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
}

// A body with every property of the schema: example, else first enum value, else fallback.
json::value generate(schemas const& s, YAML::Node const& schema, std::string name)
{
    YAML::Node const node = s.resolve(schema, name);
    if(node["properties"])
    {
        json::object o;
        for(auto const& p : node["properties"])
            o[p.first.as<std::string>()] = generate(s, p.second, name + "." + p.first.as<std::string>());
        return o;
    }
    if(node["type"] && node["type"].as<std::string>() == "array")
        return json::array{generate(s, node["items"], name + "[]")};
    if(node["example"])
        return json::string(node["example"].as<std::string>());
    if(node["enum"])
        return json::string(node["enum"][0].as<std::string>());
    if(auto const* v = fallback(name))
        return json::string(*v);
    throw std::runtime_error("no value for schema " + name);
}

// Every property of the schema appears in at least one of the instances (array items are
// pooled, so one item may carry the quote fields and another errorInformation).
void check_covers(schemas const& s, YAML::Node const& schema, std::string name,
                  std::vector<json::value const*> const& instances, std::string const& path)
{
    YAML::Node const node = s.resolve(schema, name);
    if(node["properties"])
    {
        for(auto const& p : node["properties"])
        {
            auto const key = p.first.as<std::string>();
            std::vector<json::value const*> found;
            for(auto const* v : instances)
                if(auto const* o = v->if_object())
                    if(auto const* x = o->if_contains(key))
                        found.push_back(x);
            INFO("schema " << name);
            if(found.empty())
                FAIL_CHECK("test body lacks " << path + key);
            else
                check_covers(s, p.second, name, found, path + key + ".");
        }
    }
    else if(node["type"] && node["type"].as<std::string>() == "array")
    {
        std::vector<json::value const*> items;
        for(auto const* v : instances)
            if(auto const* a = v->if_array())
                for(auto const& x : *a)
                    items.push_back(&x);
        if(items.empty())
            FAIL_CHECK("test body has no items in " << path);
        else
            check_covers(s, node["items"], name, items, path);
    }
}

template<class T>
void check_generated(schemas const& s, std::string const& schema_name)
{
    INFO("schema " << schema_name);
    auto const generated = generate(s, s.get(schema_name), schema_name);
    auto const text = json::serialize(generated);
    INFO("generated " << text);
    for(auto const& e : test::openapi::validate(s, schema_name, generated))
        FAIL_CHECK("generated body breaks its schema: " << e);
    auto const decoded = fspiop::decode<T>(text);
    if(!decoded)
        FAIL("decode failed: " << decoded.error().detail());
    // Same members and values (object comparison ignores member order).
    CHECK(json::parse(fspiop::encode(*decoded)) == generated);
}

struct operation
{
    char const* method;
    char const* path;
    std::function<void(schemas const&, std::string const&)> check;
    char const* data_file;
};

template<class T>
std::function<void(schemas const&, std::string const&)> check_of()
{
    return [](schemas const& s, std::string const& name) { check_generated<T>(s, name); };
}

std::vector<operation> const& operations()
{
    static std::vector<operation> const ops = {
        {"put", "/parties/{Type}/{ID}", check_of<fspiop::put_parties>(), "put_parties.json"},
        {"put", "/parties/{Type}/{ID}/{SubId}", check_of<fspiop::put_parties>(), "put_parties.json"},
        {"post", "/participants/{Type}/{ID}", check_of<fspiop::post_participants_type_id>(),
         "post_participants_type_id.json"},
        {"post", "/participants/{Type}/{ID}/{SubId}", check_of<fspiop::post_participants_type_id>(),
         "post_participants_type_id.json"},
        {"put", "/participants/{Type}/{ID}", check_of<fspiop::put_participants_type_id>(),
         "put_participants_type_id.json"},
        {"post", "/participants", check_of<fspiop::post_participants>(), "post_participants.json"},
        {"put", "/participants/{ID}", check_of<fspiop::put_participants>(), "put_participants.json"},
        {"post", "/quotes", check_of<fspiop::post_quotes>(), "post_quotes.json"},
        {"put", "/quotes/{ID}", check_of<fspiop::put_quotes>(), "put_quotes.json"},
        {"post", "/transfers", check_of<fspiop::post_transfers>(), "post_transfers.json"},
        {"put", "/transfers/{ID}", check_of<fspiop::put_transfers>(), "put_transfers.json"},
        {"patch", "/transfers/{ID}", check_of<fspiop::patch_transfers>(), "patch_transfers.json"},
        {"post", "/bulkQuotes", check_of<fspiop::post_bulk_quotes>(), "post_bulk_quotes.json"},
        {"put", "/bulkQuotes/{ID}", check_of<fspiop::put_bulk_quotes>(), "put_bulk_quotes.json"},
        {"post", "/bulkTransfers", check_of<fspiop::post_bulk_transfers>(), "post_bulk_transfers.json"},
        {"put", "/bulkTransfers/{ID}", check_of<fspiop::put_bulk_transfers>(), "put_bulk_transfers.json"},
        {"put", "/transfers/{ID}/error", check_of<fspiop::error_information_object>(), "error_information_object.json"},
        {"put", "/quotes/{ID}/error", check_of<fspiop::error_information_object>(), "error_information_object.json"},
        {"put", "/parties/{Type}/{ID}/error", check_of<fspiop::error_information_object>(),
         "error_information_object.json"},
        {"post", "/transactionRequests", check_of<fspiop::post_transaction_requests>(),
         "post_transaction_requests.json"},
        {"put", "/transactionRequests/{ID}", check_of<fspiop::put_transaction_requests>(),
         "put_transaction_requests.json"},
        {"put", "/transactionRequests/{ID}/error", check_of<fspiop::error_information_object>(),
         "error_information_object.json"},
        {"put", "/authorizations/{ID}", check_of<fspiop::put_authorizations>(), "put_authorizations.json"},
        {"put", "/authorizations/{ID}/error", check_of<fspiop::error_information_object>(),
         "error_information_object.json"},
    };
    return ops;
}

// Random edits of valid strings, for the differential tests against std::regex.
std::vector<std::string> mutations(std::vector<std::string> const& seeds, std::string const& alphabet, int rounds)
{
    std::mt19937 rng(20240601);
    std::vector<std::string> out = seeds;
    for(int i = 0; i < rounds; ++i)
    {
        std::string s = seeds[rng() % seeds.size()];
        int const edits = 1 + static_cast<int>(rng() % 3);
        for(int e = 0; e < edits; ++e)
        {
            char const c = alphabet[rng() % alphabet.size()];
            auto const pos = s.empty() ? 0 : rng() % (s.size() + 1);
            switch(rng() % 4)
            {
            case 0: if(pos < s.size()) s[pos] = c; break;
            case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
            case 2: if(pos < s.size()) s.erase(pos, 1); break;
            default: s = s.substr(0, pos); break;
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

// The schema's rule as a predicate: its pattern (as ECMAScript std::regex) and lengths.
std::function<bool(std::string const&)> schema_rule(schemas const& s, YAML::Node const& schema)
{
    auto const re = std::make_shared<std::wregex>(s.regex(schema["pattern"].as<std::string>()));
    std::size_t const min = schema["minLength"] ? schema["minLength"].as<std::size_t>() : 0;
    std::size_t const max = schema["maxLength"] ? schema["maxLength"].as<std::size_t>() : std::string::npos;
    return [re, min, max](std::string const& x) {
        auto const text = schemas::utf32(x);
        return text && x.size() >= min && x.size() <= max && std::regex_search(*text, *re);
    };
}

void check_agrees(schemas const& s, std::string const& schema_name, std::function<bool(std::string_view)> const& ours,
                  std::vector<std::string> const& seeds, std::string const& alphabet)
{
    auto const theirs = schema_rule(s, s.get(schema_name));
    int matches = 0;
    for(auto const& x : mutations(seeds, alphabet, 3000))
    {
        bool const expected = theirs(x);
        matches += expected;
        if(ours(x) != expected)
            FAIL_CHECK(schema_name << ": \"" << x << "\" schema says " << expected);
    }
    INFO(schema_name);
    CHECK(matches > 0); // the seeds are valid, so the corpus holds accepted values too
}

} // namespace

TEST_CASE("every request body of the v1.1 API decodes to the right type")
{
    auto const s = spec("1.1");
    for(auto const& op : operations())
    {
        INFO(op.method << " " << op.path);
        op.check(s, s.request_schema(op.path, op.method));
    }
    check_generated<fspiop::transaction>(s, "Transaction");
    check_generated<fspiop::party>(s, "Party");
    check_generated<fspiop::party_id_info>(s, "PartyIdInfo");
    check_generated<fspiop::money>(s, "Money");
    check_generated<fspiop::error_information>(s, "ErrorInformation");
}

TEST_CASE("the test bodies in data/ fill every property of their v1.1 schema")
{
    auto const s = spec("1.1");
    for(auto const& op : operations())
    {
        INFO(op.data_file);
        auto const name = s.request_schema(op.path, op.method);
        auto const v = json::parse(read_data(op.data_file));
        check_covers(s, s.get(name), name, {&v}, "");
    }
    auto const t = json::parse(read_data("transaction.json"));
    check_covers(s, s.get("Transaction"), "Transaction", {&t}, "");
}

TEST_CASE("validators agree with the v1.1 schema patterns")
{
    auto const s = spec("1.1");
    std::string const digits = "0123456789";
    check_agrees(s, "Amount", fspiop::is_amount, {"5", "0.5", "123.4567", "0", "123456789012345678.1"}, digits + ".-+e ");
    check_agrees(s, "DateTime", fspiop::is_datetime,
                 {"2016-05-24T08:38:08.699Z", "2016-05-24T08:38:08.699-04:00", "2024-02-29T23:59:59.999+19:30",
                  "2000-12-31T00:00:00.000Z"},
                 digits + "-:.TZ+ ");
    check_agrees(s, "Date", fspiop::is_date, {"1966-06-16", "2000-02-29", "1904-02-29", "2100-12-31"}, digits + "-");
    check_agrees(s, "DateOfBirth", fspiop::is_date, {"1966-06-16", "2000-02-29"}, digits + "-");
    check_agrees(
        s, "CorrelationId", [](std::string_view x) { return fspiop::is_correlation_id(x, 1, true); },
        {"b51ec534-ee48-4575-b6a9-ead2955b8069", "b51ec534-ee48-1575-86a9-ead2955b8069"}, "0123456789abcdefABF-g");
    check_agrees(s, "ErrorCode", fspiop::is_error_code, {"5100", "3101", "1000"}, digits + "a");
    check_agrees(s, "MerchantClassificationCode", fspiop::is_merchant_classification_code, {"1", "4321"}, digits + "x");
    check_agrees(s, "TransactionSubScenario", fspiop::is_transaction_sub_scenario, {"SOCIAL_CASH_TRANSFER", "LOCALLY_DEFINED_SUBSCENARIO"},
                 "ABCZ_a-");
    check_agrees(s, "BalanceOfPayments", fspiop::is_balance_of_payments, {"123", "999"}, digits);
    check_agrees(s, "Latitude", fspiop::is_latitude, {"+45.4215", "-90", "90.000000", "0", "89.999999"},
                 digits + "+-.");
    check_agrees(s, "Longitude", fspiop::is_longitude, {"+75.6972", "-180", "180.000000", "179.999999", "99.1"},
                 digits + "+-.");
    check_agrees(s, "IlpPacket", fspiop::is_ilp_packet, {"AYIBgQAAAAAAAASwNGxl", "AQ==", "a-_b="}, "Aa09-_=+/ ");
    check_agrees(s, "IlpCondition", fspiop::is_ilp_condition, {"Zmh6rfhivXdsj8GLjp-OIAiXFIVu4jOzkCpZHQ1fKSU"},
                 "Aa09-_=+/");
    check_agrees(s, "IlpFulfilment", fspiop::is_ilp_fulfilment, {"WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8"},
                 "Aa09-_=+/");
    check_agrees(s, "Integer", fspiop::is_integer, {"1", "42"}, digits + "-");
    check_agrees(s, "OtpValue", fspiop::is_otp_value, {"123", "1234567890"}, digits + "a");
    check_agrees(s, "AuthenticationValue", fspiop::is_authentication_value, {"123", "1234567890", "qr-Token_1"},
                 digits + "aZ- \t");
    check_agrees(s, "TokenCode", fspiop::is_token_code, {"Test", "abc123XYZ"}, "aZ09-_ ");
}

TEST_CASE("CorrelationId follows the v2.0 schema pattern for API major 2")
{
    auto const s = spec("2.0");
    check_agrees(
        s, "CorrelationId", [](std::string_view x) { return fspiop::is_correlation_id(x, 2); },
        {"b51ec534-ee48-4575-b6a9-ead2955b8069", "01890a5d-ac96-774b-bcce-b302099a8057", "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
        "0123456789abcdefABFIJLOUZ-");
}

TEST_CASE("reference copies are unmodified: each file's SHA-256 is the one spec/SOURCES.md records")
{
    // The API definitions are CC BY-ND 4.0: the copies in spec/ must stay byte-identical.
    std::string const sources = read_file(reference_path("SOURCES.md"));
    for(char const* file : {"fspiop-rest-v1.1-openapi3-snippets.yaml", "fspiop-rest-v2.0-openapi3-snippets.yaml"})
    {
        std::string hex;
        for(unsigned char c : fspiop::sha256(read_file(reference_path(file))))
        {
            constexpr char digits[] = "0123456789abcdef";
            hex += digits[c >> 4];
            hex += digits[c & 15];
        }
        INFO(file << " sha256 " << hex);
        auto const row = sources.find(std::string("`") + file + "`");
        REQUIRE(row != std::string::npos);
        auto const eol = sources.find('\n', row);
        CHECK(sources.substr(row, eol - row).find(hex) != std::string::npos);
    }
}
