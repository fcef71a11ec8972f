#include "tools/report/serve_log.hpp"

#include "simulator/core/decimal.hpp"
#include "tools/report/trace_log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <sstream>
#include <vector>

namespace mojasim::report {

namespace json = boost::json;

namespace {

std::string str(json::value const* v, std::initializer_list<std::string_view> keys)
{
    for(auto k : keys)
    {
        if(!v || !v->is_object())
            return {};
        v = v->get_object().if_contains(k);
    }
    if(!v)
        return {};
    if(v->is_string())
        return std::string(v->get_string());
    if(v->is_int64())
        return std::to_string(v->get_int64());
    return {};
}

std::string amount_text(std::string const& amount, std::string const& currency)
{
    auto const d = core::decimal::parse(amount);
    return (d ? d->to_string_fixed(2) : amount) + (currency.empty() ? "" : " " + currency);
}

} // namespace

std::string fspiop_message_line(net::trace_event const& e)
{
    if(e.dir != net::trace_event::direction::received || e.type != net::trace_event::kind::request || !e.fields)
        return {};
    auto const source = e.fields->get("FSPIOP-Source");
    if(!source)
        return {};
    std::string out = std::string(e.actor) + " <- " + std::string(*source) + " " +
                      std::string(net::to_string(e.method)) + " " + std::string(e.target.substr(0, e.target.find('?')));
    if(auto const dest = e.fields->get("FSPIOP-Destination"); dest && !dest->empty() && *dest != e.actor)
        out += " (for " + std::string(*dest) + ")";
    return out;
}

std::string payment_outcome_line(net::trace_event const& e)
{
    if(e.actor != "hub" || e.dir != net::trace_event::direction::received || e.type != net::trace_event::kind::response ||
       e.method != net::method::post || e.target.substr(0, e.target.find('?')) != "/transfers")
        return {};
    json::error_code ec;
    auto const v = json::parse(e.body, ec);
    if(ec)
        return "payment: the connector answered " + std::to_string(e.status) + " with a body that is not JSON";
    // A success is the transfer itself; a failure wraps it in transferState.
    json::value const* t = &v;
    if(auto const* inner = v.is_object() ? v.get_object().if_contains("transferState") : nullptr; inner && inner->is_object())
        t = inner;
    auto const to = str(t, {"to", "idType"}) + " " + str(t, {"to", "idValue"});
    std::string out = "payment to " + to + " " + amount_text(str(t, {"amount"}), str(t, {"currency"})) + ": ";
    if(e.status >= 200 && e.status < 300)
    {
        auto const state = str(t, {"currentState"});
        out += state == "COMPLETED" ? "paid" : "answered " + (state.empty() ? std::to_string(e.status) : state);
        if(auto const id = str(t, {"transferId"}); !id.empty())
            out += " (transfer " + id + ")";
        return out;
    }
    auto code = str(&v, {"statusCode"});
    auto desc = str(t, {"lastError", "mojaloopError", "errorInformation", "errorDescription"});
    if(desc.empty())
        desc = str(&v, {"message"});
    out += "failed " + (code.empty() ? std::to_string(e.status) : code) + (desc.empty() ? "" : " " + desc);
    return out;
}

trace_file_writer::~trace_file_writer()
{
    close();
}

bool trace_file_writer::open(std::string const& path)
{
    out_.open(path, std::ios::trunc);
    if(!out_)
        return false;
    thread_ = std::thread([this] { run(); });
    return true;
}

void trace_file_writer::write(net::trace_event const& e)
{
    // Formatted here (the views live only during the call), written by the thread.
    std::ostringstream os;
    report::write_jsonl(os, std::vector<trace_record>{to_record(e)});
    std::lock_guard lock(mutex_);
    if(lines_.size() >= max_queued_)
    {
        dropped_.fetch_add(1);
        return;
    }
    lines_.push_back(std::move(os).str());
    wake_.notify_one();
}

void trace_file_writer::run()
{
    std::unique_lock lock(mutex_);
    for(;;)
    {
        wake_.wait(lock, [&] { return stopping_ || !lines_.empty(); });
        auto batch = std::move(lines_);
        lines_.clear();
        bool const stop = stopping_;
        lock.unlock();
        for(auto const& l : batch)
            out_ << l;
        out_.flush();
        lock.lock();
        failed_ = failed_ || !out_;
        if(stop && lines_.empty())
            return;
    }
}

bool trace_file_writer::close()
{
    if(thread_.joinable())
    {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
        out_.close();
        failed_ = failed_ || !out_;
    }
    return !failed_;
}

} // namespace mojasim::report
