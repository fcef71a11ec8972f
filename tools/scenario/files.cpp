#include "tools/scenario/files.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace mojasim::scenario {

namespace fs = std::filesystem;

std::string why_not_writable(std::string const& path)
{
    if(path.empty())
        return "the path is empty";
    std::error_code ec;
    fs::path const p(path);
    auto const st = fs::status(p, ec);
    if(fs::is_directory(st))
        return "it is a directory";
    if(fs::exists(st))
        return ::access(path.c_str(), W_OK) == 0 ? std::string{} : "the file is not writable: " + std::string(std::strerror(errno));
    auto const folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
    auto const fst = fs::status(folder, ec);
    if(!fs::exists(fst))
        return "its folder " + folder.string() + " does not exist";
    if(!fs::is_directory(fst))
        return folder.string() + " is not a folder";
    if(::access(folder.c_str(), W_OK | X_OK) != 0)
        return "its folder " + folder.string() + " is not writable: " + std::strerror(errno);
    return {};
}

namespace {

bool is_yaml(fs::path const& p)
{
    auto const ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml";
}

bool looks_like_scenario(fs::path const& p)
{
    try
    {
        auto const root = YAML::LoadFile(p.string());
        return !root.IsMap() || root["beneficiaries"] || root["steps"];
    }
    catch(YAML::Exception const&)
    {
        return true; // a broken file is reported, never skipped
    }
}

} // namespace

expanded_files expand_scenario_args(std::vector<std::string> const& args)
{
    expanded_files out;
    for(auto const& a : args)
    {
        std::error_code ec;
        if(!fs::is_directory(a, ec))
        {
            out.files.push_back(a);
            continue;
        }
        std::vector<fs::path> found;
        fs::recursive_directory_iterator it(a, fs::directory_options::skip_permission_denied, ec);
        if(ec)
        {
            out.errors.push_back(a + ": cannot read the folder: " + ec.message());
            continue;
        }
        for(; it != fs::recursive_directory_iterator(); it.increment(ec))
        {
            if(ec)
                break;
            auto const& p = it->path();
            if(it->is_directory() && p.filename().string().starts_with("."))
                it.disable_recursion_pending();
            else if(it->is_regular_file() && is_yaml(p))
                found.push_back(p);
        }
        std::sort(found.begin(), found.end());
        std::size_t taken = 0;
        for(auto const& p : found)
            if(looks_like_scenario(p))
            {
                out.files.push_back(p.string());
                ++taken;
            }
            else
                out.skipped.push_back(p.string());
        if(taken == 0)
            out.errors.push_back(a + ": no scenario files (*.yaml, *.yml with beneficiaries: or steps:) under it");
    }
    return out;
}

bool tags_select(std::vector<std::string> const& tags, std::vector<std::string> const& wanted,
                 std::vector<std::string> const& skipped)
{
    auto const has = [&](std::string const& t) { return std::find(tags.begin(), tags.end(), t) != tags.end(); };
    if(std::any_of(skipped.begin(), skipped.end(), has))
        return false;
    return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), has);
}

} // namespace mojasim::scenario
