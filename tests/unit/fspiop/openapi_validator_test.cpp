// The OpenAPI schema validator of tests/support/openapi_schema.hpp on small hand-made schemas
// (a valid body passes, each kind of violation is reported with its JSON path), then on the
// v1.1 file: every schema's own example is valid, and a few known-bad bodies are not.

// g++ 12's false -Wmaybe-uninitialized inside std::regex (see openapi_test.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "support.hpp"
#include "tests/support/openapi_schema.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace json = boost::json;
namespace openapi = mojasim::test::openapi;
using mojasim::fspiop::test::reference_path;

namespace {

auto const hand_made = openapi::schemas::parse(R"(
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Thing'
  /things/{ID}:
    get: {}
  /things/{ID}/error:
    put:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Id'
  /things/{ID}/{Sub}:
    put: {}
components:
  schemas:
    Id:
      type: string
      pattern: ^[0-9a-f]{4}$
    Code:
      type: string
      enum: [RED, GREEN]
    Token:
      type: string
      pattern: ^[A-Za-z0-9-_]+$
    Name:
      type: string
      minLength: 2
      maxLength: 4
    Tagged:
      allOf:
        - $ref: '#/components/schemas/Name'
        - pattern: ^x
    Either:
      anyOf:
        - $ref: '#/components/schemas/Id'
        - $ref: '#/components/schemas/Code'
    Item:
      type: object
      properties:
        id: { $ref: '#/components/schemas/Id' }
        count: { type: integer }
        ratio: { type: number }
        on: { type: boolean }
      required: [id]
    Thing:
      type: object
      properties:
        id: { $ref: '#/components/schemas/Id' }
        code: { $ref: '#/components/schemas/Code' }
        name: { $ref: '#/components/schemas/Name' }
        token: { $ref: '#/components/schemas/Token' }
        tagged: { $ref: '#/components/schemas/Tagged' }
        either: { $ref: '#/components/schemas/Either' }
        items:
          type: array
          minItems: 1
          maxItems: 2
          items: { $ref: '#/components/schemas/Item' }
        closed:
          type: object
          properties:
            a: { type: string }
          additionalProperties: false
        map:
          type: object
          additionalProperties: { type: integer }
      required: [id, items]
)");

json::value thing()
{
    return json::parse(R"({"id":"00af","code":"RED","name":"Ana","token":"a-b_c","tagged":"xyz","either":"GREEN",
                           "items":[{"id":"1234","count":3,"ratio":0.5,"on":true},{"id":"abcd","count":4.0}],
                           "closed":{"a":"b"},"map":{"x":1,"y":2}})");
}

std::vector<std::string> errors_of(json::value const& v, openapi::options opts = {})
{
    return openapi::validate(hand_made, "Thing", v, opts);
}

// The body with one edit, which must give exactly the expected error.
void check_violation(std::string const& pointer, json::value replacement, std::string const& expected)
{
    auto v = thing();
    // The parent of the pointer's last token: remove that member (null) or set it.
    auto const slash = pointer.rfind('/');
    auto& parent = slash == 0 ? v : v.at_pointer(pointer.substr(0, slash));
    auto const token = pointer.substr(slash + 1);
    if(parent.is_array())
        parent.as_array().at(std::stoul(token)) = std::move(replacement);
    else if(replacement.is_null())
        parent.as_object().erase(token);
    else
        parent.as_object()[token] = std::move(replacement);
    auto const errors = errors_of(v);
    INFO(pointer << " -> " << json::serialize(v));
    REQUIRE(errors.size() == 1);
    CHECK(errors.front() == expected);
}

} // namespace

TEST_CASE("openapi validator: a valid body passes")
{
    auto const errors = errors_of(thing());
    INFO((errors.empty() ? std::string{} : errors.front()));
    CHECK(errors.empty());
}

TEST_CASE("openapi validator: each kind of violation is reported at its JSON path")
{
    check_violation("/id", nullptr, "$: required property 'id' is missing");
    check_violation("/items/1/id", nullptr, "$.items[1]: required property 'id' is missing");
    check_violation("/id", "00AF", R"($.id: "00AF" does not match pattern ^[0-9a-f]{4}$ (Id))");
    check_violation("/items/0/id", "12345", R"($.items[0].id: "12345" does not match pattern ^[0-9a-f]{4}$ (Id))");
    check_violation("/token", "a+b", R"($.token: "a+b" does not match pattern ^[A-Za-z0-9-_]+$ (Token))");
    check_violation("/code", "BLUE", R"($.code: "BLUE" is not one of the enum values)");
    check_violation("/name", "A", R"($.name: "A" is shorter than minLength 2)");
    check_violation("/name", "Anna-Lena", R"($.name: "Anna-Lena" is longer than maxLength 4)");
    check_violation("/tagged", "abc", R"($.tagged: "abc" does not match pattern ^x)");
    check_violation("/tagged", "x", R"($.tagged: "x" is shorter than minLength 2)");
    check_violation("/either", "PINK",
                    R"($.either: matches none of anyOf (first: $.either: "PINK" does not match pattern ^[0-9a-f]{4}$ (Id)))");
    check_violation("/items/0/count", 1.5, "$.items[0].count: expected integer, found number 1.5E0");
    check_violation("/items/0/count", "3", R"($.items[0].count: expected integer, found string "3")");
    check_violation("/items/0/ratio", "0.5", R"($.items[0].ratio: expected number, found string "0.5")");
    check_violation("/items/0/on", 1, "$.items[0].on: expected boolean, found number 1");
    check_violation("/id", 12, "$.id: expected string, found number 12");
    check_violation("/items", json::array{}, "$.items: 0 items, fewer than minItems 1");
    check_violation("/items", json::parse(R"([{"id":"0000"},{"id":"0001"},{"id":"0002"}])"),
                    "$.items: 3 items, more than maxItems 2");
    check_violation("/items", json::object{}, "$.items: expected array, found object {}");
    check_violation("/closed/b", "c", "$.closed.b: property not allowed (additionalProperties: false)");
    check_violation("/map/z", "3", R"($.map.z: expected integer, found string "3")");
}

TEST_CASE("openapi validator: anyOf names the failing value's path, unknown properties are refused on request")
{
    // anyOf reports at the value's path (the first branch's error says why).
    auto v = thing();
    v.as_object()["either"] = "PINK";
    auto const errors = errors_of(v);
    REQUIRE(errors.size() == 1);
    CHECK(errors.front().starts_with("$.either: matches none of anyOf"));

    // Properties the schema does not name are allowed, unless asked otherwise.
    auto w = thing();
    w.as_object()["colour"] = "red";
    w.at_pointer("/items/0").as_object()["extra"] = 1;
    CHECK(errors_of(w).empty());
    auto const strict = errors_of(w, {.forbid_unknown_properties = true});
    REQUIRE(strict.size() == 2);
    CHECK(strict[0] == "$.items[0].extra: property not in the schema Item");
    CHECK(strict[1] == "$.colour: property not in the schema Thing");
}

TEST_CASE("openapi validator: several violations are all reported")
{
    auto const v = json::parse(R"({"id":"zz","items":[{"count":"x"}],"closed":{"a":1}})");
    auto const errors = errors_of(v);
    CHECK(errors.size() == 4);
    CHECK(errors == std::vector<std::string>{R"($.id: "zz" does not match pattern ^[0-9a-f]{4}$ (Id))",
                                             "$.items[0]: required property 'id' is missing",
                                             R"($.items[0].count: expected integer, found string "x")",
                                             "$.closed.a: expected string, found number 1"});
}

TEST_CASE("openapi validator: request bodies and path templates of operations")
{
    CHECK(hand_made.path_template("/things") == "/things");
    CHECK(hand_made.path_template("/things/00af") == "/things/{ID}");
    CHECK(hand_made.path_template("/things/00af?x=1") == "/things/{ID}");
    CHECK(hand_made.path_template("/things/00af/error") == "/things/{ID}/error");
    CHECK(hand_made.path_template("/things/00af/other") == "/things/{ID}/{Sub}");
    CHECK(hand_made.path_template("/things//error").empty());
    CHECK(hand_made.path_template("/nothing").empty());
    CHECK(hand_made.request_schema("/things", "post") == "Thing");
    CHECK(hand_made.request_body("/things/{ID}", "get").IsNull());
    CHECK_THROWS(hand_made.request_body("/things", "delete"));
}

TEST_CASE("openapi validator on the v1.1 file: every example is valid, known-bad bodies are not")
{
    auto const s = openapi::schemas::load(reference_path("fspiop-rest-v1.1-openapi3-snippets.yaml"));
    int examples = 0;
    for(auto const& entry : s.root()["components"]["schemas"])
    {
        if(!entry.second["example"])
            continue;
        auto const name = entry.first.as<std::string>();
        // The file's own slip: Code's example "Test-Code" breaks its pattern ^[0-9a-zA-Z]{4,32}$.
        if(name == "Code")
        {
            CHECK_FALSE(openapi::validate(s, name, json::string("Test-Code")).empty());
            continue;
        }
        json::value const example = json::string(entry.second["example"].as<std::string>());
        auto const errors = openapi::validate(s, name, example);
        INFO(name << ": " << (errors.empty() ? std::string{} : errors.front()));
        CHECK(errors.empty());
        ++examples;
    }
    CHECK(examples == 27);

    auto const good = json::parse(R"({"errorInformation":{"errorCode":"5101","errorDescription":"Payee rejected"}})");
    CHECK(openapi::validate(s, "ErrorInformationObject", good).empty());
    auto const bad = json::parse(R"({"errorInformation":{"errorCode":"51","errorDescription":""}})");
    auto const errors = openapi::validate(s, "ErrorInformationObject", bad);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0] == R"($.errorInformation.errorCode: "51" does not match pattern ^[1-9]\d{3}$ (ErrorCode))");
    CHECK(errors[1] == R"($.errorInformation.errorDescription: "" is shorter than minLength 1)");
    auto const money = json::parse(R"({"currency":"USD","amount":"10.50"})");
    CHECK(openapi::validate(s, "Money", money).size() == 1); // no trailing zeroes

    // The name patterns' Unicode classes: letters of any script, marks, digits, but not '@'.
    for(char const* ok : {"Amina", "Zo\u00eb", "\u0391\u03b8\u03b7\u03bd\u03ac", "O'Brien-Smith Jr.", "Ng\u0169g\u0129"})
        CHECK(openapi::validate(s, "FirstName", json::parse(std::string("\"") + ok + "\"")).empty());
    for(char const* wrong : {"   ", "a@b", "x\ty", ""})
        CHECK_FALSE(openapi::validate(s, "FirstName", json::string(wrong)).empty());
    CHECK(openapi::validate(s, "FirstName", json::string(std::string(129, 'a'))).size() == 2);
}
