// The bulk transfer state machine as scripts of events: each item goes through the same
// transfer book as a single transfer (positions, windows, states), the bulk reports them
// together.
#include "ledger_fixture.hpp"

#include "simulator/ledger/bulk_book.hpp"

namespace mojasim::ledger::test {

namespace {

using fspiop::errc;

struct bulk_fixture : ledger_fixture
{
    bulk_book bulks{book};

    bulk_item_command item(std::string id, char const* amt = "100")
    {
        bulk_item_command i;
        i.transfer_id = std::move(id);
        i.amount = amount(amt);
        i.currency = "USD";
        i.condition = make_ilp(i.transfer_id).condition;
        i.hash = fspiop::body_digest("item-" + i.transfer_id + "-" + amt);
        return i;
    }

    bulk_prepare_command bulk(std::string id, std::vector<bulk_item_command> items)
    {
        bulk_prepare_command c;
        c.bulk_id = std::move(id);
        c.payer_fsp = "dfsp1";
        c.payee_fsp = "dfsp2";
        c.expiration = clock.now() + 30s;
        c.source = "dfsp1";
        std::string all = c.bulk_id;
        for(auto const& i : items)
            all += "|" + i.transfer_id + "=" + i.amount.to_string();
        c.hash = fspiop::body_digest(all);
        c.items = std::move(items);
        return c;
    }

    bulk_fulfil_command results(std::string id, std::vector<bulk_result_command> r, std::string hash_seed = "r")
    {
        bulk_fulfil_command c;
        c.bulk_id = std::move(id);
        c.source = "dfsp2";
        c.destination = "dfsp1";
        c.hash = fspiop::body_digest(hash_seed + c.bulk_id);
        c.results = std::move(r);
        return c;
    }

    static bulk_result_command ok(std::string id)
    {
        auto f = make_ilp(id).fulfilment;
        return {std::move(id), std::move(f), std::nullopt};
    }
};

template <class E>
E const&
bulk_effect_at(bulk_decision const& d, std::size_t i)
{
    REQUIRE(d.effects.size() > i);
    auto const* e = std::get_if<E>(&d.effects[i]);
    REQUIRE(e);
    return *e;
}

} // namespace

TEST_CASE("bulk: every item prepared, forwarded, fulfilled and reported", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    auto d = f.bulks.prepare(f.bulk("b1", {f.item("i1"), f.item("i2", "50"), f.item("i3", "25")}), f.clock.now());
    CHECK(d.state == bulk_state::accepted);
    auto const& fwd = bulk_effect_at<forward_bulk>(d, 0);
    CHECK(fwd.to == "dfsp2");
    CHECK(fwd.all);
    CHECK(fwd.items == std::vector<std::size_t>{0, 1, 2});
    // Items are transfers of the transfer book: reserved on the payer's position.
    CHECK(f.book.state_of("i2") == transfer_state::reserved);
    CHECK(f.position("dfsp1") == amount("175"));
    CHECK(f.bulks.owner_of("i3") == f.bulks.find("b1"));
    f.check_sums();

    f.clock.advance(1s);
    d = f.bulks.fulfil(f.results("b1", {f.ok("i1"), f.ok("i2"), f.ok("i3")}), f.clock.now());
    CHECK(d.state == bulk_state::completed);
    auto const& put = bulk_effect_at<notify_bulk_state>(d, 0);
    CHECK(put.to == "dfsp1");
    CHECK(put.state == bulk_state::completed);
    REQUIRE(put.results.size() == 3);
    CHECK(put.results[1].transfer_id == "i2");
    CHECK(put.results[1].fulfilment == make_ilp("i2").fulfilment);
    CHECK_FALSE(put.results[1].error);
    // The payee hears the same results (central-ledger's bulk processing handler).
    auto const& notice = bulk_effect_at<notify_bulk_state>(d, 1);
    CHECK(notice.to == "dfsp2");
    CHECK(notice.results == put.results);
    CHECK(d.effects.size() == 2);
    CHECK(f.position("dfsp1") == amount("175"));
    CHECK(f.position("dfsp2") == amount("-175"));
    CHECK(f.book.state_of("i1") == transfer_state::committed);
    CHECK(f.book.find("i1")->window == 1);
    CHECK(f.book.in_flight() == 0);
    f.check_sums();
}

TEST_CASE("bulk: the net debit cap runs out part-way, later items fail and the rest go on", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard(); // NDC 1000
    auto d = f.bulks.prepare(
        f.bulk("b1", {f.item("i1", "400"), f.item("i2", "400"), f.item("i3", "400"), f.item("i4", "200")}),
        f.clock.now());
    CHECK(d.state == bulk_state::accepted);
    auto const& fwd = bulk_effect_at<forward_bulk>(d, 0);
    CHECK_FALSE(fwd.all);
    // i3 would take the position to 1200; i4 still fits after it (800 + 200).
    CHECK(fwd.items == std::vector<std::size_t>{0, 1, 3});
    CHECK(f.book.state_of("i3") == transfer_state::aborted_rejected);
    CHECK(f.position("dfsp1") == amount("1000"));
    f.check_sums();

    d = f.bulks.fulfil(f.results("b1", {f.ok("i1"), f.ok("i2"), f.ok("i4")}), f.clock.now());
    auto const& put = bulk_effect_at<notify_bulk_state>(d, 0);
    CHECK(put.state == bulk_state::completed);
    REQUIRE(put.results.size() == 4);
    REQUIRE(put.results[2].error);
    CHECK(put.results[2].error->error_code == "4200");
    CHECK(put.results[3].fulfilment == make_ilp("i4").fulfilment);
    CHECK(f.position("dfsp2") == amount("-1000"));
    f.check_sums();
}

TEST_CASE("bulk: a wrong fulfilment aborts its item alone, an error result aborts its item", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    (void)f.bulks.prepare(f.bulk("b1", {f.item("i1"), f.item("i2"), f.item("i3")}), f.clock.now());
    auto wrong = f.ok("i2");
    wrong.fulfilment = make_ilp("other").fulfilment;
    bulk_result_command refused{"i3", {}, fspiop::error_information::from(errc::payee_rejected_transaction)};
    auto d = f.bulks.fulfil(f.results("b1", {f.ok("i1"), wrong, refused}), f.clock.now());
    auto const& put = bulk_effect_at<notify_bulk_state>(d, 0);
    REQUIRE(put.results.size() == 3);
    CHECK_FALSE(put.results[0].fulfilment.empty());
    REQUIRE(put.results[1].error);
    CHECK(put.results[1].error->error_code == "3100");
    REQUIRE(put.results[2].error);
    CHECK(put.results[2].error->error_code == "5104");
    CHECK(f.book.state_of("i2") == transfer_state::aborted_error);
    CHECK(f.position("dfsp1") == amount("100"));
    CHECK(f.position("dfsp2") == amount("-100"));
    f.check_sums();
}

TEST_CASE("bulk: duplicates of the prepare and of the results", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    auto const cmd = f.bulk("b1", {f.item("i1"), f.item("i2")});
    (void)f.bulks.prepare(cmd, f.clock.now());

    // In progress: the same body is ignored; a changed one is 3106 to the sender.
    auto d = f.bulks.prepare(cmd, f.clock.now());
    CHECK_FALSE(d.changed);
    CHECK(d.effects.empty());
    auto changed = f.bulk("b1", {f.item("i1"), f.item("i2", "99")});
    d = f.bulks.prepare(changed, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3106");
    CHECK(f.position("dfsp1") == amount("200"));

    auto const r = f.results("b1", {f.ok("i1"), f.ok("i2")});
    (void)f.bulks.fulfil(r, f.clock.now());
    // Final: the same prepare gets the result again, the same results too (to the payee).
    d = f.bulks.prepare(cmd, f.clock.now());
    auto const& again = bulk_effect_at<notify_bulk_state>(d, 0);
    CHECK(again.to == "dfsp1");
    CHECK(again.results.size() == 2);
    d = f.bulks.fulfil(r, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_state>(d, 0).to == "dfsp2");
    d = f.bulks.fulfil(f.results("b1", {f.ok("i1")}, "other"), f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3106");
    CHECK(f.position("dfsp2") == amount("-200"));
    f.check_sums();
}

TEST_CASE("bulk: items reusing known transfer ids fail alone", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    (void)f.book.prepare(f.prepare_cmd("t1"), f.clock.now());
    auto d = f.bulks.prepare(f.bulk("b1", {f.item("t1"), f.item("i2"), f.item("i2")}), f.clock.now());
    CHECK(bulk_effect_at<forward_bulk>(d, 0).items == std::vector<std::size_t>{1});
    auto const* b = f.bulks.find("b1");
    REQUIRE(b);
    REQUIRE(b->items[0].prepare_error);
    CHECK(b->items[0].prepare_error->error_code == "3106");
    REQUIRE(b->items[2].prepare_error);
    CHECK(f.bulks.owner_of("t1") == nullptr);
    CHECK(f.position("dfsp1") == amount("200"));
    f.check_sums();
}

TEST_CASE("bulk: refusals of the whole bulk", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    auto cmd = f.bulk("b1", {f.item("i1")});
    cmd.source = "dfsp2";
    auto d = f.bulks.prepare(cmd, f.clock.now());
    CHECK(d.state == bulk_state::rejected);
    auto const& e = bulk_effect_at<notify_bulk_error>(d, 0);
    CHECK(e.to == "dfsp2");
    CHECK(e.error.error_code == "3100");
    CHECK(e.error.error_description == "Generic validation error - FSPIOP-Source header should match Payer");
    CHECK(f.book.size() == 0);

    auto two = f.bulk("b2", {f.item("i2"), f.item("i3")});
    two.items[1].payee_fsp = "dfsp3";
    d = f.bulks.prepare(two, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_description.find("one payee FSP per bulk") !=
          std::string::npos);

    auto late = f.bulk("b3", {f.item("i4")});
    late.expiration = f.clock.now() - 1s;
    d = f.bulks.prepare(late, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3100");

    std::vector<bulk_item_command> many;
    for(std::size_t i = 0; i <= max_bulk_items; ++i)
        many.push_back(f.item("m" + std::to_string(i), "1"));
    d = f.bulks.prepare(f.bulk("b4", std::move(many)), f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3100");
    CHECK(f.book.size() == 0);
    CHECK(f.position("dfsp1") == decimal{});

    // A bulk whose every item fails is REJECTED with each item's error to the payer.
    auto none = f.bulk("b5", {f.item("i5", "2000"), f.item("i6", "3000")});
    d = f.bulks.prepare(none, f.clock.now());
    CHECK(d.state == bulk_state::rejected);
    auto const& put = bulk_effect_at<notify_bulk_state>(d, 0);
    CHECK(put.to == "dfsp1");
    CHECK(put.state == bulk_state::rejected);
    REQUIRE(put.results.size() == 2);
    CHECK(put.results[1].error->error_code == "4200");
    f.check_sums();
}

TEST_CASE("bulk: the payee rejects the whole bulk", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    (void)f.bulks.prepare(f.bulk("b1", {f.item("i1"), f.item("i2")}), f.clock.now());
    bulk_reject_command r;
    r.bulk_id = "b1";
    r.source = "dfsp2";
    r.destination = "dfsp1";
    r.error = fspiop::error_information::from(errc::payee_rejected_transaction);
    r.hash = fspiop::body_digest("reject");

    // From another FSP: refused, nothing changes.
    auto wrong = r;
    wrong.source = "dfsp1";
    auto d = f.bulks.reject(wrong, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).to == "dfsp1");
    CHECK(d.state == bulk_state::accepted);
    CHECK(f.position("dfsp1") == amount("200"));

    d = f.bulks.reject(r, f.clock.now());
    CHECK(d.state == bulk_state::rejected);
    CHECK(bulk_effect_at<forward_bulk_error>(d, 0).to == "dfsp1");
    CHECK(f.book.state_of("i1") == transfer_state::aborted_error);
    CHECK(f.position("dfsp1") == decimal{});
    f.check_sums();

    // Results after that are refused.
    d = f.bulks.fulfil(f.results("b1", {f.ok("i1")}), f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3100");
    auto q = f.bulks.query({"b1", "dfsp1"});
    auto const& s = bulk_effect_at<notify_bulk_state>(q, 0);
    CHECK(s.state == bulk_state::rejected);
    REQUIRE(s.results.size() == 2);
    CHECK(s.results[0].error->error_code == "5104");
}

TEST_CASE("bulk: expiry ends what is left, missing results wait for it", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    (void)f.bulks.prepare(f.bulk("b1", {f.item("i1"), f.item("i2")}), f.clock.now());
    (void)f.book.prepare(f.prepare_cmd("single"), f.clock.now());

    // Only i1 has a result: the bulk is PROCESSING and GET reports the state alone.
    auto d = f.bulks.fulfil(f.results("b1", {f.ok("i1")}), f.clock.now());
    CHECK(d.state == bulk_state::processing);
    CHECK(d.effects.empty());
    auto q = f.bulks.query({"b1", "dfsp2"});
    auto const& s = bulk_effect_at<notify_bulk_state>(q, 0);
    CHECK(s.state == bulk_state::processing);
    CHECK(s.results.empty());

    f.clock.advance(31s);
    auto due = f.book.expire_due(f.clock.now());
    REQUIRE(due.size() == 2);
    auto done = f.bulks.take_expired(due, f.clock.now());
    // The single transfer's expiry stays for the transfers service.
    REQUIRE(due.size() == 1);
    CHECK(due[0].transfer_id == "single");
    REQUIRE(done.size() == 1);
    CHECK(done[0].bulk_id == "b1");
    auto const& put = bulk_effect_at<notify_bulk_state>(done[0], 0);
    CHECK(put.to == "dfsp1");
    CHECK(put.state == bulk_state::completed);
    REQUIRE(put.results.size() == 2);
    CHECK_FALSE(put.results[0].fulfilment.empty());
    CHECK(put.results[1].error->error_code == "3303");
    CHECK(f.position("dfsp1") == amount("100"));
    f.check_sums();
}

TEST_CASE("bulk: with notify_payee off the payer alone hears the final state", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    bulk_book spec_reading{f.book, bulk_book_options{false}};
    (void)spec_reading.prepare(f.bulk("b1", {f.item("i1"), f.item("i2")}), f.clock.now());
    auto d = spec_reading.fulfil(f.results("b1", {f.ok("i1"), f.ok("i2")}), f.clock.now());
    CHECK(d.state == bulk_state::completed);
    REQUIRE(d.effects.size() == 1);
    CHECK(bulk_effect_at<notify_bulk_state>(d, 0).to == "dfsp1");
    f.check_sums();
}

TEST_CASE("bulk: a bulk expires whole, results afterwards get 3303", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    (void)f.bulks.prepare(f.bulk("b1", {f.item("i1"), f.item("i2")}), f.clock.now());
    f.clock.advance(31s);
    auto due = f.book.expire_due(f.clock.now());
    auto done = f.bulks.take_expired(due, f.clock.now());
    CHECK(due.empty());
    REQUIRE(done.size() == 1);
    CHECK(done[0].state == bulk_state::completed);
    auto d = f.bulks.fulfil(f.results("b1", {f.ok("i1"), f.ok("i2")}), f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3303");
    CHECK(f.position("dfsp1") == decimal{});
    CHECK(f.position("dfsp2") == decimal{});
    f.check_sums();
}

TEST_CASE("bulk: unknown ids and strangers", "[ledger][bulk]")
{
    bulk_fixture f;
    f.standard();
    f.onboard("dfsp3", "1000", "1000");
    auto d = f.bulks.fulfil(f.results("nope", {}), f.clock.now());
    auto const& e = bulk_effect_at<notify_bulk_error>(d, 0);
    CHECK(e.to == "dfsp2");
    CHECK(e.error.error_code == "3210");
    CHECK(f.bulks.query({"nope", "dfsp1"}).effects.size() == 1);
    CHECK(bulk_effect_at<notify_bulk_error>(f.bulks.query({"nope", "dfsp1"}), 0).error.error_code == "3210");
    bulk_reject_command r;
    r.bulk_id = "nope";
    r.source = "dfsp2";
    CHECK(bulk_effect_at<notify_bulk_error>(f.bulks.reject(r, f.clock.now()), 0).error.error_code == "3210");

    (void)f.bulks.prepare(f.bulk("b1", {f.item("i1")}), f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(f.bulks.query({"b1", "dfsp3"}), 0).error.error_code == "3000");
    // A payee's results from a stranger change nothing.
    auto stranger = f.results("b1", {f.ok("i1")});
    stranger.source = "dfsp3";
    d = f.bulks.fulfil(stranger, f.clock.now());
    CHECK(bulk_effect_at<notify_bulk_error>(d, 0).error.error_code == "3100");
    CHECK(f.book.state_of("i1") == transfer_state::reserved);
    // ... and did not take the payee's place in the duplicate table.
    d = f.bulks.fulfil(f.results("b1", {f.ok("i1")}), f.clock.now());
    CHECK(d.state == bulk_state::completed);
    f.check_sums();
}

} // namespace mojasim::ledger::test
