#include "simulator/fspiop/jws.hpp"

#include "jws_spec_example.hpp"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace jws = mojasim::fspiop::jws;

namespace {

// RSA-2048 key generation takes tens of milliseconds: once per binary.
jws::key const& test_key()
{
    static jws::key const k = jws::generate_rsa();
    return k;
}

jws::key const& other_key()
{
    static jws::key const k = jws::generate_rsa();
    return k;
}

std::string const body = R"({"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069","amount":{"amount":"10","currency":"USD"}})";

jws::message_fields const fields{"/transfers", "POST", "payerfsp", "payeefsp"};

std::string member(std::string const& header, char const* name)
{
    return std::string(boost::json::parse(header).as_object().at(name).as_string());
}

} // namespace

TEST_CASE("jws: base64url without padding", "[jws]")
{
    CHECK(jws::base64url_encode("") == "");
    CHECK(jws::base64url_encode("f") == "Zg");
    CHECK(jws::base64url_encode("fo") == "Zm8");
    CHECK(jws::base64url_encode("foo") == "Zm9v");
    CHECK(jws::base64url_encode("\xfb\xff\xfe") == "-__-");
    CHECK(jws::base64url_decode("Zm9vYg") == std::optional<std::string>("foob"));
    CHECK(jws::base64url_decode("-__-") == std::optional<std::string>("\xfb\xff\xfe"));
    CHECK_FALSE(jws::base64url_decode("Zm9vYg=="));  // padding
    CHECK_FALSE(jws::base64url_decode("+//+"));      // base64, not base64url
    CHECK_FALSE(jws::base64url_decode("Zm9vY"));     // 4n+1 characters
    CHECK_FALSE(jws::base64url_decode("Zh"));        // non-zero unused bits
}

TEST_CASE("jws: FSPIOP-URI from a URL or request target", "[jws]")
{
    CHECK(jws::uri_of("http://127.0.0.1:4000/transfers/abc") == "/transfers/abc");
    CHECK(jws::uri_of("http://h:1/base/path/parties/MSISDN/123?currency=USD") == "/parties/MSISDN/123?currency=USD");
    CHECK(jws::uri_of("/quotes/1/error") == "/quotes/1/error");
    CHECK(jws::uri_of("http://h:1") == "/");
    CHECK(jws::uri_of("/other/thing") == "/other/thing");
}

TEST_CASE("jws: the specification's example signs to its published value", "[jws]")
{
    auto const k = jws::load_pem(spec_example::private_key_pem);
    REQUIRE(k);
    CHECK(k->is_private());
    CHECK(k->bits() == 2048);
    auto const header = jws::base64url_decode(spec_example::protected_b64);
    auto const payload = jws::base64url_decode(spec_example::payload_b64);
    REQUIRE(header);
    REQUIRE(payload);
    auto const signed_value = jws::sign_protected(*k, *header, *payload);
    CHECK(member(signed_value, "protectedHeader") == spec_example::protected_b64);
    CHECK(member(signed_value, "signature") == spec_example::signature_b64);

    // And it validates as the specification's §4.2 does, with the public half alone.
    auto const pub = jws::load_pem(k->public_pem());
    REQUIRE(pub);
    CHECK_FALSE(pub->is_private());
    jws::message_fields const f{"/quotes", "POST", "1234", "5678"};
    auto const ok = jws::verify(*pub, signed_value, f, *payload, std::string_view("Tue, 23 May 2017 21:12:31 GMT"));
    CHECK(ok);
    auto const other_date = jws::verify(*pub, signed_value, f, *payload, std::string_view("Wed, 24 May 2017 21:12:31 GMT"));
    CHECK_FALSE(other_date);
}

TEST_CASE("jws: the protected header holds alg, URI, method, source and a known destination", "[jws]")
{
    CHECK(jws::protected_header_json(fields) ==
          R"({"alg":"RS256","FSPIOP-URI":"/transfers","FSPIOP-HTTP-Method":"POST","FSPIOP-Source":"payerfsp","FSPIOP-Destination":"payeefsp"})");
    CHECK(jws::protected_header_json({"/parties/MSISDN/1", "PUT", "Hub", ""}) ==
          R"({"alg":"RS256","FSPIOP-URI":"/parties/MSISDN/1","FSPIOP-HTTP-Method":"PUT","FSPIOP-Source":"Hub"})");
    auto const value = jws::sign(test_key(), fields, body);
    auto const decoded = jws::base64url_decode(member(value, "protectedHeader"));
    REQUIRE(decoded);
    CHECK(*decoded == jws::protected_header_json(fields));
}

TEST_CASE("jws: a signature verifies, and every change is refused", "[jws]")
{
    auto const pub = test_key().public_key();
    REQUIRE(pub);
    auto const value = jws::sign(test_key(), fields, body);
    CHECK(jws::verify(pub, value, fields, body));

    SECTION("tampered body")
    {
        auto tampered = body;
        tampered[tampered.find("10")] = '9';
        auto const r = jws::verify(pub, value, fields, tampered);
        REQUIRE_FALSE(r);
        CHECK(r.error().find("does not verify") != std::string::npos);
    }
    SECTION("wrong key")
    {
        auto const r = jws::verify(other_key().public_key(), value, fields, body);
        CHECK_FALSE(r);
    }
    SECTION("spoofed source, other URI, other method, other destination")
    {
        auto f = fields;
        f.source = "mallory";
        auto r = jws::verify(pub, value, f, body);
        REQUIRE_FALSE(r);
        CHECK(r.error().find("FSPIOP-Source") != std::string::npos);
        f = fields;
        f.uri = "/transfers/1";
        CHECK_FALSE(jws::verify(pub, value, f, body));
        f = fields;
        f.method = "PUT";
        CHECK_FALSE(jws::verify(pub, value, f, body));
        f = fields;
        f.destination = "otherfsp";
        CHECK_FALSE(jws::verify(pub, value, f, body));
        f.destination = "";
        CHECK_FALSE(jws::verify(pub, value, f, body));  // protected but absent from the request
    }
    SECTION("a destination the signer did not know may be added on the way")
    {
        auto f = fields;
        f.destination = "";
        auto const unsigned_destination = jws::sign(test_key(), f, body);
        CHECK(jws::verify(pub, unsigned_destination, fields, body));
    }
    SECTION("malformed values")
    {
        CHECK_FALSE(jws::verify(pub, "", fields, body));
        CHECK_FALSE(jws::verify(pub, "not json", fields, body));
        CHECK_FALSE(jws::verify(pub, R"({"signature":"abc"})", fields, body));
        CHECK_FALSE(jws::verify(pub, R"({"signature":"abc","protectedHeader":"%%%"})", fields, body));
        auto const sig = member(value, "signature");
        auto const no_object = R"({"signature":")" + sig + R"(","protectedHeader":")" +
                               jws::base64url_encode("[1]") + R"("})";
        CHECK_FALSE(jws::verify(pub, no_object, fields, body));
    }
    SECTION("alg none or HS256 is refused")
    {
        for(auto const* alg : {"none", "HS256", "ES256"})
        {
            auto const header = std::string(R"({"alg":")") + alg +
                                R"(","FSPIOP-URI":"/transfers","FSPIOP-HTTP-Method":"POST","FSPIOP-Source":"payerfsp"})";
            auto const forged = jws::sign_protected(test_key(), header, body);
            auto const r = jws::verify(pub, forged, fields, body);
            REQUIRE_FALSE(r);
            CHECK(r.error().find("alg") != std::string::npos);
        }
    }
    SECTION("a protected header without FSPIOP-URI is refused")
    {
        auto const forged = jws::sign_protected(
            test_key(), R"({"alg":"RS256","FSPIOP-HTTP-Method":"POST","FSPIOP-Source":"payerfsp"})", body);
        auto const r = jws::verify(pub, forged, fields, body);
        REQUIRE_FALSE(r);
        CHECK(r.error().find("FSPIOP-URI") != std::string::npos);
    }
}

TEST_CASE("jws: PEM round trips and refusals", "[jws]")
{
    auto const priv = jws::load_pem(test_key().private_pem());
    REQUIRE(priv);
    CHECK(priv->is_private());
    auto const pub = jws::load_pem(test_key().public_pem());
    REQUIRE(pub);
    CHECK_FALSE(pub->is_private());
    CHECK(pub->public_pem() == test_key().public_pem());
    CHECK(pub->private_pem().empty());
    // What one signs the other verifies.
    CHECK(jws::verify(*pub, jws::sign(*priv, fields, body), fields, body));
    CHECK_THROWS_AS(jws::sign(*pub, fields, body), std::invalid_argument);

    CHECK_FALSE(jws::load_pem(""));
    CHECK_FALSE(jws::load_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
    auto const small = jws::load_pem(jws::generate_rsa(1024).public_pem());
    REQUIRE_FALSE(small);
    CHECK(small.error().find("2048") != std::string::npos);
    CHECK_FALSE(jws::load_pem_file("/nonexistent/key.pem"));
}

TEST_CASE("jws: an unverifiable value has the real protected header and verifies under no key", "[jws]")
{
    auto const value = jws::unverifiable(fields);
    // The shape a real one has: the same protected header as a signed value, a signature as
    // long as an RSA-2048 one.
    auto const real = jws::sign(test_key(), fields, body);
    CHECK(member(value, "protectedHeader") == member(real, "protectedHeader"));
    auto const signature = jws::base64url_decode(member(value, "signature"));
    REQUIRE(signature);
    CHECK(signature->size() == 256);
    // It gets as far as the signature check, and fails there, under any key.
    for(auto const* k : {&test_key(), &other_key()})
    {
        auto const r = jws::verify(k->public_key(), value, fields, body);
        REQUIRE_FALSE(r);
        CHECK(r.error().find("does not verify") != std::string::npos);
    }
}
