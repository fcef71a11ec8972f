// PH-EE's upload checks: every 400 of the research note §4.1 with its exact body, the order
// they run in, strict and lenient Type, raw JSON uploads, and the rows of a CSV.
#include "payment-hub/upload.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace mojasim;
using namespace mojasim::hub;

namespace {

std::string reference(std::string const& name)
{
    std::ifstream in(std::string(MOJASIM_REFERENCE_DIR) + "/payment-hub/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string multipart(std::string const& csv, std::string const& filename = "ph_ee_b.csv",
                      std::string const& part = "data")
{
    return "--5e1c\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\"" + filename
        + "\"\r\n\r\n" + csv + "\r\n--5e1c--\r\n";
}

/// OpenG2P's request, as §2.4 reconstructs it. The request views `body`: pass a named string.
upload_request openg2p(std::string const& body)
{
    upload_request r;
    r.correlation_id = "6b7f3a52-1c8e-4b8b-9d4e-3f1f0a9c2d10";
    r.purpose = "G2P Payment";
    r.type = "csv";
    r.tenant = "greenbank";
    r.filename = "ph_ee_b.csv";
    r.content_type = "multipart/form-data; boundary=5e1c";
    r.body = body;
    r.path = "/batchtransactions";
    return r;
}

core::time_point const now{std::chrono::milliseconds(1714557600123)};

std::string rejected_body(upload_result const& r, unsigned status = 400)
{
    auto const* rej = std::get_if<rejected_upload>(&r);
    REQUIRE(rej != nullptr);
    CHECK(rej->status == status);
    return rej->body;
}

std::vector<input_row> rows_of(upload_result const& r)
{
    auto const* up = std::get_if<accepted_upload>(&r);
    REQUIRE(up != nullptr);
    std::vector<input_row> out;
    for_each_row(*up, [&](input_row const& row) { out.push_back(row); });
    return out;
}

} // namespace

TEST_CASE("upload: OpenG2P's reconstructed CSV is accepted with every row", "[hub][upload]")
{
    auto const csv = reference("openg2p-phee-batch-reconstructed.csv");
    auto const body = multipart(csv);
    auto const result = validate_upload(openg2p(body), {}, now);
    auto const rows = rows_of(result);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].request_id == "9a2e6c1e-5f0b-4d8e-8f7a-1c2b3d4e5f60");
    CHECK(rows[0].payment_mode == "MOJALOOP");
    CHECK(rows[0].payer_identifier == "0413356886");
    CHECK(rows[0].payee_identifier == "0495822412");
    CHECK(rows[0].amount == "50.0");
    CHECK(rows[0].currency == "USD");
    CHECK(rows[2].note == "Program: Food, Shelter. Cycle ID - Cycle 1");
    for(auto const& r : rows)
        CHECK_FALSE(r.malformed);
    CHECK(std::get<accepted_upload>(result).filename == "ph_ee_b.csv");
}

TEST_CASE("upload: the PH-EE demo CSVs pass the checks", "[hub][upload]")
{
    for(auto name : {"ph-ee-bulk-demo-5.csv", "ph-ee-bulk-demo-6.csv", "ph-ee-bulk-demo-11.csv"})
    {
        auto const body = multipart(reference(name), name);
        auto const rows = rows_of(validate_upload(openg2p(body), {}, now));
        CHECK(rows.size() == (std::string(name) == "ph-ee-bulk-demo-5.csv" ? 12U : 5U));
    }
}

TEST_CASE("upload: missing required headers get Spring's 400", "[hub][upload]")
{
    auto const body = multipart("id,amount\r\n0,1\r\n");
    for(auto field : {&upload_request::correlation_id, &upload_request::purpose, &upload_request::type,
                      &upload_request::tenant})
    {
        auto req = openg2p(body);
        (req.*field).reset();
        CHECK(rejected_body(validate_upload(req, {}, now))
              == R"({"timestamp":"2024-05-01T10:00:00.123+00:00","status":400,"error":"Bad Request","path":"/batchtransactions"})");
    }
}

TEST_CASE("upload: Type must be csv for multipart and raw otherwise, in strict mode", "[hub][upload]")
{
    auto const body = multipart("id,amount\r\n0,1\r\n");
    auto req = openg2p(body);
    req.type = "type"; // OpenG2P's default
    CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
    req.type = "raw";
    CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
    req.type = "CSV"; // case-insensitive
    CHECK(std::holds_alternative<accepted_upload>(validate_upload(req, {}, now)));

    std::string const empty_array = "[]";
    auto json = openg2p(empty_array);
    json.content_type = "application/json";
    json.type = "csv";
    CHECK(rejected_body(validate_upload(json, {}, now)) == phee_body::file_not_uploaded);
}

TEST_CASE("upload: lenient mode accepts OpenG2P's default Type: type", "[hub][upload]")
{
    auto const body = multipart("id,request_id,amount,extra_column\r\n0,r1,5\r\n");
    auto req = openg2p(body);
    req.type = "type";
    upload_options lenient;
    lenient.lenient_type = true;
    auto const rows = rows_of(validate_upload(req, lenient, now));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].request_id == "r1");
    // ...and skips the column check, which strict mode applies.
    req.type = "csv";
    CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::invalid_file_structure);
}

TEST_CASE("upload: the multipart checks answer 'File not uploaded'", "[hub][upload]")
{
    auto const csv = std::string("id,amount\r\n0,1\r\n");
    SECTION("empty filename header")
    {
        auto const body = multipart(csv);
        auto req = openg2p(body);
        req.filename = "";
        CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
        req.filename.reset();
        CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
    }
    SECTION("no boundary")
    {
        auto const body = multipart(csv);
        auto req = openg2p(body);
        req.content_type = "multipart/form-data";
        CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
    }
    SECTION("malformed body")
    {
        std::string const body = "--5e1c\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nid\r\n";
        auto req = openg2p(body);
        CHECK(rejected_body(validate_upload(req, {}, now)) == phee_body::file_not_uploaded);
    }
    SECTION("no part named data")
    {
        auto const body = multipart(csv, "x.csv", "file");
        CHECK(rejected_body(validate_upload(openg2p(body), {}, now)) == phee_body::file_not_uploaded);
    }
    SECTION("an empty file")
    {
        auto const body = std::string("--5e1c\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.csv\"\r\n\r\n\r\n--5e1c--\r\n");
        CHECK(rejected_body(validate_upload(openg2p(body), {}, now)) == phee_body::file_not_uploaded);
    }
}

TEST_CASE("upload: a file that is not a .csv is 'Broken file'", "[hub][upload]")
{
    auto const body = multipart("id,amount\r\n0,1\r\n", "payments.txt");
    CHECK(rejected_body(validate_upload(openg2p(body), {}, now)) == phee_body::broken_file);
    auto const upper = multipart("id,amount\r\n0,1\r\n", "PAYMENTS.CSV");
    CHECK(std::holds_alternative<accepted_upload>(validate_upload(openg2p(upper), {}, now)));
}

TEST_CASE("upload: a file over the size limit is 'File too big'", "[hub][upload]")
{
    std::string csv = "id,amount\r\n";
    while(csv.size() <= 100000)
        csv += "0,1\r\n";
    auto const body = multipart(csv);
    upload_options phee;
    phee.max_file_bytes = 100000;
    CHECK(rejected_body(validate_upload(openg2p(body), phee, now)) == phee_body::file_too_big);
    phee.max_file_bytes = csv.size();
    CHECK(std::holds_alternative<accepted_upload>(validate_upload(openg2p(body), phee, now)));
}

TEST_CASE("upload: a header column outside PH-EE's list is 'Invalid file structure'", "[hub][upload]")
{
    // BD-006: "paymentmode" instead of "payment_mode".
    auto const bad = multipart("id,request_id,paymentmode,amount\r\n0,r,MOJALOOP,1\r\n");
    CHECK(rejected_body(validate_upload(openg2p(bad), {}, now)) == phee_body::invalid_file_structure);
    CHECK(phee_body::invalid_file_structure
          == R"({"Error Information: ":"Invalid file structure","Error Description : ":"The file uploaded contains wrong structure. Please upload correct file columns and try again."})");

    // Any order and any subset of the allowed columns is fine, extra ones too.
    auto const good = multipart("batch_id,cycle,amount,id\r\n1,2,3,4\r\n");
    CHECK(std::holds_alternative<accepted_upload>(validate_upload(openg2p(good), {}, now)));

    // The check is PH-EE's naive split: a quoted header name fails it.
    auto const quoted = multipart("\"id\",amount\r\n0,1\r\n");
    CHECK(rejected_body(validate_upload(openg2p(quoted), {}, now)) == phee_body::invalid_file_structure);
}

TEST_CASE("upload: rows with the wrong number of fields are marked, not refused", "[hub][upload]")
{
    auto const body = multipart("id,request_id,amount\r\n0,a,5\r\n1,b\r\n2,c,7,extra\r\n3,\"d\r\n");
    auto const rows = rows_of(validate_upload(openg2p(body), {}, now));
    REQUIRE(rows.size() == 4);
    CHECK_FALSE(rows[0].malformed);
    CHECK(rows[1].malformed);
    CHECK(rows[1].amount.empty());
    CHECK(rows[2].malformed);
    CHECK(rows[3].malformed);
}

TEST_CASE("upload: Type raw takes a JSON array of BatchRequestDTO", "[hub][upload]")
{
    std::string const json = R"([
      {"requestId":"r-1","creditParty":[{"key":"MSISDN","value":"0495822412"}],
       "debitParty":[{"key":"MSISDN","value":"0413356886"}],"paymentMode":"mojaloop",
       "amount":"10","currency":"USD","descriptionText":"raw one"},
      {"creditParty":[{"key":"MSISDN","value":"0424942603"}],"subType":"MOJALOOP","amount":12.5,"currency":"USD"},
      7
    ])";
    auto req = openg2p(json);
    req.content_type = "application/json";
    req.type = "raw";
    req.filename.reset();
    auto const result = validate_upload(req, {}, now);
    CHECK(std::get<accepted_upload>(result).raw);
    auto const rows = rows_of(result);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].request_id == "r-1");
    CHECK(rows[0].payee_identifier_type == "MSISDN");
    CHECK(rows[0].payee_identifier == "0495822412");
    CHECK(rows[0].payer_identifier == "0413356886");
    CHECK(rows[0].payment_mode == "mojaloop");
    CHECK(rows[0].note == "raw one");
    CHECK(rows[1].request_id.empty());
    CHECK(rows[1].payment_mode == "MOJALOOP");
    CHECK(rows[1].amount == "12.5");
    CHECK(rows[2].malformed);

    auto broken = req;
    broken.body = "{not json";
    CHECK(rejected_body(validate_upload(broken, {}, now), 500)
          == R"({"timestamp":"2024-05-01T10:00:00.123+00:00","status":500,"error":"Internal Server Error","path":"/batchtransactions"})");
}

TEST_CASE("upload: mangled bodies never crash and end in an answer PH-EE would give", "[hub][upload]")
{
    auto const csv = reference("openg2p-phee-batch-reconstructed.csv");
    auto const good = multipart(csv);
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    std::vector<std::string> const bodies{std::string(phee_body::file_not_uploaded), std::string(phee_body::broken_file),
                                          std::string(phee_body::file_too_big), std::string(phee_body::invalid_file_structure)};
    int accepted = 0;
    for(int i = 0; i < 3000; ++i)
    {
        std::string body = good;
        // Cut, flip and duplicate a few bytes.
        for(int k = 0, n = static_cast<int>(next() % 4) + 1; k < n; ++k)
        {
            auto const at = static_cast<std::size_t>(next() % body.size());
            switch(next() % 3)
            {
            case 0: body[at] = static_cast<char>(next() & 0xFF); break;
            case 1: body.erase(at, static_cast<std::size_t>(next() % 16)); break;
            default: body.insert(at, body.substr(at, static_cast<std::size_t>(next() % 16))); break;
            }
            if(body.empty())
                body = "x";
        }
        auto const result = validate_upload(openg2p(body), {}, now);
        if(auto const* up = std::get_if<accepted_upload>(&result))
        {
            ++accepted;
            std::size_t rows = 0;
            for_each_row(*up, [&](input_row const&) { ++rows; });
            CHECK(rows <= 12); // 3 rows, plus line breaks the mangling may copy in
        }
        else
        {
            auto const& r = std::get<rejected_upload>(result);
            CHECK(r.status == 400);
            CHECK(std::find(bodies.begin(), bodies.end(), r.body) != bodies.end());
        }
    }
    // Most mangling hits the CSV itself, which PH-EE accepts and fails row by row.
    CHECK(accepted > 0);
}

TEST_CASE("upload: every refusal names its cause for the hub's log", "[hub][upload]")
{
    std::string const body = multipart("request_id,amount\r\nr1,1\r\n");
    auto const reason = [&](upload_request const& r, upload_options const& o = {}) {
        auto const res = validate_upload(r, o, now);
        auto const* rej = std::get_if<rejected_upload>(&res);
        REQUIRE(rej != nullptr);
        return rej->reason;
    };
    auto r = openg2p(body);
    r.correlation_id.reset();
    r.purpose.reset();
    CHECK(reason(r) == "missing required header X-CorrelationID, Purpose");
    r = openg2p(body);
    r.type = "type";
    CHECK(reason(r).find("Type: type on a multipart body") == 0);
    r = openg2p(body);
    r.filename.reset();
    CHECK(reason(r) == "missing header filename");
    std::string const wrong_part = multipart("request_id,amount\r\nr1,1\r\n", "ph_ee_b.csv", "file");
    CHECK(reason(openg2p(wrong_part)) == "no part named 'data', or it is empty");
    std::string const txt = multipart("request_id,amount\r\nr1,1\r\n", "b.txt");
    CHECK(reason(openg2p(txt)) == "the file name 'b.txt' does not end in .csv");
    std::string const bad_column = multipart("request_id,amnt\r\nr1,1\r\n");
    CHECK(reason(openg2p(bad_column)) == "unknown CSV column 'amnt'");
}
