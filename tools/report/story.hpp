// The story of a payment, for people: the same trace records as the protocol dump
// (mermaid_sequence), told as a trainer tells it. Acknowledgements (a bare 2xx with no body)
// are folded into their requests, consecutive messages of one phase (lookup, quote, transfer)
// are grouped, actors have plain names, each arrow says what it carries (amounts, fees,
// COMMITTED, the FSPIOP error code), the switch's position changes are notes, and the
// payment's outcome ends it. Messages keep the order in which their senders sent them, which
// is causal (a sender records a request before writing it). Pure: no sockets, no clock.
#pragma once

#include "tools/report/trace_log.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace mojasim::report {

struct story_arrow
{
    std::string phase;     ///< "batch", "payment", "lookup", "quote", "transfer", "status", "request to pay", "other"
    std::string from, to;  ///< actor ids as the trace names them (hub, dfsp1, switch, ...)
    std::string kind;      ///< what it is: "lookup", "party", "quote request", "quote", "prepare", "fulfil", ...
    std::string detail;    ///< what it carries: "50.00 USD", "COMMITTED", "5104 Payee rejected transaction"
    bool reply = false;    ///< a response drawn (an answer with a body, or an error answer)
    bool error = false;    ///< an error callback or an error answer
    bool note = false;     ///< a note (position change) over `from` (and `to` when set), not a message
    std::size_t count = 1; ///< messages it stands for (polls folded; the batch overview's totals)

    [[nodiscard]] std::string label() const;
};

struct story
{
    std::string title;
    std::vector<std::string> actors;       ///< ids, left to right
    std::vector<std::string> actor_names;  ///< plain names, same order ("Payment Hub", "dfsp1 (payer bank)")
    std::vector<story_arrow> arrows;       ///< in causal order
    std::string outcome;                   ///< last line: "paid 50.00 USD" or "failed: 5104 Payee rejected transaction"
    bool failed = false;
    std::size_t folded_acks = 0;           ///< acknowledgements folded into their requests
};

/// The story of the given records (one payment's, as payment_messages returns them).
/// `outcome` is the verdict as OpenG2P reconciled it; empty: read from the hub's answer.
story make_story(std::vector<trace_record const*> const& records, actor_namer const& name_of, std::string const& title,
                 std::string const& outcome = {});

/// One page for a whole batch: every kind of message between two actors once, with how many
/// there were (and how many of each error code), from OpenG2P's first upload on; `outcome` is
/// the batch's result line.
story batch_overview(std::vector<trace_record> const& records, actor_namer const& name_of, std::string const& title,
                     std::string const& outcome);

/// Mermaid text of a story: participants with plain names, a rect per phase, notes, outcome.
std::string story_mermaid(story const& s);

/// The same as an SVG sequence diagram for inlining in HTML (no xmlns, no script, no external resource).
std::string story_svg(story const& s);

/// Escapes &, <, >, " and ' for HTML and SVG text.
std::string html_escape(std::string_view text);

} // namespace mojasim::report
