// The mapper as the switch's external ALS oracle (SPAR's spar-mojaloop-als-oracle): the
// operator registers {mapper}/internal/mojaloop for ACCOUNT_ID (POST /oracles); a GET /parties
// for an account the mapper has linked goes to the bank in its FA.
#include "simulator/mapper/mapper_actor.hpp"
#include "tests/integration/switch/switch_harness.hpp"

namespace mojasim::test {

namespace {

using net::method;

net::awaitable<void>
mapper_as_oracle(asio::io_context& ioc)
{
    world w(ioc);
    co_await w.setup();
    mapper::mapper_config mc;
    mc.port = 0;
    mapper::entry e;
    e.identity = "token:abc@nationalId";
    mapper::set_from_fa(e, "account:5494373447@indigo.dfsp2.bank_acc");
    mc.seed.push_back(e);
    mapper::mapper_actor m(asio::make_strand(ioc), mc);
    m.start();

    auto const body = R"({"oracleIdType":"ACCOUNT_ID","endpoint":{"value":")" + m.url() +
                      R"(/internal/mojaloop","endpointType":"URL"},"isDefault":true})";
    auto r = co_await w.admin(method::post, "/oracles", body);
    CHECK(r.status == 201);

    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/ACCOUNT_ID/5494373447", {}));
    auto get = co_await w.dfsp2.expect(method::get, "/parties/ACCOUNT_ID/5494373447");
    REQUIRE(get);
    CHECK(get->fields.value_or("FSPIOP-Source") == "dfsp1");

    // An account the mapper does not know: SPAR answers 400 ML-SPR-200, which the ALS takes
    // as an oracle that could not answer.
    co_await w.dfsp1.send(w.fspiop(), w.dfsp1.make(method::get, "/parties/ACCOUNT_ID/1", {}));
    auto missing = co_await w.dfsp1.expect(method::put, "/parties/ACCOUNT_ID/1/error");
    REQUIRE(missing);
    CHECK(error_code_in(*missing) == "2003");
    m.stop();
}

} // namespace

TEST_CASE("the mapper as the switch's external ALS oracle for ACCOUNT_ID", "[mapper][als]")
{
    run_async(mapper_as_oracle);
}

} // namespace mojasim::test
