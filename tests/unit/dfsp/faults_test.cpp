// Fault rules: matching by step, party, amount and every n-th message; parsing.
#include "simulator/dfsp/config.hpp"
#include "simulator/dfsp/faults.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;
using dfsp::decimal;
using dfsp::fault_step;

namespace {

decimal d(char const* s)
{
    return *decimal::parse(s);
}

dfsp::fault_rule rule(std::string id, fault_step step, dfsp::fault_action action = dfsp::fault_action::error)
{
    dfsp::fault_rule r;
    r.id = std::move(id);
    r.step = step;
    r.action = action;
    return r;
}

dfsp::fault_subject at(fault_step step, std::string_view party, std::optional<decimal> amount = std::nullopt)
{
    return dfsp::fault_subject{step, party, amount};
}

} // namespace

TEST_CASE("a rule matches its step and party only")
{
    auto r = rule("r", fault_step::quote);
    r.party = "256700000009";
    CHECK(dfsp::criteria_match(r, at(fault_step::quote, "256700000009", d("5"))));
    CHECK_FALSE(dfsp::criteria_match(r, at(fault_step::quote, "256700000002", d("5"))));
    CHECK_FALSE(dfsp::criteria_match(r, at(fault_step::transfer, "256700000009", d("5"))));
    r.step = fault_step::any;
    CHECK(dfsp::criteria_match(r, at(fault_step::lookup, "256700000009")));
    // wrong_fulfilment only ever applies to a transfer.
    r.action = dfsp::fault_action::wrong_fulfilment;
    CHECK_FALSE(dfsp::criteria_match(r, at(fault_step::lookup, "256700000009")));
    CHECK(dfsp::criteria_match(r, at(fault_step::transfer, "256700000009", d("1"))));
}

TEST_CASE("a rule matches an exact amount or an inclusive range")
{
    auto exact = rule("e", fault_step::transfer);
    exact.amount = d("13.5");
    CHECK(dfsp::criteria_match(exact, at(fault_step::transfer, "p", d("13.5"))));
    CHECK_FALSE(dfsp::criteria_match(exact, at(fault_step::transfer, "p", d("13.51"))));
    // A lookup has no amount: an amount rule never matches it.
    exact.step = fault_step::any;
    CHECK_FALSE(dfsp::criteria_match(exact, at(fault_step::lookup, "p")));

    auto range = rule("r", fault_step::quote);
    range.amount_min = d("10");
    range.amount_max = d("20");
    CHECK(dfsp::criteria_match(range, at(fault_step::quote, "p", d("10"))));
    CHECK(dfsp::criteria_match(range, at(fault_step::quote, "p", d("20"))));
    CHECK_FALSE(dfsp::criteria_match(range, at(fault_step::quote, "p", d("9.99"))));
    CHECK_FALSE(dfsp::criteria_match(range, at(fault_step::quote, "p", d("20.01"))));
    range.amount_max.reset();
    CHECK(dfsp::criteria_match(range, at(fault_step::quote, "p", d("1000000"))));
}

TEST_CASE("every n-th matching message fires, and times caps the firings")
{
    auto r = rule("third", fault_step::transfer);
    r.every = 3;
    r.times = 2;
    dfsp::fault_set set({r});
    std::vector<int> fired;
    for(int i = 1; i <= 12; ++i)
    {
        // Messages of other steps are not counted.
        CHECK_FALSE(set.match(at(fault_step::quote, "p", d("1"))));
        if(set.match(at(fault_step::transfer, "p", d("1"))))
            fired.push_back(i);
    }
    CHECK(fired == std::vector<int>{3, 6});
    CHECK(set.entries().front().fired == 2);
    CHECK(set.entries().front().seen == 6);
}

TEST_CASE("the first rule that fires wins, disabled rules are skipped")
{
    auto off = rule("off", fault_step::any, dfsp::fault_action::no_callback);
    off.enabled = false;
    auto delay = rule("slow", fault_step::quote, dfsp::fault_action::delay);
    delay.delay = std::chrono::milliseconds(250);
    auto error = rule("err", fault_step::any);
    dfsp::fault_set set({off, delay, error});
    auto const q = set.match(at(fault_step::quote, "p", d("1")));
    REQUIRE(q);
    CHECK(q->id == "slow");
    auto const l = set.match(at(fault_step::lookup, "p"));
    REQUIRE(l);
    CHECK(l->id == "err");
    CHECK(l->effective_error_code(fault_step::lookup) == "3204");
    CHECK(l->effective_error_code(fault_step::quote) == "5101");
    CHECK(l->effective_error_code(fault_step::transfer) == "5104");

    set.upsert(rule("slow", fault_step::lookup, dfsp::fault_action::no_callback));
    CHECK(set.entries().size() == 3);
    CHECK(set.entries()[1].rule.action == dfsp::fault_action::no_callback);
    CHECK(set.remove("err"));
    CHECK_FALSE(set.remove("err"));
    CHECK(set.entries().size() == 2);
}

TEST_CASE("rules are parsed from JSON and YAML and checked")
{
    auto const ok = dfsp::parse_fault_rule_text(
        R"({"id":"reject","step":"transfer","party":"256700000009","amount_min":"10","amount_max":20,)"
        R"("every":2,"action":"error","error_code":"5104","delay_ms":150,"times":3})");
    REQUIRE(ok.rule);
    CHECK(ok.rule->id == "reject");
    CHECK(ok.rule->step == fault_step::transfer);
    CHECK(ok.rule->amount_min == d("10"));
    CHECK(ok.rule->amount_max == d("20"));
    CHECK(ok.rule->every == 2);
    CHECK(ok.rule->error_code == "5104");
    CHECK(ok.rule->delay == std::chrono::milliseconds(150));
    CHECK(ok.rule->times == 3u);

    auto const yaml = dfsp::parse_fault_rules_text("- {step: quote, action: delay, delay_ms: 10}\n- action: no_callback\n");
    REQUIRE(yaml.rules);
    CHECK(yaml.rules->size() == 2);
    CHECK(yaml.rules->at(1).step == fault_step::any);

    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"explode"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error","error_code":"123"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error","error_code":"9999"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error","every":0})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"wrong_fulfilment","step":"quote"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error","amount":"1","amount_min":"0"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error","colour":"red"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"action":"error")").rule);
    auto const bad = dfsp::parse_fault_rules_text(R"({"action":"error"})");
    CHECK_FALSE(bad.rules);
    CHECK(bad.error.find("list") != std::string::npos);
}

TEST_CASE("the test API lists rules with their counters")
{
    auto r = rule("x", fault_step::transfer, dfsp::fault_action::error);
    r.amount = d("7.5");
    dfsp::fault_set set({r});
    set.match(at(fault_step::transfer, "p", d("7.5")));
    auto const json = dfsp::encode_fault_entries(set.entries());
    CHECK(json == R"([{"id":"x","step":"transfer","amount":"7.5","every":1,"action":"error","error_code":"5104",)"
                   R"("enabled":true,"seen":1,"fired":1}])");
}

TEST_CASE("a rule made in code with every 0 fires on every message")
{
    auto r = rule("zero", fault_step::lookup);
    r.every = 0;
    dfsp::fault_set set({r});
    CHECK(set.match(at(fault_step::lookup, "p")));
    CHECK(set.match(at(fault_step::lookup, "p")));
    CHECK_FALSE(r.check().empty());
}

TEST_CASE("bulk rules: whole bulks by step, items by index, and only error or wrong_fulfilment inside a bulk")
{
    auto whole = rule("whole", fault_step::bulk_transfer, dfsp::fault_action::no_callback);
    CHECK(dfsp::criteria_match(whole, dfsp::fault_subject{fault_step::bulk_transfer, {}, std::nullopt, 0}));
    CHECK_FALSE(dfsp::criteria_match(whole, dfsp::fault_subject{fault_step::bulk_quote, {}, std::nullopt, 0}));
    CHECK_FALSE(dfsp::criteria_match(whole, at(fault_step::transfer, "1", d("5"))));
    CHECK(whole.effective_error_code(fault_step::bulk_transfer) == "5104");
    CHECK(whole.effective_error_code(fault_step::bulk_quote) == "5101");

    // An item rule fires on the n-th item of a bulk only, never on a single message.
    auto second = rule("second", fault_step::transfer, dfsp::fault_action::wrong_fulfilment);
    second.item = 2;
    CHECK(dfsp::criteria_match(second, dfsp::fault_subject{fault_step::transfer, "p", d("5"), 2}));
    CHECK_FALSE(dfsp::criteria_match(second, dfsp::fault_subject{fault_step::transfer, "p", d("5"), 1}));
    CHECK_FALSE(dfsp::criteria_match(second, at(fault_step::transfer, "p", d("5"))));

    // A party rule applies to the items of a bulk as to single messages, but a delay (a
    // property of the whole callback) does not apply to one item.
    auto party = rule("party", fault_step::quote);
    party.party = "256700000009";
    CHECK(dfsp::criteria_match(party, dfsp::fault_subject{fault_step::quote, "256700000009", d("5"), 7}));
    party.action = dfsp::fault_action::delay;
    CHECK_FALSE(dfsp::criteria_match(party, dfsp::fault_subject{fault_step::quote, "256700000009", d("5"), 7}));
    CHECK(dfsp::criteria_match(party, at(fault_step::quote, "256700000009", d("5"))));

    // Counting: every 2nd matching item fires.
    auto every = rule("every", fault_step::transfer);
    every.every = 2;
    dfsp::fault_set set({every});
    CHECK_FALSE(set.match(dfsp::fault_subject{fault_step::transfer, "a", d("1"), 1}));
    CHECK(set.match(dfsp::fault_subject{fault_step::transfer, "b", d("1"), 2}));
}

TEST_CASE("bulk rules are read from YAML and JSON and checked")
{
    auto const ok = dfsp::parse_fault_rules_text(
        "- {step: transfer, item: 3, action: wrong_fulfilment}\n"
        "- {step: bulk_quote, action: error, error_code: \"3200\"}\n"
        "- {step: bulk_transfer, action: delay, delay_ms: 20}\n");
    REQUIRE(ok.rules);
    REQUIRE(ok.rules->size() == 3);
    CHECK(ok.rules->at(0).item == 3u);
    CHECK(ok.rules->at(1).step == fault_step::bulk_quote);
    CHECK(ok.rules->at(2).step == fault_step::bulk_transfer);
    // The test API lists the item back, and reads its own listing.
    auto const listed = dfsp::encode_fault_rule(ok.rules->at(0));
    CHECK(listed.find("\"item\":3") != std::string::npos);
    auto const again = dfsp::parse_fault_rule_text(listed);
    REQUIRE(again.rule);
    CHECK(*again.rule == ok.rules->at(0));

    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"transfer","item":0,"action":"error"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"lookup","item":1,"action":"error"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"bulk_transfer","item":1,"action":"error"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"transfer","item":1,"action":"no_callback"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"bulk","action":"error"})").rule);
    CHECK_FALSE(dfsp::parse_fault_rule_text(R"({"step":"transfer","item":-1,"action":"error"})").rule);
}
