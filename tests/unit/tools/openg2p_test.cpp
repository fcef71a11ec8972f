#include "tools/openg2p/openg2p_client.hpp"

#include <catch2/catch.hpp>

using namespace mojasim;

namespace {

openg2p::payment make(std::string name, std::string msisdn, std::string amount)
{
    openg2p::payment p;
    p.name = std::move(name);
    p.payee_id_type = "PHONE";
    p.payee_identifier = std::move(msisdn);
    p.amount = *core::decimal::parse(amount);
    return p;
}

} // namespace

TEST_CASE("amounts are written as Python floats")
{
    CHECK(openg2p::python_float(*core::decimal::parse("50")) == "50.0");
    CHECK(openg2p::python_float(*core::decimal::parse("12.5")) == "12.5");
    CHECK(openg2p::python_float(*core::decimal::parse("0.25")) == "0.25");
}

TEST_CASE("the CSV is OpenG2P's: header, 0-based ids, CRLF, minimal quoting")
{
    openg2p::options o;
    o.note = "Program: Food, Shelter. Cycle ID - Cycle \"1\"";
    std::vector<openg2p::payment> ps{make("9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60", "0495822412", "50"),
                                     make("0c7d9e3f-2a1b-4c5d-9e8f-7a6b5c4d3e21", "0424942603", "12.5")};
    std::vector<openg2p::payment const*> const rows{&ps[0], &ps[1]};
    auto const csv = openg2p::build_csv(o, rows);
    CHECK(csv ==
          "id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,payee_identifier,"
          "amount,currency,note\r\n"
          "0,9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60,MOJALOOP,msisdn,0413356886,PHONE,0495822412,50.0,USD,"
          "\"Program: Food, Shelter. Cycle ID - Cycle \"\"1\"\"\"\r\n"
          "1,0c7d9e3f-2a1b-4c5d-9e8f-7a6b5c4d3e21,MOJALOOP,msisdn,0413356886,PHONE,0424942603,12.5,USD,"
          "\"Program: Food, Shelter. Cycle ID - Cycle \"\"1\"\"\"\r\n");
}

TEST_CASE("the upload is one multipart part named data without a part Content-Type")
{
    auto const body = openg2p::build_multipart("abc123", "ph_ee_x.csv", "id\r\n");
    CHECK(body == "--abc123\r\nContent-Disposition: form-data; name=\"data\"; filename=\"ph_ee_x.csv\"\r\n\r\n"
                  "id\r\n\r\n--abc123--\r\n");
}
