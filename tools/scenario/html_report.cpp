#include "tools/scenario/html_report.hpp"

#include "tools/report/story.hpp"

#include <cstdio>

namespace mojasim::scenario {

namespace {

using report::html_escape;

std::string diagram(report::story const& s)
{
    return "<div class=\"diagram\">" + report::story_svg(s) +
           "</div>\n<details><summary>Mermaid text</summary><pre>" + html_escape(report::story_mermaid(s)) +
           "</pre></details>\n";
}

} // namespace

std::string html_section(scenario const& sc, run_result const& r)
{
    std::string out;
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f s", r.seconds);
    out += "<section class=\"scenario " + std::string(r.passed ? "pass" : "fail") + "\">\n<h2><span class=\"badge\">" +
           (r.passed ? "PASS" : "FAIL") + "</span> " + html_escape(sc.name) + "</h2>\n<p class=\"meta\">" +
           html_escape(sc.file) + " &middot; " + secs + " &middot; seed " + std::to_string(r.seed) + "</p>\n";
    if(!sc.description.empty())
        out += "<p>" + html_escape(sc.description) + "</p>\n";
    if(!r.error.empty())
        out += "<pre class=\"error\">" + html_escape(r.error) + "</pre>\n";

    // Every expectation, expected and actual.
    out += "<h3>Expectations</h3>\n<table class=\"expectations\"><tr><th></th><th>expectation</th><th>expected</th>"
           "<th>actual</th><th>line</th></tr>\n";
    for(auto const& c : r.checks)
    {
        out += std::string("<tr class=\"") + (c.passed ? "pass" : "fail") + "\"><td>" + (c.passed ? "&#10003;" : "&#10007;") +
               "</td><td>" + html_escape(c.what->subject) + "</td><td>" + html_escape(c.what->expected) + "</td><td>" +
               html_escape(c.why.empty() ? (c.actual.empty() ? "(none)" : c.actual) : c.why) + "</td><td>" +
               std::to_string(c.what->pos.line) + "</td></tr>\n";
    }
    if(r.checks.empty())
        out += "<tr><td colspan=\"5\">no expectations</td></tr>\n";
    out += "</table>\n";

    // The payments and their outcomes.
    if(!r.payments.empty())
    {
        out += "<h3>Payments</h3>\n<table class=\"payments\"><tr><th>beneficiary</th><th>name</th><th>amount</th>"
               "<th>outcome</th></tr>\n";
        for(std::size_t i = 0; i < r.payments.size(); ++i)
        {
            auto const outcome = payment_outcome(r, i);
            bool const paid = outcome.rfind("paid", 0) == 0;
            out += std::string("<tr class=\"") + (paid ? "pass" : "fail") + "\"><td>" + html_escape(r.beneficiary_of[i]) +
                   "</td><td>" + html_escape(r.names[i]) + "</td><td class=\"num\">" +
                   html_escape(r.payments[i].amount.to_string_fixed(2) + " " + r.payments[i].currency) + "</td><td>" +
                   html_escape(outcome) + "</td></tr>\n";
        }
        out += "</table>\n";
    }
    if(!r.positions.empty())
    {
        out += "<h3>Positions at the switch</h3>\n<table class=\"positions\"><tr><th>bank</th><th>position</th></tr>\n";
        for(auto const& [fsp, pos] : r.positions)
            out += "<tr><td>" + html_escape(fsp) + "</td><td class=\"num\">" + html_escape(pos.to_string()) + "</td></tr>\n";
        out += "</table>\n";
    }

    auto const name = [&](std::string const& hp) {
        auto const it = r.actors.find(hp);
        return it == r.actors.end() ? std::string{} : it->second;
    };
    if(!r.trace.empty() && !r.payments.empty())
    {
        out += "<h3>The batch on one page</h3>\n" +
               diagram(report::batch_overview(r.trace, name, sc.name, batch_outcome(r)));
        std::size_t drawn = 0, left_out = 0;
        for(std::size_t i = 0; i < r.payments.size(); ++i)
        {
            auto const outcome = payment_outcome(r, i);
            if(outcome.rfind("paid", 0) == 0)
                continue;
            if(drawn == html_max_stories)
            {
                ++left_out;
                continue;
            }
            ++drawn;
            auto const title = "Payment to " + r.beneficiary_of[i] + " (" + r.names[i] + ", request_id " +
                               r.payments[i].name + ")";
            out += "<h3 class=\"failed-payment\">Failed payment: " + html_escape(r.beneficiary_of[i]) + " " +
                   html_escape(r.names[i]) + "</h3>\n" +
                   diagram(report::make_story(report::payment_messages(r.trace, r.payments[i].name), name, title, outcome));
        }
        if(left_out != 0)
            out += "<p>" + std::to_string(left_out) + " more failed payments are not drawn (see the table above).</p>\n";
    }
    else if(r.trace.empty())
        out += "<p class=\"meta\">No messages were recorded for this run, so no diagrams.</p>\n";
    out += "</section>\n";
    return out;
}

std::string html_invalid_section(std::string const& file, std::string const& errors)
{
    return "<section class=\"scenario fail\">\n<h2><span class=\"badge\">INVALID</span> " + html_escape(file) +
           "</h2>\n<pre class=\"error\">" + html_escape(errors) + "</pre>\n</section>\n";
}

std::string html_document(std::string const& title, std::vector<std::string> const& sections, std::size_t passed,
                          std::size_t failed, std::size_t invalid)
{
    std::string out = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)" + html_escape(title) + R"(</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { margin-bottom: 0.2em; }
.summary { font-size: 1.2em; }
section.scenario { border: 1px solid #ccc; border-radius: 6px; padding: 0.5em 1em 1em; margin: 1.5em 0; }
section.pass { border-left: 8px solid #2e7d32; }
section.fail { border-left: 8px solid #c62828; }
.badge { display: inline-block; padding: 0 0.4em; border-radius: 4px; color: #fff; font-size: 0.8em; }
section.pass .badge { background: #2e7d32; }
section.fail .badge { background: #c62828; }
.meta { color: #666; }
table { border-collapse: collapse; margin: 0.3em 0 1em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #ffebee; }
tr.pass td:first-child { color: #2e7d32; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; }
pre.error { background: #ffebee; }
.diagram { overflow-x: auto; }
details { margin: 0.3em 0 1.2em; }
</style>
</head>
<body>
<h1>)" + html_escape(title) + R"(</h1>
<p class="summary">)" + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed" +
                      (invalid != 0 ? ", " + std::to_string(invalid) + " invalid" : std::string{}) + "</p>\n";
    for(auto const& s : sections)
        out += s;
    out += "</body>\n</html>\n";
    return out;
}

} // namespace mojasim::scenario
