// The checks PH-EE's bulk processor makes on POST /batchtransactions before it accepts a
// batch, with its exact 400 bodies (research note payment-hub.md §4.1), and the rows of an
// accepted upload. Pure: no sockets, no state. A rejected upload never reaches the store.
#pragma once

#include "simulator/core/clock.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mojasim::hub {

/// PH-EE's own error bodies, byte for byte (the typo "fie" and the keys with colons included).
namespace phee_body {
inline constexpr std::string_view file_not_uploaded =
    R"({"errorInformation":"File not uploaded","errorDescription":"There was no fie uploaded with the request. Please upload a file and try again.","errorCode":400})";
inline constexpr std::string_view invalid_file_structure =
    R"({"Error Information: ":"Invalid file structure","Error Description : ":"The file uploaded contains wrong structure. Please upload correct file columns and try again."})";
inline constexpr std::string_view broken_file =
    R"({"Error Information: ":"Broken file","Error Description : ":"The file uploaded is broken as it has a different extension. Please upload a csv file and try again."})";
inline constexpr std::string_view file_too_big =
    R"({"Error Information: ":"File too big","Error Description : ":"The file uploaded is too big. Please upload a file and try again."})";
} // namespace phee_body

/// The CSV columns PH-EE accepts (csv.columnNames); order does not matter, a subset is fine.
inline constexpr std::string_view allowed_columns[] = {
    "id", "request_id", "payment_mode", "payer_identifier_type", "payer_identifier", "payee_identifier_type",
    "payee_identifier", "amount", "currency", "note", "account_number", "program_shortcode", "cycle",
    "payee_dfsp_id", "batch_id"};

/// Spring Boot's default error body: {"timestamp":...,"status":400,"error":"Bad Request","path":...}.
std::string spring_error_body(unsigned status, std::string_view path, core::time_point now);

/// What the bulk endpoint reads from a request (header names are PH-EE's).
struct upload_request
{
    std::optional<std::string> correlation_id;             ///< X-CorrelationID (required)
    std::optional<std::string> purpose;                    ///< Purpose (required)
    std::optional<std::string> type;                       ///< Type (required): csv or raw
    std::optional<std::string> tenant;                     ///< Platform-TenantId (required)
    std::optional<std::string> filename;                   ///< filename
    std::optional<std::string> callback_url;               ///< X-CallbackURL
    std::optional<std::string> payee_dfsp_id;              ///< X-PayeeDFSP-ID
    std::optional<std::string> registering_institution_id; ///< X-Registering-Institution-ID
    std::optional<std::string> program_id;                 ///< X-Program-ID
    std::string content_type;
    std::string_view body;
    std::string path; ///< the request path, for Spring's error body
};

struct upload_options
{
    /// Accept a multipart body whatever the Type header says (OpenG2P's default is "type").
    bool lenient_type = false;
    /// PH-EE's csv.size: a larger file gets "File too big".
    std::size_t max_file_bytes = 10 * 1024 * 1024;
};

/// One payment row of an upload, by PH-EE's column names. Absent columns are empty.
struct input_row
{
    std::string request_id;
    std::string payment_mode;
    std::string payer_identifier_type;
    std::string payer_identifier;
    std::string payee_identifier_type;
    std::string payee_identifier;
    std::string amount;
    std::string currency;
    std::string note;
    std::string payee_dfsp_id;
    bool malformed = false; ///< wrong number of fields, or quoting broken
    /// Set by an ingress that judged the row itself (G2P Connect's per-entry reasons): the
    /// row fails with this code and note instead of being paid.
    std::string reject_code;
    std::string reject_note;
};

/// An upload that passed PH-EE's checks. The CSV text is a view into the request body: use
/// the upload before the request goes away.
struct accepted_upload
{
    bool raw = false;        ///< Type raw (JSON array) rather than a CSV file
    std::string filename;    ///< the CSV file name (empty for raw)
    std::string_view csv;    ///< the file, header line included (csv uploads)
    std::vector<input_row> raw_rows; ///< the converted JSON array (raw uploads)
};

struct rejected_upload
{
    unsigned status = 400;
    std::string body;
    std::string reason; ///< the cause for the hub's log (PH-EE's bodies seldom say it)
};

using upload_result = std::variant<accepted_upload, rejected_upload>;

/// Run PH-EE's checks in PH-EE's order: required headers, Type against the content type,
/// filename, the multipart part `data`, the file extension, the size, and (strict mode)
/// the column names of the header line.
upload_result validate_upload(upload_request const& req, upload_options const& opts, core::time_point now);

/// Call `f` for each payment row of an accepted upload, in order. CSV rows are parsed
/// one at a time into one reused row (RFC 4180), so memory stays flat.
void for_each_row(accepted_upload const& upload, std::function<void(input_row const&)> const& f);

} // namespace mojasim::hub
