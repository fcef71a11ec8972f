// The account mapper's pure parts: the store, PH-EE's rules and bodies, G2P Connect's.
#include "simulator/mapper/g2p.hpp"
#include "simulator/mapper/phee.hpp"
#include "simulator/mapper/serve.hpp"
#include "simulator/mapper/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace mojasim::mapper;
namespace json = boost::json;

namespace {

entry seeded(std::string institution, std::string identity, std::string modality, std::string fa, std::string bank)
{
    entry e;
    e.institution = std::move(institution);
    e.identity = std::move(identity);
    e.modality = std::move(modality);
    e.financial_address = std::move(fa);
    e.bank = std::move(bank);
    e.has_modality = true;
    return e;
}

phee::beneficiary_dto ben(std::optional<std::string> id, std::optional<std::string> mod = std::nullopt,
                          std::optional<std::string> fa = std::nullopt, std::optional<std::string> bank = std::nullopt)
{
    return phee::beneficiary_dto{std::move(id), std::move(mod), std::move(fa), std::move(bank)};
}

} // namespace

TEST_CASE("store: keyed by institution and identity, G2P ids find PH-EE entries by value", "[mapper]")
{
    store s;
    CHECK(s.insert(seeded("greenbank", "1234567890", "01", "0495822412", "dfsp2")));
    CHECK_FALSE(s.insert(seeded("greenbank", "1234567890", "00", "x", "y")));
    CHECK(s.insert(seeded("otherbank", "1234567890", "00", "acc-1", "dfsp3")));
    CHECK(s.size() == 2);
    REQUIRE(s.find("greenbank", "1234567890"));
    CHECK(s.find("greenbank", "1234567890")->financial_address == "0495822412");
    CHECK(s.find("bluebank", "1234567890") == nullptr);

    auto const* r = s.resolve_id("token:1234567890@nationalId");
    REQUIRE(r);
    CHECK(fa_of(*r) == "mobile:0495822412@dfsp2");
    CHECK(s.resolve_id("token:999@nationalId") == nullptr);
    CHECK(s.resolve_fa("mobile:0495822412@dfsp2") == r);
    CHECK(s.resolve_fa("mobile:0495822412@") == r); // SPAR's LIKE match
    CHECK(s.resolve_fa("mobile:0495822412") == nullptr);
    CHECK(s.erase("otherbank", "1234567890"));
    CHECK_FALSE(s.erase("otherbank", "1234567890"));
}

TEST_CASE("FA forms: split, compose and read SPAR's dotted providers", "[mapper]")
{
    auto p = split_fa("account:5494373447@indigo.dfsp2.bank_acc");
    REQUIRE(p);
    CHECK(p->type == "account");
    CHECK(p->value == "5494373447");
    CHECK(p->provider == "indigo.dfsp2.bank_acc");
    CHECK_FALSE(split_fa("no-colon@x"));
    CHECK_FALSE(split_fa("a:b"));

    entry e;
    set_from_fa(e, "account:5494373447@indigo.dfsp2.bank_acc");
    CHECK(e.modality == "00");
    CHECK(e.bank == "dfsp2");
    set_from_fa(e, "account:0495822412@testingtoolkitdfsp.wallet");
    CHECK(e.bank == "testingtoolkitdfsp");
    set_from_fa(e, "mobile:0495822412@dfsp2");
    CHECK(e.modality == "01");
    CHECK(e.financial_address == "0495822412");
    CHECK(e.bank == "dfsp2");
    CHECK(fa_of(e) == "mobile:0495822412@dfsp2");

    CHECK(modality_code("MSISDN") == "01");
    CHECK(modality_code("04") == "04");
    CHECK_FALSE(modality_code("05"));
    CHECK_FALSE(valid_modality("1"));
}

TEST_CASE("PH-EE register: each failure reason, the others saved, nulls accepted", "[mapper][phee]")
{
    store s;
    s.insert(seeded("greenbank", "known", "01", "1", "dfsp2"));
    phee::request_dto r;
    r.request_id = "3f9c0a1b7d2e";
    r.beneficiaries = {ben("known", "01", "2", "dfsp2"),
                       ben("", "01", "2", "dfsp2"),
                       ben("123456789012345678901", "01", "2", "dfsp2"),
                       ben("nobank", "00", "2", ""),
                       ben("longbank", "03", "2", "123456789012"),
                       ben("longfa", "01", std::string(31, '9'), "dfsp2"),
                       ben("x"),                              // nulls: registered, 0 failures
                       ben("voucher", "04", "v-1", std::nullopt), // no bank needed
                       ben("badmode", "09", "1", std::nullopt)};  // register does not check the modality
    auto failed = phee::apply(s, "greenbank", r, phee::operation::register_beneficiary);
    REQUIRE(failed.size() == 6);
    CHECK(failed[0].failure_reason == "Beneficiary already registered");
    CHECK(failed[1].failure_reason == "Payee Identity Invalid");
    CHECK(failed[2].failure_reason == "Payee Identity Invalid");
    CHECK(failed[3].failure_reason == "Banking Institution Code Invalid");
    CHECK(failed[4].failure_reason == "Banking Institution Code Invalid");
    CHECK(failed[5].failure_reason == "Financial Address Invalid");
    CHECK(s.find("greenbank", "x"));
    CHECK(s.find("greenbank", "voucher"));
    CHECK(s.find("greenbank", "badmode"));
    CHECK(s.find("greenbank", "known")->financial_address == "1"); // unchanged
    CHECK(s.size() == 4);

    CHECK(phee::callback_body("172173456789", r.request_id, {}) ==
          R"({"requestID":"172173456789","registerRequestID":"3f9c0a1b7d2e","numberFailedCases":0,"failedCases":[]})");
    CHECK(phee::callback_body("172173456789", r.request_id, {failed[0]}) ==
          R"({"requestID":"172173456789","registerRequestID":"3f9c0a1b7d2e","numberFailedCases":1,"failedCases":[{"payeeIdentity":"known","paymentModality":"01","failureReason":"Beneficiary already registered"}]})");
}

TEST_CASE("PH-EE update and modality: not registered, mismatch, invalid modality, other modality", "[mapper][phee]")
{
    store s;
    s.insert(seeded("greenbank", "p1", "01", "0495822412", "dfsp2"));
    entry bare;
    bare.institution = "greenbank";
    bare.identity = "p2";
    s.insert(bare);
    s.insert(seeded("otherbank", "p3", "01", "1", "dfsp2"));

    phee::request_dto r;
    r.request_id = "r1";
    r.beneficiaries = {ben("nobody", "01", "1", "dfsp2"), ben("p3", "01", "1", "dfsp2"), ben("p1", "07", "1", "dfsp2"),
                       ben("p1", "00", "acc-9", "dfsp3")};
    auto failed = phee::apply(s, "greenbank", r, phee::operation::update_beneficiary);
    REQUIRE(failed.size() == 3);
    CHECK(failed[0].failure_reason == "Beneficiary is not registered");
    CHECK(failed[1].failure_reason == "Registering Institution Id Mismatch");
    CHECK(failed[2].failure_reason == "Payment Modality Invalid");
    CHECK(s.find("greenbank", "p1")->modality == "00");
    CHECK(s.find("greenbank", "p1")->bank == "dfsp3");

    phee::request_dto add;
    add.beneficiaries = {ben("p1", "01", "1", "dfsp2"), ben("p2", "01", "0495000001", "dfsp2")};
    failed = phee::apply(s, "greenbank", add, phee::operation::add_modality);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].failure_reason == "Beneficiary already registered with other Modality");
    CHECK(s.find("greenbank", "p2")->financial_address == "0495000001");
}

TEST_CASE("PH-EE bodies: ack, batch lookup (found only), single lookup with requestId", "[mapper][phee]")
{
    CHECK(phee::ack_body(true, std::string("2251799813685291")) ==
          R"({"responseCode":"00","responseDescription":"Request successfully received by Pay-BB","requestID":"2251799813685291"})");
    CHECK(phee::ack_body(false, std::nullopt) ==
          R"({"responseCode":"01","responseDescription":"Request not acknowledged by Pay-BB","requestID":null})");

    store s;
    s.insert(seeded("greenbank", "0495822412", "01", "000000007", "bluebank"));
    auto r = phee::decode_request(
        R"({"requestID":"2251799813685291","sourceBBID":"greenbank","beneficiaries":[
 {"payeeIdentity":"0495822412","paymentModality":"","financialAddress":"","bankingInstitutionCode":""},
 {"payeeIdentity":"0499999999","paymentModality":"","financialAddress":"","bankingInstitutionCode":""}]})");
    REQUIRE(r);
    CHECK(phee::batch_lookup_body(r->request_id, "greenbank", s, *r) ==
          R"({"requestID":"2251799813685291","registeringInstitutionId":"greenbank","beneficiaryDTOList":[{"payeeIdentity":"0495822412","paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"}]})");
    CHECK(phee::single_lookup_body("5521", *s.find("greenbank", "0495822412"), false) ==
          R"({"requestId":"5521","payeeIdentity":"0495822412","paymentModalityList":[{"paymentModality":"01","financialAddress":"000000007","bankingInstitutionCode":"bluebank"}],"isValidated":false})");

    auto back = phee::decode_batch_lookup(phee::batch_lookup_body(r->request_id, "greenbank", s, *r));
    REQUIRE(back);
    REQUIRE(back->beneficiaries.size() == 1);
    CHECK(back->beneficiaries[0].banking_institution_code == "bluebank");

    CHECK_FALSE(phee::decode_request("[1]"));
    CHECK_FALSE(phee::decode_request(R"({"beneficiaries":{}})"));
    CHECK_FALSE(phee::decode_request("{"));
    CHECK(phee::valid_request_id(std::string("123456789012")));
    CHECK_FALSE(phee::valid_request_id(std::string("1234567890123")));
    CHECK_FALSE(phee::valid_request_id(std::nullopt));
}

namespace {

std::string g2p_request(std::string action, std::string entries, std::string sender_uri = "")
{
    return R"({"signature":"sig","header":{"version":"0.1.0","message_id":"m-1","message_ts":"2024-05-01T10:00:00","action":")"
        + action + R"(","sender_id":"registry.example.org","sender_uri":")" + sender_uri
        + R"(","receiver_id":"pymts.example.org","total_count":1,"is_msg_encrypted":false},"message":{"transaction_id":"t-1",")"
        + action + "_request\":" + entries + "}}";
}

json::object run(store& s, std::string action, std::string entries)
{
    auto e = g2p::parse(g2p_request(action, entries), action);
    REQUIRE(e);
    g2p::answer_options o;
    o.correlation_id = "c-1";
    o.now = "2024-05-01T10:00:01.000Z";
    return json::parse(g2p::process(s, *e, o)).as_object();
}

} // namespace

TEST_CASE("G2P Connect link, update, resolve, unlink on the store", "[mapper][g2p]")
{
    store s;
    auto a = run(s, "link",
                 R"([{"reference_id":"r-1","timestamp":"2024-05-01T10:00:00","id":"token:abc@nationalId","fa":"account:5494373447@indigo.dfsp2.bank_acc","name":"Jane","phone_number":null,"locale":"eng"}])");
    CHECK(a.at("signature") == "sig");
    CHECK(a.at("header").at("status") == "succ");
    CHECK(a.at("header").at("action") == "link");
    CHECK(a.at("header").at("sender_id") == "spar.dev.openg2p.net");
    CHECK(a.at("header").at("receiver_id") == "registry.example.org");
    CHECK(a.at("message").at("correlation_id") == "c-1");
    auto link = a.at("message").at("link_response").as_array().at(0).as_object();
    CHECK(link.at("status") == "succ");
    CHECK(link.at("fa") == "account:5494373447@indigo.dfsp2.bank_acc");
    CHECK(link.at("status_reason_code").is_null());
    CHECK_FALSE(link.contains("id"));

    // A duplicate id: every entry failed -> header rjct.
    a = run(s, "link", R"([{"reference_id":"r-2","timestamp":"t","id":"token:abc@nationalId","fa":"mobile:1@dfsp2"}])");
    CHECK(a.at("header").at("status") == "rjct");
    CHECK(a.at("header").at("status_reason_code") == "rjct.errors.too_many");
    CHECK(a.at("header").at("status_reason_message") == "All requests in transaction failed.");
    link = a.at("message").at("link_response").as_array().at(0).as_object();
    CHECK(link.at("status_reason_code") == "rjct.id.invalid");
    CHECK(link.at("status_reason_message") == "Duplicate ID exists. Use 'update' instead.");

    a = run(s, "resolve", R"([{"reference_id":"r-3","timestamp":"t","fa":"","id":"token:abc@nationalId","scope":"details","locale":"en"}])");
    auto res = a.at("message").at("resolve_response").as_array().at(0).as_object();
    CHECK(res.at("status") == "succ");
    CHECK(res.at("status_reason_code") == "succ.id.active");
    CHECK(res.at("fa") == "account:5494373447@indigo.dfsp2.bank_acc");
    CHECK(res.at("id") == "token:abc@nationalId");
    CHECK(res.at("locale") == "en");

    // yes_no: no details.
    a = run(s, "resolve", R"([{"reference_id":"r-4","timestamp":"t","id":"token:abc@nationalId","scope":"yes_no"}])");
    res = a.at("message").at("resolve_response").as_array().at(0).as_object();
    CHECK(res.at("status_reason_code") == "succ.id.active");
    CHECK(res.at("fa").is_null());

    // Not found: succ with succ.id.not_found; by FA; FA not linked to the id.
    a = run(s, "resolve", R"([{"reference_id":"r-5","timestamp":"t","id":"token:zzz@nationalId"},
                              {"reference_id":"r-6","timestamp":"t","fa":"account:5494373447@"},
                              {"reference_id":"r-7","timestamp":"t","fa":"mobile:9@x","id":"token:abc@nationalId"},
                              {"reference_id":"r-8","timestamp":"t"}])");
    auto const& list = a.at("message").at("resolve_response").as_array();
    REQUIRE(list.size() == 3); // SPAR drops the entry with neither id nor fa
    CHECK(list[0].at("status") == "succ");
    CHECK(list[0].at("status_reason_code") == "succ.id.not_found");
    CHECK(list[0].at("status_reason_message") == "Mapping not found against given ID.");
    CHECK(list[0].at("fa").is_null());
    CHECK(list[1].at("status_reason_code") == "succ.fa.active");
    CHECK(list[1].at("id") == "token:abc@nationalId");
    CHECK(list[2].at("status_reason_code") == "succ.fa.not_linked_to_id");
    CHECK(a.at("header").at("total_count") == 4);
    CHECK(a.at("header").at("completed_count") == 3);

    a = run(s, "update", R"([{"reference_id":"r-9","timestamp":"t","id":"token:abc@nationalId","fa":"mobile:0495822412@dfsp3"},
                             {"reference_id":"r-10","timestamp":"t","id":"token:nope@nationalId","fa":"mobile:1@dfsp3"}])");
    auto const& upd = a.at("message").at("update_response").as_array();
    CHECK(upd[0].at("status") == "succ");
    CHECK(upd[0].at("id") == "token:abc@nationalId");
    CHECK(upd[1].at("status") == "rjct");
    CHECK(upd[1].at("status_reason_message") == "Mapping doesnt exist against given ID. Use 'link' instead.");
    CHECK(a.at("header").at("status") == "succ");
    CHECK(s.find("", "token:abc@nationalId")->bank == "dfsp3");

    a = run(s, "unlink", R"([{"reference_id":"r-11","timestamp":"t","id":"token:abc@nationalId"}])");
    CHECK(a.at("message").at("unlink_response").as_array().at(0).at("status") == "succ");
    CHECK(s.size() == 0);
}

TEST_CASE("G2P Connect refusals: pydantic 422 and MPR-REQ-400, nothing changed", "[mapper][g2p]")
{
    auto e = g2p::parse(g2p_request("link", "[]"), "resolve");
    REQUIRE_FALSE(e);
    CHECK(e.error().status == 400);
    CHECK(e.error().body == R"({"errors":[{"code":"MPR-REQ-400","message":"Received Invalid action in header for 'resolve'."}]})");

    e = g2p::parse(R"({"header":{},"message":{}})", "resolve");
    REQUIRE_FALSE(e);
    CHECK(e.error().status == 422);
    CHECK(e.error().body == R"({"detail":[{"loc":["body","signature"],"msg":"field required","type":"value_error.missing"}]})");

    e = g2p::parse(g2p_request("link", R"([{"reference_id":"r","timestamp":"t","id":"x"}])"), "link");
    REQUIRE_FALSE(e);
    CHECK(e.error().status == 422);
    CHECK(e.error().body == R"({"detail":[{"loc":["body","message","link_request",0,"fa"],"msg":"field required","type":"value_error.missing"}]})");

    e = g2p::parse("{nope", "link");
    REQUIRE_FALSE(e);
    CHECK(e.error().status == 422);
}

TEST_CASE("G2P Connect client side: a resolve request and the FA of its answer", "[mapper][g2p]")
{
    store s;
    s.insert(seeded("greenbank", "1234567890", "01", "0495822412", "dfsp2"));
    auto req = g2p::resolve_request("m-9", "t-9", "token:1234567890@nationalId", "2024-05-01T10:00:00.000Z");
    auto e = g2p::parse(req, "resolve");
    REQUIRE(e);
    g2p::answer_options o;
    o.correlation_id = "c";
    o.now = "n";
    auto answer = g2p::process(s, *e, o);
    CHECK(g2p::resolved_fa(answer) == "mobile:0495822412@dfsp2");

    auto unknown = g2p::parse(g2p::resolve_request("m", "t", "token:0@nationalId", "n"), "resolve");
    REQUIRE(unknown);
    CHECK_FALSE(g2p::resolved_fa(g2p::process(s, *unknown, o)));
    CHECK_FALSE(g2p::resolved_fa("not json"));
}

TEST_CASE("mapper config: keys, entries in both forms, unknown keys named", "[mapper]")
{
    auto c = parse_mapper_config(R"(mapper:
  port: 0
  external_lookup: false
  lose_batch_callbacks: true
  entries:
    - { institution: greenbank, identity: "NID-1", modality: MSISDN, financial_address: "0495000001", bank: dfsp2 }
    - { identity: "token:abc@nationalId", fa: "account:5494373447@indigo.dfsp3.bank_acc" }
)");
    CHECK(c.port == 0);
    CHECK_FALSE(c.external_lookup);
    CHECK(c.lose_batch_callbacks);
    REQUIRE(c.seed.size() == 2);
    CHECK(c.seed[0].modality == "01");
    CHECK(c.seed[1].bank == "dfsp3");
    CHECK(c.seed[1].institution.empty());
    CHECK_THROWS_WITH(parse_mapper_config("prot: 1", "m.yaml"), Catch::Contains("m.yaml:1:1: unknown key 'prot'"));
    CHECK_THROWS_WITH(parse_mapper_config("entries: [{identity: x, modality: '09'}]"),
                      Catch::Contains("entries[0].modality must be 00 to 04"));
    CHECK_THROWS_WITH(parse_mapper_config("entries: [{bank: x}]"), Catch::Contains("entries[0].identity is required"));
}

TEST_CASE("SPAR's ALS oracle: ACCOUNT_ID only, FA account:{id}@, fspId the entry's bank", "[mapper][g2p]")
{
    store s;
    entry linked;
    linked.identity = "token:abc@nationalId";
    set_from_fa(linked, "account:5494373447@indigo.dfsp2.bank_acc");
    s.insert(linked);
    entry voucher;
    voucher.identity = "token:v@nationalId";
    set_from_fa(voucher, "account:777@");
    s.insert(voucher);

    auto a = g2p::als_participants(s, "ACCOUNT_ID", "5494373447");
    CHECK(a.status == 200);
    CHECK(a.body == R"({"partyList":[{"fspId":"dfsp2"}]})");
    a = g2p::als_participants(s, "MSISDN", "5494373447");
    CHECK(a.status == 400);
    CHECK(a.body == R"({"errorInformation":{"errorCode":"ML-SPR-100","errorDescription":"Given type is not supported by this oracle."}})");
    a = g2p::als_participants(s, "ACCOUNT_ID", "1");
    CHECK(a.status == 400);
    CHECK(a.body.find("ML-SPR-200") != std::string::npos);
    a = g2p::als_participants(s, "ACCOUNT_ID", "777");
    CHECK(a.body.find("ML-SPR-300") != std::string::npos);
}
