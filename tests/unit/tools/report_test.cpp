#include "tools/report/junit.hpp"
#include "tools/report/trace_log.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace mojasim;

namespace {

// Feed the log as actors' clients would: a request sent and its response received.
void exchange(report::trace_log& log, std::string actor, std::string peer, net::method m, std::string target,
              std::string body, unsigned status, std::string answer)
{
    auto sink = log.sink();
    net::headers h;
    net::trace_event e;
    e.time = std::chrono::system_clock::now();
    e.exchange = net::next_exchange_id();
    e.actor = actor;
    e.peer = peer;
    e.method = m;
    e.target = target;
    e.fields = &h;
    e.body = body;
    sink(e);
    e.dir = net::trace_event::direction::received;
    e.type = net::trace_event::kind::response;
    e.status = status;
    e.body = answer;
    sink(e);
}

} // namespace

TEST_CASE("a payment's messages are followed through the ids they introduce")
{
    report::trace_log log;
    exchange(log, "Hub", "127.0.0.1:4100", net::method::post, "/transfers",
             R"({"homeTransactionId":"req-1","to":{"idValue":"0495"}})", 200,
             R"({"transferId":"tr-1","currentState":"COMPLETED"})");
    exchange(log, "Hub", "127.0.0.1:4100", net::method::post, "/transfers", R"({"homeTransactionId":"req-2"})", 200,
             R"({"transferId":"tr-2"})");
    exchange(log, "DFSP1", "127.0.0.1:4000", net::method::post, "/transfers", R"({"transferId":"tr-1"})", 202, "");
    exchange(log, "Switch", "127.0.0.1:4200", net::method::put, "/transfers/tr-1", R"({"transferState":"COMMITTED"})",
             200, "");
    auto const all = log.snapshot();
    REQUIRE(all.size() == 8);
    auto const mine = report::payment_messages(all, "req-1");
    CHECK(mine.size() == 6);
    auto const name = [](std::string const& hp) -> std::string {
        if(hp == "127.0.0.1:4100")
            return "DFSP1";
        if(hp == "127.0.0.1:4000")
            return "Switch";
        if(hp == "127.0.0.1:4200")
            return "DFSP2";
        return {};
    };
    auto const diagram = report::mermaid_sequence(mine, name, "req-1");
    CHECK(diagram == "sequenceDiagram\n    title req-1\n"
                     "    Hub->>DFSP1: POST /transfers\n"
                     "    DFSP1-->>Hub: 200\n"
                     "    DFSP1->>Switch: POST /transfers\n"
                     "    Switch-->>DFSP1: 202\n"
                     "    Switch->>DFSP2: PUT /transfers/tr-1\n"
                     "    DFSP2-->>Switch: 200\n");
    std::ostringstream jsonl;
    log.write_jsonl(jsonl);
    auto const text = jsonl.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 8);
    CHECK(text.find(R"("direction":"sent")") != std::string::npos);
}

TEST_CASE("a bulk flow is one arrow per bulk message with its item count, polls drawn once")
{
    report::trace_log log;
    // The hub's bulk transaction of two rows, polled three times; the connector's bulk
    // transfer for the payee bank; another bulk of other rows.
    exchange(log, "hub", "127.0.0.1:4100", net::method::post, "/bulkTransactions",
             R"({"bulkTransactionId":"bt-1","from":{"partyIdInfo":{"partyIdentifier":"0413"}},"individualTransfers":[
                 {"homeTransactionId":"req-1","to":{"partyIdInfo":{"partyIdentifier":"0495"}}},
                 {"homeTransactionId":"req-2","to":{"partyIdInfo":{"partyIdentifier":"0496"}}}]})",
             202, "");
    for(int i = 0; i < 3; ++i)
        exchange(log, "hub", "127.0.0.1:4100", net::method::get, "/bulkTransactions/bt-1", "", 200,
                 R"({"bulkTransactionId":"bt-1","currentState":"PROCESSING"})");
    exchange(log, "dfsp1", "127.0.0.1:4000", net::method::get, "/parties/MSISDN/0495", "", 202, "");
    exchange(log, "dfsp1", "127.0.0.1:4000", net::method::get, "/parties/MSISDN/0496", "", 202, "");
    exchange(log, "dfsp1", "127.0.0.1:4000", net::method::post, "/bulkTransfers",
             R"({"bulkTransferId":"bx-1","individualTransfers":[{"transferId":"tr-9","to":{"partyIdInfo":{"partyIdentifier":"0495"}}},{"transferId":"tr-8"}]})",
             202, "");
    exchange(log, "dfsp1", "127.0.0.1:4000", net::method::post, "/bulkTransfers",
             R"({"bulkTransferId":"bx-2","individualTransfers":[{"transferId":"tr-7"}]})", 202, "");
    exchange(log, "switch", "127.0.0.1:4300", net::method::put, "/bulkTransfers/bx-1",
             R"({"bulkTransferState":"COMPLETED","individualTransferResults":[{"transferId":"tr-9"},{"transferId":"tr-8"}]})",
             200, "");
    exchange(log, "hub", "127.0.0.1:4100", net::method::get, "/bulkTransactions/bt-1", "", 200,
             R"({"bulkTransactionId":"bt-1","currentState":"COMPLETED","individualTransferResults":[
                 {"homeTransactionId":"req-1","transferId":"tr-9"},{"homeTransactionId":"req-2","transferId":"tr-8"}]})");
    auto const all = log.snapshot();
    auto const mine = report::payment_messages(all, "req-1");
    auto const name = [](std::string const& hp) -> std::string {
        if(hp == "127.0.0.1:4100")
            return "dfsp1";
        if(hp == "127.0.0.1:4000")
            return "switch";
        if(hp == "127.0.0.1:4300")
            return "dfsp1";
        return {};
    };
    auto const diagram = report::mermaid_sequence(mine, name, "req-1");
    // Not the other payee's lookup, not the other bulk transfer.
    CHECK(diagram == "sequenceDiagram\n    title req-1\n"
                     "    hub->>dfsp1: POST /bulkTransactions (2 items)\n"
                     "    dfsp1-->>hub: 202\n"
                     "    hub->>dfsp1: GET /bulkTransactions/bt-1 (x3)\n"
                     "    dfsp1-->>hub: 200\n"
                     "    dfsp1->>switch: GET /parties/MSISDN/0495\n"
                     "    switch-->>dfsp1: 202\n"
                     "    dfsp1->>switch: POST /bulkTransfers (2 items)\n"
                     "    switch-->>dfsp1: 202\n"
                     "    switch->>dfsp1: PUT /bulkTransfers/bx-1 (2 items)\n"
                     "    dfsp1-->>switch: 200\n"
                     "    hub->>dfsp1: GET /bulkTransactions/bt-1\n"
                     "    dfsp1-->>hub: 200 (2 items)\n");
}

TEST_CASE("JUnit XML counts failures and escapes text")
{
    std::vector<report::junit_suite> suites(1);
    suites[0].name = "scenarios/happy.yaml";
    suites[0].cases.push_back({"happy batch", "scenarios", 1.5, {}, {}, {}});
    suites[0].cases.push_back({"bad <one>", "scenarios", 0.5, {"batch.successful: expected 3, actual 2 & more"}, {}, {}});
    std::ostringstream os;
    report::write_junit(os, suites);
    auto const xml = os.str();
    CHECK(xml.find(R"(<testsuites name="mojasim" tests="2" failures="1" errors="0" time="2.000">)") != std::string::npos);
    CHECK(xml.find(R"(<testcase name="happy batch" classname="scenarios" time="1.500"/>)") != std::string::npos);
    CHECK(xml.find("bad &lt;one&gt;") != std::string::npos);
    CHECK(xml.find("expected 3, actual 2 &amp; more") != std::string::npos);
    CHECK(report::xml_escape("a\x01" "b") == "a?b");
}
