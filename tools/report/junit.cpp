#include "tools/report/junit.hpp"

#include <cstdio>
#include <ostream>

namespace mojasim::report {

std::string xml_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for(char c : s)
    {
        switch(c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 allows no control characters but tab, newline and carriage return.
            if(static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                out += '?';
            else
                out += c;
        }
    }
    return out;
}

namespace {

std::string seconds_text(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

} // namespace

void write_junit(std::ostream& os, std::vector<junit_suite> const& suites)
{
    std::size_t tests = 0, failures = 0, errors = 0;
    double total = 0;
    for(auto const& s : suites)
        for(auto const& c : s.cases)
        {
            ++tests;
            failures += c.failures.empty() ? 0 : 1;
            errors += c.error.empty() ? 0 : 1;
            total += c.seconds;
        }
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    os << "<testsuites name=\"mojasim\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
       << "\" time=\"" << seconds_text(total) << "\">\n";
    for(auto const& s : suites)
    {
        std::size_t sf = 0, se = 0;
        double st = 0;
        for(auto const& c : s.cases)
        {
            sf += c.failures.empty() ? 0 : 1;
            se += c.error.empty() ? 0 : 1;
            st += c.seconds;
        }
        os << "  <testsuite name=\"" << xml_escape(s.name) << "\" tests=\"" << s.cases.size() << "\" failures=\"" << sf
           << "\" errors=\"" << se << "\" time=\"" << seconds_text(st) << "\">\n";
        if(!s.properties.empty())
        {
            os << "    <properties>\n";
            for(auto const& [k, v] : s.properties)
                os << "      <property name=\"" << xml_escape(k) << "\" value=\"" << xml_escape(v) << "\"/>\n";
            os << "    </properties>\n";
        }
        for(auto const& c : s.cases)
        {
            os << "    <testcase name=\"" << xml_escape(c.name) << "\" classname=\"" << xml_escape(c.classname)
               << "\" time=\"" << seconds_text(c.seconds) << "\"";
            if(c.failures.empty() && c.error.empty() && c.system_out.empty())
            {
                os << "/>\n";
                continue;
            }
            os << ">\n";
            for(auto const& f : c.failures)
                os << "      <failure message=\"" << xml_escape(f) << "\">" << xml_escape(f) << "</failure>\n";
            if(!c.error.empty())
                os << "      <error message=\"" << xml_escape(c.error) << "\">" << xml_escape(c.error) << "</error>\n";
            if(!c.system_out.empty())
                os << "      <system-out>" << xml_escape(c.system_out) << "</system-out>\n";
            os << "    </testcase>\n";
        }
        os << "  </testsuite>\n";
    }
    os << "</testsuites>\n";
}

} // namespace mojasim::report
