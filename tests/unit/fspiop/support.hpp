// Helpers shared by the unit_fspiop test files.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mojasim::fspiop::test {

/// Contents of a file.
inline std::string read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if(!in)
        throw std::runtime_error("cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Contents of tests/unit/fspiop/data/<name>.
inline std::string read_data(std::string const& name)
{
    return read_file(std::string(MOJASIM_SOURCE_DIR) + "/tests/unit/fspiop/data/" + name);
}

/// Path of a file in spec/ (the repository's unmodified copies of the reference files).
inline std::string reference_path(std::string const& name)
{
    return std::string(MOJASIM_REFERENCE_DIR) + "/" + name;
}

} // namespace mojasim::fspiop::test
