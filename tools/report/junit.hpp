// JUnit XML for CI: one <testsuite> per scenario file, one <testcase> per scenario, and a
// <failure> naming each expectation that did not hold.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace mojasim::report {

struct junit_case
{
    std::string name;
    std::string classname;
    double seconds = 0;
    std::vector<std::string> failures; ///< empty: passed
    std::string error;                 ///< the scenario could not run (invalid file, ...)
    std::string system_out;
};

struct junit_suite
{
    std::string name;
    std::vector<std::pair<std::string, std::string>> properties; ///< the seed and options of the run
    std::vector<junit_case> cases;
};

void write_junit(std::ostream& os, std::vector<junit_suite> const& suites);

/// XML-escape text for element content and attribute values.
std::string xml_escape(std::string_view s);

} // namespace mojasim::report
