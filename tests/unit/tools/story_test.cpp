// The story style of a payment's diagram: a pure transformation of trace records.
#include "tools/report/story.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mojasim;

namespace {

// A hand-made trace, as the actors' clients record it: each request when sent, each answer
// when received. Peers are "host:port" strings the namer knows.
struct trace_builder
{
    std::vector<report::trace_record> records;
    std::uint64_t next = 1;

    std::uint64_t send(std::string actor, std::string peer, net::method m, std::string target, std::string body)
    {
        report::trace_record r;
        r.exchange = next++;
        r.actor = std::move(actor);
        r.peer = std::move(peer);
        r.method = m;
        r.target = std::move(target);
        r.body = std::move(body);
        records.push_back(r);
        return r.exchange;
    }
    void answer(std::string actor, std::uint64_t exchange, unsigned status, std::string body = {})
    {
        report::trace_record r;
        r.exchange = exchange;
        r.actor = std::move(actor);
        r.peer = "?";
        r.sent = false;
        r.is_request = false;
        r.status = status;
        r.body = std::move(body);
        records.push_back(r);
    }
    // A server's own view of a request it received: never drawn (the client's is).
    void received(std::string actor, net::method m, std::string target)
    {
        report::trace_record r;
        r.exchange = next++;
        r.actor = std::move(actor);
        r.peer = "127.0.0.1:55555";
        r.sent = false;
        r.method = m;
        r.target = std::move(target);
        records.push_back(r);
    }
    [[nodiscard]] std::vector<report::trace_record const*> all() const
    {
        std::vector<report::trace_record const*> out;
        for(auto const& r : records)
            out.push_back(&r);
        return out;
    }
};

std::string name_of(std::string const& hp)
{
    if(hp == "dfsp1:4101" || hp == "dfsp1:4100")
        return "dfsp1";
    if(hp == "switch:4000")
        return "switch";
    if(hp == "dfsp2:4200")
        return "dfsp2";
    if(hp == "hub:5000")
        return "hub";
    return {};
}

constexpr auto post = net::method::post;
constexpr auto put = net::method::put;
constexpr auto get = net::method::get;

// One payment through the chain; the payee bank answers the prepare with `fulfil` (a PUT
// body) or, when `error` is set, with that error callback. The switch's acknowledgements
// reach their clients late (after the switch forwarded), as they do on a busy machine.
trace_builder payment(std::string const& fulfil_or_error, bool error)
{
    trace_builder t;
    auto const pay = t.send("hub", "dfsp1:4101", post, "/transfers",
                            R"({"homeTransactionId":"req-1","to":{"idType":"MSISDN","idValue":"0495"},"amountType":"RECEIVE","currency":"USD","amount":"50"})");
    t.received("dfsp1", post, "/transfers");
    auto const lookup = t.send("dfsp1", "switch:4000", get, "/parties/MSISDN/0495", "");
    auto const fwd_lookup = t.send("switch", "dfsp2:4200", get, "/parties/MSISDN/0495", "");
    t.answer("dfsp1", lookup, 202);
    t.answer("switch", fwd_lookup, 202);
    auto const party = t.send("dfsp2", "switch:4000", put, "/parties/MSISDN/0495",
                              R"({"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"0495","fspId":"dfsp2"},"name":"Amina Okello"}})");
    auto const fwd_party = t.send("switch", "dfsp1:4100", put, "/parties/MSISDN/0495",
                                  R"({"party":{"partyIdInfo":{"fspId":"dfsp2"},"name":"Amina Okello"}})");
    auto const quote = t.send("dfsp1", "switch:4000", post, "/quotes",
                              R"({"quoteId":"q-1","transactionId":"tr-1","amountType":"RECEIVE","amount":{"amount":"50","currency":"USD"}})");
    t.answer("switch", fwd_party, 200); // the answer to the party callback comes after the quote went out
    t.answer("dfsp2", party, 200);
    auto const fwd_quote = t.send("switch", "dfsp2:4200", post, "/quotes", R"({"quoteId":"q-1","amount":{"amount":"50","currency":"USD"}})");
    t.answer("dfsp1", quote, 202);
    t.answer("switch", fwd_quote, 202);
    auto const quoted = t.send("dfsp2", "switch:4000", put, "/quotes/q-1",
                               R"({"transferAmount":{"amount":"50.5","currency":"USD"},"payeeFspFee":{"amount":"0.5","currency":"USD"},"condition":"abcdefghijklmnop"})");
    auto const fwd_quoted = t.send("switch", "dfsp1:4100", put, "/quotes/q-1",
                                   R"({"transferAmount":{"amount":"50.5","currency":"USD"},"payeeFspFee":{"amount":"0.5","currency":"USD"}})");
    t.answer("dfsp2", quoted, 200);
    t.answer("switch", fwd_quoted, 200);
    auto const prepare = t.send("dfsp1", "switch:4000", post, "/transfers",
                                R"({"transferId":"tr-1","payerFsp":"dfsp1","payeeFsp":"dfsp2","amount":{"amount":"50.5","currency":"USD"}})");
    auto const fwd_prepare = t.send("switch", "dfsp2:4200", post, "/transfers",
                                    R"({"transferId":"tr-1","payerFsp":"dfsp1","payeeFsp":"dfsp2","amount":{"amount":"50.5","currency":"USD"}})");
    t.answer("dfsp1", prepare, 202);
    t.answer("switch", fwd_prepare, 202);
    std::string const path = error ? "/transfers/tr-1/error" : "/transfers/tr-1";
    auto const fulfil = t.send("dfsp2", "switch:4000", put, path, fulfil_or_error);
    auto const fwd_fulfil = t.send("switch", "dfsp1:4100", put, path, fulfil_or_error);
    t.answer("dfsp2", fulfil, 200);
    t.answer("switch", fwd_fulfil, 200);
    if(error)
        t.answer("hub", pay, 500, R"({"statusCode":"5104","message":"Got an error response preparing transfer"})");
    else
        t.answer("hub", pay, 200, R"({"transferId":"tr-1","currentState":"COMPLETED"})");
    return t;
}

std::vector<std::string> labels(report::story const& s)
{
    std::vector<std::string> out;
    for(auto const& a : s.arrows)
        out.push_back(a.note ? "note " + a.label() : a.from + (a.reply ? "-->" : "->") + a.to + " " + a.label());
    return out;
}

} // namespace

TEST_CASE("story: acknowledgements are folded into their requests and messages keep causal order")
{
    auto const t = payment(R"({"transferState":"COMMITTED","fulfilment":"xyz"})", false);
    auto const s = report::make_story(t.all(), name_of, "Payment to 0495");
    CHECK(s.folded_acks == 12);
    CHECK(labels(s) == std::vector<std::string>{
                           "hub->dfsp1 pay: 50.00 USD to MSISDN 0495",
                           "dfsp1->switch lookup: MSISDN 0495",
                           "switch->dfsp2 lookup: MSISDN 0495",
                           "dfsp2->switch party: Amina Okello at dfsp2",
                           "switch->dfsp1 party: Amina Okello at dfsp2",
                           "dfsp1->switch quote request: 50.00 USD RECEIVE",
                           "switch->dfsp2 quote request: 50.00 USD",
                           "dfsp2->switch quote: 50.50 USD, fee 0.50 USD, condition abcdefgh...",
                           "switch->dfsp1 quote: 50.50 USD, fee 0.50 USD",
                           "dfsp1->switch prepare: 50.50 USD",
                           "switch->dfsp2 prepare: 50.50 USD",
                           "note reserved: dfsp1 position +50.50 USD",
                           "dfsp2->switch fulfil: COMMITTED",
                           "switch->dfsp1 fulfil: COMMITTED",
                           "note committed: dfsp1 +50.50 USD, dfsp2 -50.50 USD",
                           "dfsp1-->hub 200 COMPLETED",
                       });
    CHECK(s.outcome == "paid");
    CHECK_FALSE(s.failed);
    // Plain names, left to right as the chain runs.
    CHECK(s.actors == std::vector<std::string>{"hub", "dfsp1", "switch", "dfsp2"});
    CHECK(s.actor_names ==
          std::vector<std::string>{"Payment Hub", "dfsp1 (payer bank)", "Mojaloop switch", "dfsp2 (payee bank)"});
    // The protocol dump of the same records draws every acknowledgement.
    auto const dump = report::mermaid_sequence(t.all(), name_of, "x");
    CHECK(std::count(dump.begin(), dump.end(), '\n') == 2 + 13 + 13); // header and title, 13 requests, 13 answers
    auto const story = report::story_mermaid(s);
    CHECK(story.find("-->>switch: 202") == std::string::npos);
    CHECK(story.find("-->>dfsp1: 202") == std::string::npos);
}

TEST_CASE("story: phases are grouped in the order the payment goes through them")
{
    auto const t = payment(R"({"transferState":"COMMITTED"})", false);
    auto const text = report::story_mermaid(report::make_story(t.all(), name_of, "Payment to 0495", "paid 50.00 USD"));
    auto const at = [&](std::string const& what) { return text.find(what); };
    REQUIRE(at("Note over hub,dfsp2: Payment request") != std::string::npos);
    REQUIRE(at("Note over hub,dfsp2: Lookup") != std::string::npos);
    CHECK(at("Note over hub,dfsp2: Payment request") < at("Note over hub,dfsp2: Lookup"));
    CHECK(at("Note over hub,dfsp2: Lookup") < at("Note over hub,dfsp2: Quote"));
    CHECK(at("Note over hub,dfsp2: Quote") < at("Note over hub,dfsp2: Transfer"));
    CHECK(at("Note over hub,dfsp2: Transfer") < at("Note over hub,dfsp2: Result"));
    // One rect per phase, each closed.
    auto count = [&](std::string const& what) {
        std::size_t n = 0;
        for(auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
            ++n;
        return n;
    };
    CHECK(count("    rect ") == 5);
    CHECK(count("    end\n") == 5);
    CHECK(text.find("participant dfsp1 as dfsp1 (payer bank)") != std::string::npos);
    CHECK(text.find("switch->>dfsp1: fulfil: COMMITTED") != std::string::npos);
    CHECK(text.find("Note over switch: committed: dfsp1 +50.50 USD, dfsp2 -50.50 USD") != std::string::npos);
    // The caller's outcome ends the diagram.
    CHECK(text.substr(text.rfind("Note over")) == "Note over hub,dfsp2: Outcome: paid 50.00 USD\n");
}

TEST_CASE("story: an error callback shows its FSPIOP code, the reservation is released and the payment fails")
{
    auto const t = payment(R"({"errorInformation":{"errorCode":"5104","errorDescription":"Payee rejected transaction"}})", true);
    auto const s = report::make_story(t.all(), name_of, "Payment to 0495");
    auto const l = labels(s);
    CHECK(std::find(l.begin(), l.end(), "dfsp2->switch error 5104 Payee rejected transaction") != l.end());
    CHECK(std::find(l.begin(), l.end(), "note aborted: dfsp1 reservation of 50.50 USD released") != l.end());
    CHECK(std::find(l.begin(), l.end(), "dfsp1-->hub 500 5104 Got an error response preparing transfer") != l.end());
    CHECK(s.failed);
    CHECK(s.outcome == "failed: 5104 Got an error response preparing transfer");
    auto const text = report::story_mermaid(s);
    CHECK(text.find("dfsp2-xswitch: error 5104 Payee rejected transaction") != std::string::npos);
    CHECK(text.find("dfsp1--xhub: 500 5104") != std::string::npos);
    CHECK(text.find("committed") == std::string::npos);
    // The SVG says the same, escaped, with no script and nothing fetched.
    auto const svg = report::story_svg(s);
    CHECK(svg.find("error 5104 Payee rejected transaction") != std::string::npos);
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(svg.find("href") == std::string::npos);
    CHECK(svg.find("Outcome: failed: 5104") != std::string::npos);
}

TEST_CASE("story: text that would break Mermaid or HTML is neutralised")
{
    trace_builder t;
    auto const x = t.send("dfsp2", "switch:4000", put, "/parties/MSISDN/1",
                          R"({"party":{"name":"A; B #1 <b>","partyIdInfo":{"fspId":"dfsp2"}}})");
    t.answer("dfsp2", x, 200);
    auto const s = report::make_story(t.all(), name_of, "t");
    auto const text = report::story_mermaid(s);
    CHECK(text.find("party: A, B  1 <b> at dfsp2") != std::string::npos);
    CHECK(report::story_svg(s).find("A; B #1 &lt;b&gt;") != std::string::npos);
    CHECK(report::html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST_CASE("batch overview: one arrow per kind of message with counts, errors by code")
{
    trace_builder t;
    // Onboarding before the upload is not part of the batch.
    auto const onboard = t.send("dfsp2", "switch:4000", post, "/participants/MSISDN/0495", R"({"fspId":"dfsp2"})");
    t.answer("dfsp2", onboard, 201, R"({})");
    auto const up = t.send("openg2p", "hub:5000", post, "/batchtransactions", "request_id\r\nrow\r\n");
    t.answer("openg2p", up, 202, R"({"PollingPath":"/batch/Summary/b-1"})");
    auto const ok = payment(R"({"transferState":"COMMITTED"})", false);
    auto const bad = payment(R"({"errorInformation":{"errorCode":"5104","errorDescription":"Payee rejected transaction"}})", true);
    // Three payments one after another, each exchange id made distinct.
    std::uint64_t base = 1000;
    for(auto const* src : {&ok, &bad, &ok})
    {
        for(auto r : src->records)
        {
            r.exchange += base;
            t.records.push_back(r);
        }
        base += 1000;
    }
    auto const s = report::batch_overview(t.records, name_of, "demo batch", "2 paid, 1 failed (5104 x1)");
    auto const l = labels(s);
    CHECK(l.front() == "openg2p->hub upload batch: 1 row");
    CHECK(std::find(l.begin(), l.end(), "hub->dfsp1 pay (x3)") != l.end());
    CHECK(std::find(l.begin(), l.end(), "dfsp1->switch lookup (x3)") != l.end());
    CHECK(std::find(l.begin(), l.end(), "switch->dfsp1 fulfil: COMMITTED (x2)") != l.end());
    CHECK(std::find(l.begin(), l.end(), "dfsp2->switch error 5104 Payee rejected transaction") != l.end());
    CHECK(std::find(l.begin(), l.end(), "dfsp1-->hub 200 COMPLETED (x2)") != l.end());
    CHECK(std::none_of(l.begin(), l.end(), [](std::string const& x) { return x.find("/participants") != std::string::npos; }));
    CHECK(std::none_of(s.arrows.begin(), s.arrows.end(), [](report::story_arrow const& a) { return a.note; }));
    CHECK(s.failed);
    CHECK(report::story_mermaid(s).find("Outcome: 2 paid, 1 failed (5104 x1)") != std::string::npos);
}
