// The text encoder (encode) against the DOM path it replaced (dom_reference.hpp):
// byte for byte over a corpus of values of every encoded type, with every optional present
// or absent, empty lists and strings that need escapes; and decode(encode(x)) == x for the
// values the decoders accept.
#include "dom_reference.hpp"

#include "simulator/connector/codec.hpp"

#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace mojasim;
using namespace mojasim::connector;

namespace {

using namespace std::string_literals;

/// Strings that exercise the escaper: quotes, backslash, every kind of control character
/// (with an embedded NUL), DEL, UTF-8, a raw U+2028, and long runs with escapes past the
/// eight-byte steps of the scanner.
std::vector<std::string> const tricky_strings{
    "plain",
    "quote \" backslash \\ slash / end",
    "\0\x01\x07\b\t\n\x0b\f\r\x0e\x1f\x7f"s,
    "Zo\xc3\xab \xc3\x91" "and\xc3\xba \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87",
    "line\xe2\x80\xa8separator </script>",
    std::string(37, 'a') + "\"" + std::string(20, 'b') + "\n" + "tail\\",
    "\"",
    "x\x1f",
};

/// Not valid in a body the decoders accept: empty, all blank, bad UTF-8, over-long.
std::vector<std::string> const unusual_strings{
    "", " \t ", "bad utf-8 \xff\xfe\xc3", std::string(300, 'z') + "\x01",
};

/// Draws values for a corpus. In `valid` mode every value is one the decoders accept, so
/// it must round-trip; otherwise anything the types can hold.
class generator
{
public:
    generator(std::uint32_t seed, bool valid) : rng_(seed), valid_(valid) {}

    bool coin() { return (rng_() & 1U) != 0; }

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

    template<class E, std::size_t N>
    E pick_enum()
    {
        return static_cast<E>(below(N));
    }

    /// Any text; in valid mode 1 to 128 code points and not blank.
    std::string text()
    {
        if(!valid_ && below(4) == 0)
            return unusual_strings[below(unusual_strings.size())];
        return tricky_strings[below(tricky_strings.size())];
    }

    /// Text for a field of at most 32 code points (fspId).
    std::string short_text()
    {
        auto s = text();
        if(valid_ && s.size() > 32)
            s.resize(32);
        return s;
    }

    std::optional<std::string> maybe_text()
    {
        if(coin())
            return std::nullopt;
        return text();
    }

    /// A value that a strict check would want in a shape (a date, a code); arbitrary text
    /// when not valid.
    std::optional<std::string> maybe_shaped(std::string shaped)
    {
        if(coin())
            return std::nullopt;
        if(valid_ || coin())
            return shaped;
        return text();
    }

    std::string currency()
    {
        static std::array<std::string, 3> const valid{"USD", "EUR", "JPY"};
        if(!valid_ && below(4) == 0)
            return text();
        return valid[below(valid.size())];
    }

    core::decimal amount()
    {
        static std::array<std::int64_t, 7> const valid{0, 1, 5000, 500'000, 123'456'789, 10'000'000, 999'999'999'999'999'999};
        static std::array<std::int64_t, 3> const other{-25'000, -1, std::numeric_limits<std::int64_t>::max()};
        if(!valid_ && coin())
            return core::decimal::from_units(other[below(other.size())]);
        return core::decimal::from_units(valid[below(valid.size())]);
    }

    std::optional<std::int32_t> maybe_int()
    {
        static std::array<std::int32_t, 4> const valid{1, 30, 60, std::numeric_limits<std::int32_t>::max()};
        static std::array<std::int32_t, 3> const other{std::numeric_limits<std::int32_t>::min(), -1, 0};
        if(coin())
            return std::nullopt;
        if(!valid_ && coin())
            return other[below(other.size())];
        return valid[below(valid.size())];
    }

    std::optional<bool> maybe_bool()
    {
        if(coin())
            return std::nullopt;
        return coin();
    }

    /// Zero to three extensions.
    extension_list extensions()
    {
        extension_list list;
        auto const n = below(4);
        for(std::size_t i = 0; i < n; ++i)
            list.push_back({text(), text()});
        return list;
    }

    std::optional<extension_list> maybe_extensions()
    {
        if(coin())
            return std::nullopt;
        return extensions();
    }

    /// ExtensionList_v2_1_0 needs at least one item in a strict reading; responses are
    /// read leniently, so an empty one is valid there too.
    std::optional<extension_list> maybe_extension_object() { return maybe_extensions(); }

    std::optional<std::vector<std::string>> maybe_currencies()
    {
        if(coin())
            return std::nullopt;
        std::vector<std::string> v;
        auto const n = below(3);
        for(std::size_t i = 0; i < n; ++i)
            v.push_back(currency());
        return v;
    }

    /// Header fields; names are unique in valid mode (a JSON object holds one of each),
    /// and repeat otherwise.
    header_list headers()
    {
        static std::array<std::string, 5> const names{"content-type", "fspiop-source", "date", "x-\"odd\"\\name", "\x01"};
        header_list h;
        auto const n = below(5);
        for(std::size_t i = 0; i < n; ++i)
        {
            auto const& name = names[valid_ ? i : below(names.size())];
            h.emplace_back(name, text());
        }
        return h;
    }

    transfer_party party()
    {
        transfer_party p;
        if(coin())
            p.type = pick_enum<initiator_type, 4>();
        p.id_type = pick_enum<party_id_type, 8>();
        p.id_value = text();
        p.id_sub_value = maybe_text();
        p.display_name = maybe_text();
        p.first_name = maybe_text();
        p.middle_name = maybe_text();
        p.last_name = maybe_text();
        p.date_of_birth = maybe_shaped("1980-01-31");
        p.merchant_classification_code = maybe_shaped("4321");
        if(coin())
            p.fsp_id = short_text();
        p.supported_currencies = maybe_currencies();
        p.kyc_information = maybe_text();
        p.extension_list = maybe_extensions();
        return p;
    }

    error_information error_info()
    {
        error_information e;
        e.error_code = valid_ || coin() ? "5101" : text();
        e.error_description = text();
        e.extension_list = maybe_extension_object();
        return e;
    }

    money some_money() { return money{currency(), amount()}; }

    std::optional<money> maybe_money()
    {
        if(coin())
            return std::nullopt;
        return some_money();
    }

    transfer_request request()
    {
        transfer_request r;
        r.home_transaction_id = text();
        r.from = party();
        r.to = party();
        r.amount_type = pick_enum<amount_type, 2>();
        r.currency = currency();
        r.amount = amount();
        if(!valid_ && coin())
            r.transaction_type = text();
        r.sub_scenario = maybe_shaped("LOCALLY_DEFINED");
        r.note = maybe_text();
        r.quote_request_extensions = maybe_extensions();
        r.transfer_request_extensions = maybe_extensions();
        r.skip_party_lookup = maybe_bool();
        r.prepare_expiry_seconds = maybe_int();
        r.fx_prepare_expiry_seconds = maybe_int();
        r.quote_expiry_seconds = maybe_int();
        r.fx_quote_expiry_seconds = maybe_int();
        return r;
    }

    parties_response parties()
    {
        parties_response g;
        // A valid body has a party, an errorInformation or both.
        auto const shape = below(valid_ ? 3 : 4);
        if(shape == 0 || shape == 2)
        {
            connector::party p;
            p.party_id_info.party_id_type = pick_enum<party_id_type, 8>();
            p.party_id_info.party_identifier = text();
            p.party_id_info.party_sub_id_or_type = maybe_text();
            p.party_id_info.fsp_id = maybe_text();
            p.party_id_info.extension_list = maybe_extension_object();
            p.merchant_classification_code = maybe_text();
            p.name = maybe_text();
            if(coin())
            {
                party_personal_info pi;
                if(coin())
                    pi.complex_name = party_complex_name{maybe_text(), maybe_text(), maybe_text()};
                pi.date_of_birth = maybe_text();
                pi.kyc_information = maybe_text();
                p.personal_info = std::move(pi);
            }
            p.supported_currencies = maybe_currencies();
            g.party = std::move(p);
        }
        if(shape == 1 || shape == 2)
            g.error_information = error_info();
        g.headers = headers();
        return g;
    }

    quote_response quote()
    {
        quote_response q;
        q.body.transfer_amount = some_money();
        q.body.payee_receive_amount = maybe_money();
        q.body.payee_fsp_fee = maybe_money();
        q.body.payee_fsp_commission = maybe_money();
        q.body.expiration = text();
        if(coin())
            q.body.geo_code = geo_code{text(), text()};
        q.body.ilp_packet = text();
        q.body.condition = text();
        q.body.extension_list = maybe_extension_object();
        q.headers = headers();
        return q;
    }

    fulfil_response fulfil()
    {
        fulfil_response f;
        f.body.fulfilment = maybe_text();
        f.body.completed_timestamp = maybe_text();
        f.body.transfer_state = pick_enum<transfer_state, 4>();
        f.body.extension_list = maybe_extension_object();
        f.headers = headers();
        return f;
    }

    transfer_response response()
    {
        transfer_response r;
        r.transfer_id = maybe_text();
        r.home_transaction_id = text();
        r.from = party();
        r.to = party();
        r.amount_type = pick_enum<amount_type, 2>();
        r.currency = currency();
        r.amount = amount();
        if(!valid_ && coin())
            r.transaction_type = text();
        r.sub_scenario = maybe_text();
        r.note = maybe_text();
        if(coin())
            r.current_state = pick_enum<transfer_status, 5>();
        r.quote_id = maybe_text();
        if(coin())
            r.get_parties_response = parties();
        if(coin())
            r.quote_response = quote();
        r.quote_response_source = maybe_text();
        if(coin())
            r.fulfil = fulfil();
        if(coin())
        {
            transfer_error e;
            e.http_status_code = maybe_int();
            if(coin())
            {
                mojaloop_error m;
                if(coin())
                    m.error_information = error_info();
                e.mojaloop_error = std::move(m);
            }
            r.last_error = std::move(e);
        }
        r.skip_party_lookup = maybe_bool();
        return r;
    }

    error_response error() { return error_response{maybe_text(), maybe_text()}; }

    transfer_error_response error_with_state()
    {
        transfer_error_response e;
        e.status_code = maybe_text();
        e.message = maybe_text();
        if(coin())
            e.transfer_state = response();
        return e;
    }

    transfer_status_response status()
    {
        transfer_status_response s;
        s.transfer_id = text();
        s.current_state = pick_enum<transfer_status, 5>();
        s.fulfil = fulfil();
        return s;
    }

private:
    std::mt19937 rng_;
    bool valid_;
};

constexpr int corpus_size = 400;

using connector::test::dom_text;

/// For each seed, a value from `make` encoded both ways must give the same bytes.
template<class Make>
void check_same_text(bool valid, Make make)
{
    for(std::uint32_t seed = 1; seed <= corpus_size; ++seed)
    {
        generator g(seed, valid);
        auto const v = make(g);
        INFO("seed " << seed << (valid ? " (valid)" : " (any)"));
        REQUIRE(encode(v) == dom_text(v));
    }
}

template<class Make>
void check_same_text_both(Make make)
{
    check_same_text(false, make);
    check_same_text(true, make);
}

/// For each seed, a valid value must decode from its encoding to itself.
template<class Make, class Decode>
void check_round_trip(Make make, Decode decode)
{
    for(std::uint32_t seed = 1; seed <= corpus_size; ++seed)
    {
        generator g(seed, true);
        auto const v = make(g);
        auto const text = encode(v);
        INFO("seed " << seed << ": " << text);
        auto const back = decode(std::string_view(text));
        REQUIRE(back);
        REQUIRE(*back == v);
    }
}

transfer_party full_party()
{
    transfer_party p;
    p.type = initiator_type::business;
    p.id_type = party_id_type::iban;
    p.id_value = "DE89\"3704\\0044\n0532013000";
    p.id_sub_value = "sub";
    p.display_name = "D\xc3\xa9j\xc3\xa0 Vu";
    p.first_name = "First";
    p.middle_name = "Middle";
    p.last_name = "Last";
    p.date_of_birth = "1980-01-31";
    p.merchant_classification_code = "4321";
    p.fsp_id = "dfsp\t1";
    p.supported_currencies = std::vector<std::string>{"USD", "EUR"};
    p.kyc_information = "{\"kyc\":true}";
    p.extension_list = extension_list{{"k", "v"}, {"\x02", "\x7f"}};
    return p;
}

error_information full_error()
{
    return error_information{"5101", "Payee \"limit\"\r\n", extension_list{{"reason", "limit"}}};
}

/// A transfer response with every optional present (and empty lists where there are lists).
transfer_response full_response()
{
    transfer_response r;
    r.transfer_id = "b51ec534-ee48-4575-b6a9-ead2955b8069";
    r.home_transaction_id = "9a2e6c1e";
    r.from = full_party();
    r.to = full_party();
    r.to.extension_list = extension_list{};
    r.to.supported_currencies = std::vector<std::string>{};
    r.amount_type = amount_type::receive;
    r.currency = "USD";
    r.amount = core::decimal::from_units(505'000);
    r.sub_scenario = "LOCALLY_DEFINED";
    r.note = "note \\ \"quoted\"";
    r.current_state = transfer_status::completed;
    r.quote_id = "7c23e80c";
    party p;
    p.party_id_info = party_id_info{party_id_type::msisdn, "0495822412", "sub", "dfsp2", extension_list{}};
    p.merchant_classification_code = "1234";
    p.name = "Ana Silva";
    p.personal_info = party_personal_info{party_complex_name{"Ana", "M", "Silva"}, "1980-01-01", "kyc"};
    p.supported_currencies = std::vector<std::string>{"USD"};
    r.get_parties_response = parties_response{p, full_error(), header_list{{"fspiop-source", "dfsp2"}, {"date", "x"}}};
    r.quote_response = quote_response{
        quote_response_body{money{"USD", core::decimal::from_units(500'000)}, money{"USD", core::decimal::from_units(1)},
                            money{"USD", {}}, money{"USD", core::decimal::from_units(123)}, "2024-05-01T10:01:00.000Z",
                            geo_code{"52.5200", "13.4050"}, "AYIBgQAAAAAAAASw", "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks",
                            extension_list{{"a", "b"}}},
        header_list{}};
    r.quote_response_source = "dfsp2";
    r.fulfil = fulfil_response{fulfil_body{"WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8", "2024-05-01T10:00:01.123Z",
                                           transfer_state::committed, extension_list{}},
                               header_list{{"content-type", "application/json"}}};
    r.last_error = transfer_error{500, mojaloop_error{full_error()}};
    r.skip_party_lookup = true;
    return r;
}

} // namespace

TEST_CASE("encode writes the same bytes as the DOM path for transfer requests", "[connector][encode]")
{
    check_same_text_both([](generator& g) { return g.request(); });

    transfer_request bare;
    CHECK(encode(bare) == dom_text(bare));
    transfer_request full;
    full.from = full_party();
    full.to = full_party();
    full.quote_request_extensions = extension_list{};
    full.transfer_request_extensions = extension_list{{"k", "v"}};
    full.skip_party_lookup = false;
    full.prepare_expiry_seconds = std::numeric_limits<std::int32_t>::min();
    full.fx_prepare_expiry_seconds = 0;
    full.quote_expiry_seconds = -7;
    full.fx_quote_expiry_seconds = std::numeric_limits<std::int32_t>::max();
    CHECK(encode(full) == dom_text(full));
}

TEST_CASE("encode writes the same bytes as the DOM path for every continuation", "[connector][encode]")
{
    for(auto what : {transfer_continuation::kind::accept_party, transfer_continuation::kind::accept_quote,
                     transfer_continuation::kind::accept_conversion,
                     transfer_continuation::kind::accept_quote_or_conversion})
        for(bool accepted : {true, false})
        {
            transfer_continuation const c{what, accepted};
            CHECK(encode(c) == dom_text(c));
            auto back = decode_transfer_continuation(std::string_view(encode(c)));
            REQUIRE(back);
            CHECK(*back == c);
        }
}

TEST_CASE("encode writes the same bytes as the DOM path for transfer responses", "[connector][encode]")
{
    check_same_text_both([](generator& g) { return g.response(); });

    transfer_response bare;
    CHECK(encode(bare) == dom_text(bare));
    auto const full = full_response();
    CHECK(encode(full) == dom_text(full));

    // Present but empty: an empty mojaloopError, an empty lastError, a body with neither.
    transfer_response empties;
    empties.get_parties_response = parties_response{};
    empties.last_error = transfer_error{std::nullopt, mojaloop_error{}};
    empties.fulfil = fulfil_response{};
    CHECK(encode(empties) == dom_text(empties));
    empties.last_error = transfer_error{};
    CHECK(encode(empties) == dom_text(empties));
}

TEST_CASE("encode writes a repeated header name once, where it first came, with its last value", "[connector][encode]")
{
    transfer_status_response s;
    s.transfer_id = "t";
    s.fulfil.headers = header_list{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"b", "5"}, {"a", "6"}};
    auto const text = encode(s);
    CHECK(text == dom_text(s));
    CHECK(text.find(R"("headers":{"a":"6","b":"5","c":"4"})") != std::string::npos);
}

TEST_CASE("encode writes the same bytes as the DOM path for error bodies", "[connector][encode]")
{
    check_same_text_both([](generator& g) { return g.error(); });
    check_same_text_both([](generator& g) { return g.error_with_state(); });

    CHECK(encode(error_response{}) == dom_text(error_response{}));
    CHECK(encode(transfer_error_response{}) == dom_text(transfer_error_response{}));
    transfer_error_response with_state{"5101", "rejected", full_response(), {}};
    CHECK(encode(with_state) == dom_text(with_state));
    transfer_error_response partial{"3208", "not found", {}, partial_transfer_state{"t1", transfer_status::error_occurred, {}}};
    CHECK(encode(partial) == dom_text(partial));
    partial.partial_state->last_error = full_response().last_error;
    CHECK(encode(partial) == dom_text(partial));
    CHECK(validation_error_body({"from.idType", "is \"required\""})
          == dom_text(error_response{"400", "from.idType is \"required\""}));
}

TEST_CASE("to_json of an ErrorInformation is the reference DOM", "[connector][encode]")
{
    for(std::uint32_t seed = 1; seed <= corpus_size; ++seed)
    {
        generator g(seed, false);
        auto const e = g.error_info();
        INFO("seed " << seed);
        REQUIRE(boost::json::serialize(to_json(e)) == dom_text(e));
    }
    CHECK(boost::json::serialize(to_json(full_error())) == dom_text(full_error()));
    CHECK(boost::json::serialize(to_json(error_information{})) == dom_text(error_information{}));
}

TEST_CASE("encode writes the same bytes as the DOM path for status responses", "[connector][encode]")
{
    check_same_text_both([](generator& g) { return g.status(); });
    CHECK(encode(transfer_status_response{}) == dom_text(transfer_status_response{}));
}

TEST_CASE("what encode writes decodes to the same value", "[connector][encode]")
{
    check_round_trip([](generator& g) { return g.request(); },
                     [](std::string_view t) { return decode_transfer_request(t); });
    check_round_trip([](generator& g) { return g.response(); },
                     [](std::string_view t) { return decode_transfer_response(t); });
    check_round_trip([](generator& g) { return g.error(); },
                     [](std::string_view t) { return decode_error_response(t); });
    check_round_trip([](generator& g) { return g.error_with_state(); },
                     [](std::string_view t) { return decode_transfer_error_response(t); });
    check_round_trip([](generator& g) { return g.status(); },
                     [](std::string_view t) { return decode_transfer_status_response(t); });

    auto const full = full_response();
    auto back = decode_transfer_response(std::string_view(encode(full)));
    REQUIRE(back);
    CHECK(*back == full);
}

TEST_CASE("encode grows past its size estimate when escapes expand the text", "[connector][encode]")
{
    // Every control character becomes six bytes (\u0001), far beyond any estimate.
    std::string const controls(1000, '\x01');
    error_response const e{controls, controls + "\"" + controls};
    CHECK(encode(e) == dom_text(e));

    auto r = full_response();
    r.note = controls;
    r.quote_response->headers = header_list{{controls, controls}, {"\\" + controls, controls}};
    r.fulfil->body.fulfilment = std::string(3000, '"');
    auto const text = encode(r);
    CHECK(text == dom_text(r));
    CHECK(text.size() > 6 * 5000);

    transfer_status_response s;
    s.transfer_id = controls;
    s.fulfil.headers = header_list{{"a", controls}};
    CHECK(encode(s) == dom_text(s));

    transfer_request q;
    q.note = controls;
    q.from.extension_list = extension_list{{controls, controls}};
    CHECK(encode(q) == dom_text(q));
}
