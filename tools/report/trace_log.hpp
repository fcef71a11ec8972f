// The message trace of a run: every HTTP message every actor sent or received, kept in order.
// It feeds scenario expectations on messages, the JSONL trace file (--trace) and Mermaid
// sequence diagrams (--sequence).
#pragma once

#include "simulator/net/trace.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mojasim::report {

struct trace_record
{
    std::int64_t unix_us = 0;
    std::uint64_t exchange = 0; ///< shared by a request and its response, as the actor saw them
    std::string actor;
    std::string peer;
    bool sent = true;
    bool is_request = true;
    net::method method = net::method::unknown;
    std::string target;
    unsigned status = 0;
    net::headers fields;
    std::string body;
};

/// An event as a record (copies what the event's views show).
trace_record to_record(net::trace_event const& e);

class trace_log
{
public:
    /// A sink for actors' servers and clients; thread-safe.
    net::trace_sink sink();

    [[nodiscard]] std::vector<trace_record> snapshot() const;
    [[nodiscard]] std::size_t size() const;
    void clear();

    /// One JSON object per line: time, actor, peer, direction, kind, method, target, status,
    /// headers, body.
    void write_jsonl(std::ostream& os) const;

private:
    mutable std::mutex mutex_;
    std::vector<trace_record> records_;
};

/// The same for records taken out of a log.
void write_jsonl(std::ostream& os, std::vector<trace_record> const& records);

/// Names the actor listening at "host:port" ("Switch", "DFSP1", ...); empty when unknown.
using actor_namer = std::function<std::string(std::string const& host_port)>;

/// Records that belong to the payment OpenG2P knows as `request_id`: the messages whose
/// target or body carries its request id or an id that one of its messages introduced
/// (transferId, quoteId, transactionId, the payee's identifier).
std::vector<trace_record const*> payment_messages(std::vector<trace_record> const& records,
                                                  std::string const& request_id);

/// The records as text for people (JUnit <system-out>), from the client side of each
/// exchange: "hub->dfsp1 POST /transfers" and its body, then "  answered 200" (with the body
/// of an error answer). Bodies are cut at 500 bytes.
std::string describe_messages(std::vector<trace_record const*> const& records, actor_namer const& name_of);

/// A Mermaid sequence diagram of the given records, drawn from the client side of each
/// exchange (request: client -> server; response: server -> client).
std::string mermaid_sequence(std::vector<trace_record const*> const& records, actor_namer const& name_of,
                             std::string const& title);

} // namespace mojasim::report
