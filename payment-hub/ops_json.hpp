// The JSON of PH-EE's operations app (research note payment-hub.md §5): BatchDTO, Transfer
// and Spring's Page, the /batches list, plus the progress callback body (§4.3) and the
// result file. Field names, status strings and number formats are PH-EE's:
//  - amounts in summaries are summed then truncated to integers (a Java Long);
//  - /batch/{id} prints percentages rounded down to 2 decimals as Java prints a double
//    ("75.0", "33.33"); /batch?batchId= as DecimalFormat("#.##", FLOOR) does ("75", "33.33");
//  - the summary status mixes cases: "COMPLETED", "Pending", "Failed" (and "UNKNOWN").
#pragma once

#include "payment-hub/batch.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::hub {

std::string percent_java(std::size_t count, std::size_t total);
std::string percent_decimal_format(std::size_t count, std::size_t total);

/// Java's Date.toString() in UTC: "Wed May 01 10:00:00 UTC 2024".
std::string java_date(std::int64_t unix_ms);
/// Jackson's (Spring Boot's) default date: "2024-05-01T10:00:00.123+00:00".
std::string jackson_date(std::int64_t unix_ms);
/// Parse the dates /batches filters take: "2024-05-01 10:00:00", "2024-05-01",
/// "2024-05-01T10:00:00", with optional ".SSS" and "Z". Unix ms, or nothing.
std::optional<std::int64_t> parse_filter_date(std::string_view s) noexcept;

/// A Java Long from a summed BigDecimal: the integer part.
inline std::int64_t truncated(core::decimal d) noexcept { return d.whole_part(); }

/// {"errorInformation":{"errorCode":...,"errorDescription":...}}: the text a failed
/// transfer carries in Transfer.errorInformation.
std::string error_information_text(std::string_view code, std::string_view description);

/// Which summary endpoint: GET /api/v1/batch/{id} (aggregate) or /api/v1/batch?batchId= (stored).
enum class summary_kind : std::uint8_t { aggregate, stored };

std::string_view batch_status(batch const& b, summary_kind kind) noexcept;
std::string batch_dto_json(batch const& b, summary_kind kind, std::string_view file_url);

/// One Transfer of /batch/detail's content.
std::string transfer_json(batch const& b, payment_row const& r);

struct page_request
{
    std::int64_t page_no = 0;
    std::int64_t page_size = 10;
    std::optional<row_status> status; ///< nothing: ALL
};

/// Spring's Page<Transfer>; `b` null gives the empty page PH-EE answers for unknown ids.
std::string transfer_page_json(batch const* b, page_request const& p);

/// {"<transactionId>":"COMPLETED",...}
std::string batch_transactions_json(batch const& b);

/// The ops app's Batch entity, as /batches lists it.
std::string batch_entity_json(batch const& b, std::string_view file_url);

struct batches_query
{
    std::int64_t offset = 0;
    std::int64_t limit = 10;
    std::string sort = "-startedAt";
    std::optional<std::int64_t> date_from_ms;
    std::optional<std::int64_t> date_to_ms;
    std::optional<std::string> registering_institution_id;
    std::optional<std::string> payer_fsp;
    std::optional<std::string> batch_id;
};

/// BatchPaginatedResponse over `batches` (one tenant's, oldest first): filters, sorts and
/// pages them. Nothing when the sort field or paging is not accepted (PH-EE answers 400).
std::optional<std::string> batches_json(std::vector<batch const*> batches, batches_query const& q,
                                        std::string_view file_url_prefix);

/// The body of a progress callback to X-CallbackURL.
std::string callback_body(batch const& b, int rate);

/// The result file's name is "<batchId>_response.csv"; its URL is that after `prefix`.
inline constexpr std::string_view result_file_suffix = "_response.csv";
std::string result_file_url(std::string_view prefix, std::string_view batch_id);

/// The ops app's result file: one line per transfer, no header, a trailing comma.
std::string result_file_csv(batch const& b);

} // namespace mojasim::hub
