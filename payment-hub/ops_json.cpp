#include "payment-hub/ops_json.hpp"

#include "simulator/core/clock.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <ctime>
#include <limits>

namespace mojasim::hub {

namespace json = boost::json;

namespace {

json::string_view jv(std::string_view s) noexcept { return {s.data(), s.size()}; }

/// A string, or JSON null when empty (Java fields left unset).
json::value text_or_null(std::string_view s)
{
    if(s.empty())
        return nullptr;
    return json::value(jv(s));
}

std::tm utc(std::int64_t unix_ms) noexcept
{
    std::time_t const secs = static_cast<std::time_t>(unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000);
    std::tm t{};
    gmtime_r(&secs, &t);
    return t;
}

/// floor(count * 10000 / total): the percentage in hundredths, rounded down.
std::uint64_t hundredths(std::size_t count, std::size_t total) noexcept
{
    if(total == 0)
        return 0;
    return static_cast<std::uint64_t>(count) * 10000U / static_cast<std::uint64_t>(total);
}

/// count/total in percent, rounded down to 2 decimals without trailing zeros ("33.33",
/// "33.3", "33"); a whole number gets ".0" when `whole_fraction` ("33.0", as Java prints a
/// double).
std::string percent(std::size_t count, std::size_t total, bool whole_fraction)
{
    auto const h = hundredths(count, total);
    auto s = std::to_string(h / 100);
    auto const frac = h % 100;
    if(frac == 0)
    {
        if(whole_fraction)
            s += ".0";
        return s;
    }
    s += '.';
    s += static_cast<char>('0' + frac / 10);
    if(frac % 10 != 0)
        s += static_cast<char>('0' + frac % 10);
    return s;
}

/// The Transfer amount: a BigDecimal from a DECIMAL(19,2) column, written as a string.
std::string transfer_amount(core::decimal d)
{
    auto const fraction = d.units() % core::decimal::one;
    if(fraction % 100 == 0)
        return d.to_string_fixed(2);
    return d.to_string();
}

std::string_view entity_status(batch const& b) noexcept
{
    if(!b.finished())
        return "IN_PROGRESS";
    return b.successful() == b.total() ? "COMPLETED" : "FAILED";
}

} // namespace

std::string
percent_java(std::size_t count, std::size_t total)
{
    return percent(count, total, true);
}

std::string
percent_decimal_format(std::size_t count, std::size_t total)
{
    return percent(count, total, false);
}

std::string
result_file_url(std::string_view prefix, std::string_view batch_id)
{
    std::string u;
    u.reserve(prefix.size() + batch_id.size() + result_file_suffix.size());
    u.append(prefix).append(batch_id).append(result_file_suffix);
    return u;
}

std::string
java_date(std::int64_t unix_ms)
{
    auto const t = utc(unix_ms);
    std::array<char, 64> buf{};
    auto const n = std::strftime(buf.data(), buf.size(), "%a %b %d %H:%M:%S UTC %Y", &t);
    return std::string(buf.data(), n);
}

std::string
jackson_date(std::int64_t unix_ms)
{
    auto s = core::format_datetime(core::time_point(std::chrono::milliseconds(unix_ms)));
    if(!s.empty() && s.back() == 'Z')
    {
        s.pop_back();
        s += "+00:00";
    }
    return s;
}

std::optional<std::int64_t>
parse_filter_date(std::string_view s) noexcept
{
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
        if(pos + n > s.size())
            return false;
        out = 0;
        for(std::size_t i = 0; i < n; ++i)
        {
            char const c = s[pos + i];
            if(c < '0' || c > '9')
                return false;
            out = out * 10 + (c - '0');
        }
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
    if(!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' || !digits(8, 2, d))
        return std::nullopt;
    if(!core::is_date(s.substr(0, 10)))
        return std::nullopt;
    std::size_t pos = 10;
    if(pos < s.size())
    {
        if((s[pos] != ' ' && s[pos] != 'T') || !digits(pos + 1, 2, h) || s.size() < pos + 9 || s[pos + 3] != ':'
           || !digits(pos + 4, 2, mi) || s[pos + 6] != ':' || !digits(pos + 7, 2, sec))
            return std::nullopt;
        pos += 9;
        if(pos < s.size() && s[pos] == '.')
        {
            if(!digits(pos + 1, 3, ms))
                return std::nullopt;
            pos += 4;
        }
        if(pos < s.size() && s[pos] == 'Z')
            ++pos;
        if(pos != s.size() || h > 23 || mi > 59 || sec > 59)
            return std::nullopt;
    }
    using namespace std::chrono;
    auto const date = sys_days(year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)});
    auto const tp = date + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
    return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

std::string
error_information_text(std::string_view code, std::string_view description)
{
    json::object e;
    e["errorCode"] = jv(code);
    e["errorDescription"] = jv(description);
    json::object o;
    o["errorInformation"] = std::move(e);
    return json::serialize(o);
}

std::string_view
batch_status(batch const& b, summary_kind kind) noexcept
{
    if(b.successful() == b.total())
        return "COMPLETED";
    if(!b.finished())
        return "Pending";
    return kind == summary_kind::aggregate ? "Failed" : "UNKNOWN";
}

std::string
batch_dto_json(batch const& b, summary_kind kind, std::string_view file_url)
{
    auto const pct = kind == summary_kind::aggregate ? percent_java : percent_decimal_format;
    json::object o;
    o["batchId"] = jv(b.info.batch_id);
    o["requestId"] = jv(b.info.request_id);
    o["total"] = b.total();
    o["ongoing"] = b.ongoing();
    o["failed"] = b.failed();
    o["successful"] = b.successful();
    o["totalAmount"] = truncated(b.total_amount());
    o["successfulAmount"] = truncated(b.successful_amount());
    o["pendingAmount"] = truncated(b.ongoing_amount());
    o["failedAmount"] = truncated(b.failed_amount());
    o["file"] = jv(file_url);
    o["notes"] = b.note ? json::value(jv(*b.note)) : json::value(nullptr);
    o["createdAt"] = java_date(b.started_ms);
    o["status"] = jv(batch_status(b, kind));
    o["modes"] = jv(b.modes);
    o["purpose"] = "Unknown purpose";
    o["failPercentage"] = pct(b.failed(), b.total());
    o["successPercentage"] = pct(b.successful(), b.total());
    o["registeringInstitutionId"] = text_or_null(b.info.registering_institution_id);
    o["payerFsp"] = jv(b.info.tenant);
    o["correlationId"] = jv(b.info.request_id);
    return json::serialize(o);
}

namespace {

json::object transfer_object(batch const& b, payment_row const& r)
{
    auto const& s = b.strings;
    json::object o;
    o["id"] = r.workflow_key;
    o["workflowInstanceKey"] = std::to_string(r.workflow_key);
    o["transactionId"] = jv(r.transaction_id);
    o["startedAt"] = jackson_date(r.started_ms);
    o["completedAt"] = r.status == row_status::in_progress ? json::value(nullptr) : json::value(jackson_date(r.completed_ms));
    o["status"] = jv(to_string(r.status));
    o["statusDetail"] = text_or_null(s.get(r.status_detail));
    o["payeeDfspId"] = text_or_null(s.get(r.payee_dfsp));
    o["payeePartyId"] = jv(r.payee_identifier);
    o["payeePartyIdType"] = text_or_null(s.get(r.payee_type));
    o["payeeFee"] = nullptr;
    o["payeeFeeCurrency"] = nullptr;
    o["payeeQuoteCode"] = nullptr;
    o["payerDfspId"] = jv(b.info.payer_fsp);
    o["payerPartyId"] = jv(s.get(r.payer_identifier));
    o["payerPartyIdType"] = text_or_null(s.get(r.payer_type));
    o["payerFee"] = nullptr;
    o["payerFeeCurrency"] = nullptr;
    o["payerQuoteCode"] = nullptr;
    o["amount"] = transfer_amount(r.amount);
    o["currency"] = jv(s.get(r.currency));
    o["direction"] = "OUTGOING";
    o["errorInformation"] = r.status == row_status::failed
        ? json::value(error_information_text(s.get(r.error_code), s.get(r.error_description)))
        : json::value(nullptr);
    o["batchId"] = jv(b.info.batch_id);
    o["clientCorrelationId"] = jv(r.request_id);
    return o;
}

json::object spring_sort()
{
    return json::object{{"sorted", false}, {"unsorted", true}, {"empty", true}};
}

} // namespace

std::string
transfer_json(batch const& b, payment_row const& r)
{
    return json::serialize(transfer_object(b, r));
}

std::string
transfer_page_json(batch const* b, page_request const& p)
{
    // Count the matching rows, then render only the page.
    auto const matches = [&](payment_row const& r) { return !p.status || r.status == *p.status; };
    std::size_t total = 0;
    if(b)
        total = p.status ? static_cast<std::size_t>(std::count_if(b->rows.begin(), b->rows.end(), matches)) : b->rows.size();

    auto const size = static_cast<std::size_t>(p.page_size);
    auto const first = static_cast<std::size_t>(p.page_no) * size;
    json::array content;
    if(b && first < total)
    {
        std::size_t seen = 0;
        for(auto const& r : b->rows)
        {
            if(!matches(r))
                continue;
            if(seen >= first && content.size() < size)
                content.push_back(transfer_object(*b, r));
            ++seen;
            if(content.size() == size)
                break;
        }
    }
    auto const total_pages = (total + size - 1) / size;
    auto const count = content.size();

    json::object pageable;
    pageable["sort"] = spring_sort();
    pageable["offset"] = first;
    pageable["pageNumber"] = p.page_no;
    pageable["pageSize"] = p.page_size;
    pageable["paged"] = true;
    pageable["unpaged"] = false;

    json::object o;
    o["content"] = std::move(content);
    o["pageable"] = std::move(pageable);
    o["last"] = static_cast<std::size_t>(p.page_no) + 1 >= total_pages;
    o["totalPages"] = total_pages;
    o["totalElements"] = total;
    o["size"] = p.page_size;
    o["number"] = p.page_no;
    o["sort"] = spring_sort();
    o["first"] = p.page_no == 0;
    o["numberOfElements"] = count;
    o["empty"] = count == 0;
    return json::serialize(o);
}

std::string
batch_transactions_json(batch const& b)
{
    json::object o;
    o.reserve(b.rows.size());
    for(auto const& r : b.rows)
        o[jv(r.transaction_id)] = jv(to_string(r.status));
    return json::serialize(o);
}

namespace {

json::object entity_object(batch const& b, std::string_view url)
{
    json::object o;
    o["id"] = b.sequence;
    o["batchId"] = jv(b.info.batch_id);
    o["subBatchId"] = nullptr;
    o["requestId"] = jv(b.info.request_id);
    o["requestFile"] = jv(b.info.filename);
    o["totalTransactions"] = b.total();
    o["ongoing"] = b.ongoing();
    o["failed"] = b.failed();
    o["completed"] = b.successful();
    o["totalAmount"] = truncated(b.total_amount());
    o["ongoingAmount"] = truncated(b.ongoing_amount());
    o["failedAmount"] = truncated(b.failed_amount());
    o["completedAmount"] = truncated(b.successful_amount());
    o["result_file"] = jv(url);
    o["resultGeneratedAt"] = nullptr;
    o["note"] = b.note ? json::value(jv(*b.note)) : json::value(nullptr);
    o["workflowKey"] = b.workflow_key;
    o["workflowInstanceKey"] = b.workflow_key;
    o["startedAt"] = jackson_date(b.started_ms);
    o["completedAt"] = b.finished() ? json::value(jackson_date(b.completed_ms)) : json::value(nullptr);
    o["paymentMode"] = text_or_null(b.modes);
    o["registeringInstitutionId"] = text_or_null(b.info.registering_institution_id);
    o["payerFsp"] = jv(b.info.tenant);
    o["correlationId"] = jv(b.info.request_id);
    o["approvedAmount"] = truncated(b.total_amount());
    o["approvedCount"] = b.total();
    o["status"] = jv(entity_status(b));
    return o;
}

} // namespace

std::string
batch_entity_json(batch const& b, std::string_view url)
{
    return json::serialize(entity_object(b, url));
}

std::optional<std::string>
batches_json(std::vector<batch const*> batches, batches_query const& q, std::string_view file_url_prefix)
{
    if(q.limit < 1 || q.offset < 0)
        return std::nullopt;

    // "-startedAt" descending, "+completedAt" or "completedAt" ascending (a '+' in a query
    // string often arrives as a space).
    std::string_view sort = q.sort;
    bool descending = false;
    if(!sort.empty() && sort.front() == '-')
    {
        descending = true;
        sort.remove_prefix(1);
    }
    else if(!sort.empty() && (sort.front() == '+' || sort.front() == ' '))
        sort.remove_prefix(1);

    using key_fn = std::int64_t (*)(batch const&);
    key_fn key = nullptr;
    if(sort == "startedAt")
        key = [](batch const& b) { return b.started_ms; };
    else if(sort == "completedAt")
        key = [](batch const& b) { return b.completed_ms; };
    else if(sort == "totalTransactions")
        key = [](batch const& b) { return static_cast<std::int64_t>(b.total()); };
    else if(sort == "totalAmount")
        key = [](batch const& b) { return truncated(b.total_amount()); };
    else if(sort != "batchId")
        return std::nullopt;

    std::erase_if(batches, [&](batch const* b) {
        return (q.batch_id && b->info.batch_id != *q.batch_id)
            || (q.payer_fsp && b->info.tenant != *q.payer_fsp)
            || (q.registering_institution_id && b->info.registering_institution_id != *q.registering_institution_id)
            || (q.date_from_ms && b->started_ms < *q.date_from_ms)
            || (q.date_to_ms && b->started_ms > *q.date_to_ms);
    });
    std::stable_sort(batches.begin(), batches.end(), [&](batch const* a, batch const* b) {
        if(key)
            return descending ? key(*a) > key(*b) : key(*a) < key(*b);
        return descending ? a->info.batch_id > b->info.batch_id : a->info.batch_id < b->info.batch_id;
    });

    // The batches' totals summed in 128 bits: each fits 64, and there are far fewer than
    // 2^63 batches, so the sum cannot overflow; its integer part is a Java Long when it
    // fits one (PH-EE's BigDecimal.longValue() would wrap beyond; we print the number).
    std::int64_t transactions = 0;
    __extension__ using int128 = __int128;
    int128 units = 0;
    for(auto const* b : batches)
    {
        transactions += static_cast<std::int64_t>(b->total());
        units += b->total_amount().units();
    }
    int128 const whole = units / core::decimal::one;
    json::value const amount = whole <= std::numeric_limits<std::int64_t>::max()
                                   ? json::value(static_cast<std::int64_t>(whole))
                                   : json::value(static_cast<double>(whole));

    auto const page = q.offset / q.limit;
    auto const first = static_cast<std::size_t>(page * q.limit);
    json::array data;
    for(std::size_t i = first; i < batches.size() && data.size() < static_cast<std::size_t>(q.limit); ++i)
        data.push_back(entity_object(*batches[i], result_file_url(file_url_prefix, batches[i]->info.batch_id)));

    json::object o;
    o["totalBatches"] = batches.size();
    o["totalTransactions"] = transactions;
    o["totalAmount"] = amount;
    o["totalApprovedCount"] = transactions;
    o["totalApprovedAmount"] = amount;
    o["totalSubBatchesCreated"] = 0;
    o["data"] = std::move(data);
    return json::serialize(o);
}

std::string
callback_body(batch const& b, int rate)
{
    json::object o;
    o["clientCorrelationId"] = jv(b.info.request_id);
    o["batchId"] = jv(b.info.batch_id);
    o["message"] = "The Batch Aggregation API was complete with : " + std::to_string(rate);
    return json::serialize(o);
}

std::string
result_file_csv(batch const& b)
{
    auto const& s = b.strings;
    auto or_null = [](std::string_view v) { return v.empty() ? std::string_view("null") : v; };
    std::string out;
    out.reserve(b.rows.size() * 160);
    for(auto const& r : b.rows)
    {
        out += r.transaction_id;
        out += ',';
        out += to_string(r.status);
        out += ',';
        out += or_null(s.get(r.payee_dfsp));
        out += ',';
        out += r.payee_identifier;
        out += ',';
        out += b.info.payer_fsp;
        out += ',';
        out += s.get(r.payer_identifier);
        out += ',';
        out += transfer_amount(r.amount);
        out += ',';
        out += s.get(r.currency);
        out += ',';
        // The error text is JSON with commas: quote it so the line stays parseable.
        if(r.status == row_status::failed)
        {
            auto text = error_information_text(s.get(r.error_code), s.get(r.error_description));
            out += '"';
            for(char c : text)
            {
                if(c == '"')
                    out += '"';
                out += c;
            }
            out += '"';
        }
        else
            out += "null";
        out += ',';
        out += java_date(r.started_ms);
        out += ',';
        out += r.status == row_status::in_progress ? std::string("null") : java_date(r.completed_ms);
        out += ",\n";
    }
    return out;
}

} // namespace mojasim::hub
