#include "payment-hub/upload.hpp"

#include "payment-hub/csv.hpp"
#include "payment-hub/multipart.hpp"
#include "payment-hub/ops_json.hpp"
#include "simulator/net/message.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace mojasim::hub {

namespace json = boost::json;

namespace {

using net::iequals;

bool iends_with(std::string_view s, std::string_view suffix) noexcept
{
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

rejected_upload reject(std::string_view body, std::string reason)
{
    return rejected_upload{400, std::string(body), std::move(reason)};
}

constexpr std::string_view bom = "\xEF\xBB\xBF";

bool allowed_column(std::string_view name) noexcept
{
    return std::find(std::begin(allowed_columns), std::end(allowed_columns), name) != std::end(allowed_columns);
}

/// A JSON scalar as PH-EE's Jackson would bind it to a String field.
std::string scalar_text(json::value const& v)
{
    if(v.is_string())
        return std::string(v.get_string());
    if(v.is_double())
    {
        // The shortest text that reads back as the same double: what the client wrote for
        // any amount of up to 15 significant digits. The value is only text from here on.
        std::array<char, 64> buf{};
        auto const r = std::to_chars(buf.data(), buf.data() + buf.size(), v.get_double());
        return std::string(buf.data(), r.ptr);
    }
    if(v.is_null())
        return {};
    return json::serialize(v);
}

/// The first {key, value} of a party list: [{"key":"MSISDN","value":"0413356886"}].
void first_party(json::object const& o, std::string_view field, std::string& type, std::string& id)
{
    auto const* v = o.if_contains(json::string_view(field.data(), field.size()));
    if(!v || !v->is_array() || v->get_array().empty() || !v->get_array()[0].is_object())
        return;
    auto const& p = v->get_array()[0].get_object();
    if(auto const* k = p.if_contains("key"))
        type = scalar_text(*k);
    if(auto const* val = p.if_contains("value"))
        id = scalar_text(*val);
}

std::string member_text(json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(json::string_view(key.data(), key.size()));
    return v ? scalar_text(*v) : std::string{};
}

/// Type: raw. The body is an array of BatchRequestDTO; PH-EE turns it into its CSV.
std::optional<std::vector<input_row>> raw_rows(std::string_view body)
{
    boost::system::error_code ec;
    auto v = json::parse(json::string_view(body.data(), body.size()), ec);
    if(ec || !v.is_array())
        return std::nullopt;
    std::vector<input_row> rows;
    rows.reserve(v.get_array().size());
    for(auto const& item : v.get_array())
    {
        input_row r;
        if(!item.is_object())
        {
            r.malformed = true;
            rows.push_back(std::move(r));
            continue;
        }
        auto const& o = item.get_object();
        r.request_id = member_text(o, "requestId");
        r.payment_mode = member_text(o, "paymentMode");
        if(r.payment_mode.empty())
            r.payment_mode = member_text(o, "subType");
        r.amount = member_text(o, "amount");
        r.currency = member_text(o, "currency");
        r.note = member_text(o, "descriptionText");
        first_party(o, "creditParty", r.payee_identifier_type, r.payee_identifier);
        first_party(o, "debitParty", r.payer_identifier_type, r.payer_identifier);
        rows.push_back(std::move(r));
    }
    return rows;
}

/// Which input_row field a CSV column fills (null for columns the hub does not use).
std::string input_row::* column_field(std::string_view name) noexcept
{
    if(name == "request_id") return &input_row::request_id;
    if(name == "payment_mode") return &input_row::payment_mode;
    if(name == "payer_identifier_type") return &input_row::payer_identifier_type;
    if(name == "payer_identifier") return &input_row::payer_identifier;
    if(name == "payee_identifier_type") return &input_row::payee_identifier_type;
    if(name == "payee_identifier") return &input_row::payee_identifier;
    if(name == "amount") return &input_row::amount;
    if(name == "currency") return &input_row::currency;
    if(name == "note") return &input_row::note;
    if(name == "payee_dfsp_id") return &input_row::payee_dfsp_id;
    return nullptr;
}

} // namespace

std::string
spring_error_body(unsigned status, std::string_view path, core::time_point now)
{
    std::string_view const reason = status == 400 ? "Bad Request"
                                  : status == 404 ? "Not Found"
                                  : status == 500 ? "Internal Server Error"
                                                  : "Error";
    json::object o;
    o["timestamp"] = jackson_date(core::unix_ms(now));
    o["status"] = status;
    o["error"] = json::string_view(reason.data(), reason.size());
    o["path"] = json::string_view(path.data(), path.size());
    return json::serialize(o);
}

upload_result
validate_upload(upload_request const& req, upload_options const& opts, core::time_point now)
{
    // Spring rejects a request without its required headers before PH-EE's code runs.
    std::string missing;
    for(auto const& [name, value] : {std::pair{"X-CorrelationID", &req.correlation_id}, {"Purpose", &req.purpose},
                                     {"Type", &req.type}, {"Platform-TenantId", &req.tenant}})
        if(!*value)
            missing += (missing.empty() ? "" : ", ") + std::string(name);
    if(!missing.empty())
        return rejected_upload{400, spring_error_body(400, req.path, now), "missing required header " + missing};

    bool const multipart = is_multipart(req.content_type);
    auto const& type = *req.type;
    bool raw = false;
    if(opts.lenient_type)
    {
        if(!multipart && !iequals(type, "raw"))
            return reject(phee_body::file_not_uploaded,
                          "Type: " + type + " with Content-Type '" + req.content_type + "': a file needs multipart/form-data, "
                          "a JSON array Type: raw");
        raw = !multipart;
    }
    else
    {
        // PH-EE: Type must be csv for a multipart body and raw for anything else; whatever
        // the mismatch, the body is always "File not uploaded".
        if(multipart && !iequals(type, "csv"))
            return reject(phee_body::file_not_uploaded,
                          "Type: " + type + " on a multipart body: PH-EE wants Type: csv (OpenG2P's default is "
                          "'type'; the hub's lenient mode accepts it)");
        if(!multipart && !iequals(type, "raw"))
            return reject(phee_body::file_not_uploaded,
                          "Type: " + type + " with Content-Type '" + req.content_type +
                              "': a CSV file needs a multipart/form-data body, a JSON array Type: raw");
        raw = iequals(type, "raw");
    }

    if(raw)
    {
        auto rows = raw_rows(req.body);
        if(!rows)
            return rejected_upload{500, spring_error_body(500, req.path, now), "Type: raw with a body that is not a JSON array of rows"};
        accepted_upload up;
        up.raw = true;
        up.raw_rows = std::move(*rows);
        return up;
    }

    if(!req.filename || req.filename->empty())
        return reject(phee_body::file_not_uploaded, "missing header filename");

    // A malformed multipart body is Spring's MultipartException: "File not uploaded".
    auto const boundary = multipart_boundary(req.content_type);
    if(!boundary)
        return reject(phee_body::file_not_uploaded, "the multipart Content-Type has no boundary");
    auto const parts = parse_multipart(req.body, *boundary);
    if(!parts)
        return reject(phee_body::file_not_uploaded, "the multipart body is malformed");
    auto const* data = find_part(*parts, "data");
    if(!data || data->body.empty())
        return reject(phee_body::file_not_uploaded, "no part named 'data', or it is empty");

    // The file type is detected from the name alone (Tika): it must be a .csv.
    std::string const name = data->filename && !data->filename->empty() ? *data->filename : *req.filename;
    if(!iends_with(name, ".csv"))
        return reject(phee_body::broken_file, "the file name '" + name + "' does not end in .csv");

    if(data->body.size() > opts.max_file_bytes)
        return reject(phee_body::file_too_big, "the file has " + std::to_string(data->body.size()) + " bytes, more than " +
                                                   std::to_string(opts.max_file_bytes));

    std::string_view csv = data->body;
    if(opts.lenient_type && csv.substr(0, bom.size()) == bom)
        csv.remove_prefix(bom.size());

    // PH-EE reads the header line naively (split on ','): every column must be known.
    if(!opts.lenient_type)
    {
        for(auto column : split_naive(first_line(csv)))
            if(!allowed_column(column))
                return reject(phee_body::invalid_file_structure, "unknown CSV column '" + std::string(column) + "'");
    }

    accepted_upload up;
    up.filename = name;
    up.csv = csv;
    return up;
}

void
for_each_row(accepted_upload const& upload, std::function<void(input_row const&)> const& f)
{
    if(upload.raw)
    {
        for(auto const& r : upload.raw_rows)
            f(r);
        return;
    }

    csv_reader reader(upload.csv);
    std::vector<std::string> fields;
    if(!reader.next(fields))
        return;
    std::vector<std::string input_row::*> columns;
    columns.reserve(fields.size());
    for(auto const& name : fields)
        columns.push_back(column_field(name));

    input_row row;
    while(reader.next(fields))
    {
        for(auto m : columns)
            if(m)
                (row.*m).clear();
        auto const n = std::min(fields.size(), columns.size());
        for(std::size_t i = 0; i < n; ++i)
            if(columns[i])
                (row.*columns[i]) = std::move(fields[i]);
        row.malformed = fields.size() != columns.size() || reader.last_record_unterminated();
        f(row);
    }
}

} // namespace mojasim::hub
