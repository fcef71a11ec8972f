// PH-EE's identity-account-mapper face over real HTTP, with the bodies of
// shared/notes/account-mapper.md §2.
#include "tests/integration/mapper/mapper_fixture.hpp"

using namespace mojasim;
using namespace mojasim::test;

namespace {

constexpr auto ack_register =
    R"({"responseCode":"00","responseDescription":"Request successfully received by Pay-BB","requestID":"3f9c0a1b7d2e"})";

std::string const register_body = R"({"requestID":"3f9c0a1b7d2e","beneficiaries":[{"payeeIdentity":"0495822412",
 "paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"}]})";

/// The callback's new requestID: 12 digits.
bool twelve_digits(json::value const& v)
{
    if(!v.is_string() || v.get_string().size() != 12)
        return false;
    for(char c : v.get_string())
        if(c < '0' || c > '9')
            return false;
    return true;
}

mapper::mapper_config seeded(bool external = true)
{
    mapper::mapper_config c;
    c.external_lookup = external;
    mapper::entry e;
    e.institution = "greenbank";
    e.identity = "0495822412";
    e.modality = "01";
    e.financial_address = "000000007";
    e.bank = "bluebank";
    e.has_modality = true;
    c.seed.push_back(e);
    return c;
}

} // namespace

TEST_CASE("POST /beneficiary: 202 ack, then PUT to X-CallbackURL with CallbackRequestDTO", "[mapper][phee]")
{
    mapper_world w;
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::post, "/beneficiary", register_body, w.phee_headers("register"));
        CHECK(res.status == 202);
        CHECK(res.body == ack_register);
        auto cb = co_await w.callbacks.next();
        CHECK(cb.method == net::method::put);
        CHECK(cb.path == "/cb/register");
        CHECK(cb.content_type == "application/json");
        auto o = json::parse(cb.body).as_object();
        CHECK(twelve_digits(o.at("requestID")));
        CHECK(o.at("registerRequestID") == "3f9c0a1b7d2e");
        CHECK(o.at("numberFailedCases") == 0);
        CHECK(o.at("failedCases").as_array().empty());
        CHECK(o.size() == 4);

        // Again: already registered under this institution; another institution may have it.
        res = co_await w.call(net::method::post, "/beneficiary", register_body, w.phee_headers("again"));
        CHECK(res.status == 202);
        cb = co_await w.callbacks.next();
        o = json::parse(cb.body).as_object();
        CHECK(o.at("numberFailedCases") == 1);
        CHECK(json::serialize(o.at("failedCases")) ==
              R"([{"payeeIdentity":"0495822412","paymentModality":"01","failureReason":"Beneficiary already registered"}])");
        res = co_await w.call(net::method::post, "/beneficiary", register_body, w.phee_headers("other", "SocialWelfare"));
        cb = co_await w.callbacks.next();
        CHECK(json::parse(cb.body).at("numberFailedCases") == 0);
        CHECK(w.mapper->entries().size() == 2);
    };
    w.run(body());
}

TEST_CASE("POST /beneficiary refusals: headers, requestID, schema, nothing stored, no callback", "[mapper][phee]")
{
    mapper_world w;
    auto body = [&]() -> net::awaitable<void> {
        auto h = w.phee_headers("x");
        h.erase("X-CallbackURL");
        auto res = co_await w.call(net::method::post, "/beneficiary", register_body, h);
        CHECK(res.status == 400);
        auto e = json::parse(res.body).as_object();
        CHECK(e.at("errorDescription") == "The headers are invalid");
        for(auto const* k : {"errorCategory", "errorCode", "developerMessage", "defaultUserMessage", "errorParameters", "errors"})
            CHECK(e.contains(k));

        res = co_await w.call(net::method::post, "/beneficiary",
                              R"({"requestID":"1234567890123","beneficiaries":[{"payeeIdentity":"1"}]})", w.phee_headers("x"));
        CHECK(res.status == 400);
        CHECK(json::parse(res.body).at("errorCode") == "error.msg.schema.validation.errors");
        CHECK(json::parse(res.body).at("errorDescription") == "The request is invalid");
        res = co_await w.call(net::method::post, "/beneficiary", R"({"beneficiaries":[{"payeeIdentity":"1"}]})",
                              w.phee_headers("x"));
        CHECK(res.status == 400);
        res = co_await w.call(net::method::put, "/beneficiary", "{not json", w.phee_headers("x"));
        CHECK(res.status == 400);
        CHECK(w.mapper->entries().size() == 0);
        CHECK(w.callbacks.count() == 0);
    };
    w.run(body());
}

TEST_CASE("PUT /beneficiary, POST and PUT /paymentModality: failed cases by reason", "[mapper][phee]")
{
    mapper_world w(seeded());
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::post, "/beneficiary",
                                   R"({"requestID":"r1","beneficiaries":[{"payeeIdentity":"bare"}]})", w.phee_headers("reg"));
        CHECK(res.status == 202);
        auto first = co_await w.callbacks.next();
        CHECK(json::parse(first.body).at("numberFailedCases") == 0);

        res = co_await w.call(net::method::put, "/beneficiary",
                              R"({"requestID":"r2","beneficiaries":[
                                  {"payeeIdentity":"0495822412","paymentModality":"00","financialAddress":"acc-1","bankingInstitutionCode":"dfsp3"},
                                  {"payeeIdentity":"nobody","paymentModality":"01","financialAddress":"1","bankingInstitutionCode":"dfsp2"},
                                  {"payeeIdentity":"bare","paymentModality":"7","financialAddress":"1","bankingInstitutionCode":"dfsp2"}]})",
                              w.phee_headers("update"));
        CHECK(res.status == 202);
        CHECK(json::parse(res.body).at("requestID") == "r2");
        auto cb = co_await w.callbacks.next();
        CHECK(cb.path == "/cb/update");
        CHECK(json::serialize(json::parse(cb.body).at("failedCases")) ==
              R"([{"payeeIdentity":"nobody","paymentModality":"01","failureReason":"Beneficiary is not registered"},)"
              R"({"payeeIdentity":"bare","paymentModality":"7","failureReason":"Payment Modality Invalid"}])");

        // Add: bare has no modality yet; the seeded one has.
        res = co_await w.call(net::method::post, "/paymentModality",
                              R"({"requestID":"a-very-long-request-id-is-fine-here","beneficiaries":[
                                  {"payeeIdentity":"bare","paymentModality":"01","financialAddress":"0495000001","bankingInstitutionCode":"dfsp2"},
                                  {"payeeIdentity":"0495822412","paymentModality":"01","financialAddress":"1","bankingInstitutionCode":"dfsp2"}]})",
                              w.phee_headers("add"));
        CHECK(res.status == 202);
        cb = co_await w.callbacks.next();
        CHECK(json::serialize(json::parse(cb.body).at("failedCases")) ==
              R"([{"payeeIdentity":"0495822412","paymentModality":"01","failureReason":"Beneficiary already registered with other Modality"}])");

        res = co_await w.call(net::method::put, "/paymentModality",
                              R"({"requestID":"u","beneficiaries":[
                                  {"payeeIdentity":"bare","paymentModality":"03","financialAddress":"w-1","bankingInstitutionCode":"dfsp3"}]})",
                              w.phee_headers("modality", "otherbank"));
        cb = co_await w.callbacks.next();
        CHECK(json::serialize(json::parse(cb.body).at("failedCases")) ==
              R"([{"payeeIdentity":"bare","paymentModality":"03","failureReason":"Registering Institution Id Mismatch"}])");

        auto const* seeded_entry = w.mapper->entries().find("greenbank", "0495822412");
        REQUIRE(seeded_entry);
        CHECK(seeded_entry->modality == "00");
        CHECK(seeded_entry->bank == "dfsp3");
        CHECK(w.mapper->entries().find("greenbank", "bare")->financial_address == "0495000001");
    };
    w.run(body());
}

TEST_CASE("GET /beneficiary async: 202 ack, AccountLookupResponseDTO with requestId, unknown: no callback",
          "[mapper][phee]")
{
    mapper_world w(seeded());
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=0499999999&paymentModality=01&requestId=5520",
                                   "", w.phee_headers("single-unknown"));
        CHECK(res.status == 202);
        CHECK(res.body == R"({"responseCode":"00","responseDescription":"Request successfully received by Pay-BB","requestID":"5520"})");
        res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=0495822412&paymentModality=MSISDN&requestId=5521",
                              "", w.phee_headers("single"));
        CHECK(res.status == 202);
        auto cb = co_await w.callbacks.next();
        CHECK(cb.method == net::method::put);
        CHECK(cb.path == "/cb/single"); // the unknown payee's lookup never called back
        CHECK(cb.body ==
              R"({"requestId":"5521","payeeIdentity":"0495822412","paymentModalityList":[{"paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"}],"isValidated":true})");
        CHECK(w.callbacks.count() == 1);

        res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=0495822412&requestId=1", "", w.phee_headers("x"));
        CHECK(res.status == 400);
    };
    w.run(body());
}

TEST_CASE("GET /beneficiary sync (isExternalLookup false): 200, 500 ack-01 when unknown, 400 when not validated",
          "[mapper][phee]")
{
    mapper_world w(seeded(false));
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=0495822412&paymentModality=01&requestId=7",
                                   "", w.phee_headers("x"));
        CHECK(res.status == 200);
        CHECK(json::parse(res.body).at("requestId") == "7");
        CHECK(json::parse(res.body).at("isValidated") == true);
        res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=nobody&paymentModality=01&requestId=8", "",
                              w.phee_headers("x"));
        CHECK(res.status == 500);
        CHECK(res.body == R"({"responseCode":"01","responseDescription":"Request not acknowledged by Pay-BB","requestID":"8"})");
        res = co_await w.call(net::method::get, "/beneficiary?payeeIdentity=0495822412&paymentModality=CASH&requestId=9", "",
                              w.phee_headers("x"));
        CHECK(res.status == 400);
        CHECK(json::parse(res.body).at("responseCode") == "01");
        CHECK(w.callbacks.count() == 0);
    };
    w.run(body());
}

TEST_CASE("POST /accountLookup: 202 ack, then the found payees only (PH-EE's example exchange)", "[mapper][phee]")
{
    mapper_world w(seeded());
    auto body = [&]() -> net::awaitable<void> {
        auto res = co_await w.call(net::method::post, "/accountLookup",
                                   R"({"requestID":"2251799813685291","sourceBBID":"greenbank","beneficiaries":[
 {"payeeIdentity":"0495822412","paymentModality":"","financialAddress":"","bankingInstitutionCode":""},
 {"payeeIdentity":"0499999999","paymentModality":"","financialAddress":"","bankingInstitutionCode":""}]})",
                                   w.phee_headers("batch"));
        CHECK(res.status == 202);
        CHECK(res.body ==
              R"({"responseCode":"00","responseDescription":"Request successfully received by Pay-BB","requestID":"2251799813685291"})");
        auto cb = co_await w.callbacks.next();
        CHECK(cb.method == net::method::put);
        CHECK(cb.body ==
              R"({"requestID":"2251799813685291","registeringInstitutionId":"greenbank","beneficiaryDTOList":[{"payeeIdentity":"0495822412","paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"}]})");

        // Another institution knows nobody.
        res = co_await w.call(net::method::post, "/accountLookup",
                              R"({"requestID":"1","beneficiaries":[{"payeeIdentity":"0495822412"}]})",
                              w.phee_headers("batch2", "SocialWelfare"));
        cb = co_await w.callbacks.next();
        CHECK(cb.body == R"({"requestID":"1","registeringInstitutionId":"SocialWelfare","beneficiaryDTOList":[]})");

        // The mapper's own callback endpoints answer "Accepted".
        res = co_await w.call(net::method::put, "/batchAccountLookupCallback", cb.body);
        CHECK(res.status == 200);
        CHECK(res.body == "Accepted");
    };
    w.run(body());
}

TEST_CASE("GET /beneficiaries/{id} and the paged list", "[mapper][phee]")
{
    mapper_world w(seeded());
    auto body = [&]() -> net::awaitable<void> {
        std::map<std::string, std::string> const greenbank{{"X-Registering-Institution-ID", "greenbank"}};
        std::map<std::string, std::string> const blank{{"X-Registering-Institution-ID", " "}};
        auto res = co_await w.call(net::method::get, "/beneficiaries/0495822412", "",
                                   greenbank);
        CHECK(res.status == 200);
        CHECK(res.body ==
              R"({"registeringInstitutionId":"greenbank","payeeIdentity":"0495822412","paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"})");
        res = co_await w.call(net::method::get, "/beneficiaries/nobody", "", greenbank);
        CHECK(res.status == 200);
        CHECK(res.body ==
              R"({"registeringInstitutionId":null,"payeeIdentity":null,"paymentModality":null,"financialAddress":null,"bankingInstitutionCode":null})");
        res = co_await w.call(net::method::get, "/beneficiaries/0495822412", "", blank);
        CHECK(res.status == 400);
        CHECK(res.body.empty());
        res = co_await w.call(net::method::get, "/beneficiaries?page=0&pageSize=20", "",
                              greenbank);
        CHECK(res.status == 200);
        auto page = json::parse(res.body).as_object();
        CHECK(page.at("totalElements") == 1);
        CHECK(page.at("content").as_array().at(0).at("financialAddress") == "000000007");
    };
    w.run(body());
}
