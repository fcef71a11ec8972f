// Helpers shared by the unit_fspiop test files.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mojasim::fspiop::test {

/// Contents of tests/unit/fspiop/data/<name>.
inline std::string read_data(std::string const& name)
{
    std::string const path = std::string(MOJASIM_SOURCE_DIR) + "/tests/unit/fspiop/data/" + name;
    std::ifstream in(path, std::ios::binary);
    if(!in)
        throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Path of a file in shared/reference.
inline std::string reference_path(std::string const& name)
{
    return std::string(MOJASIM_REFERENCE_DIR) + "/" + name;
}

} // namespace mojasim::fspiop::test
