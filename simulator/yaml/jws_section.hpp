// The `jws:` section that the switch's and the DFSPs' configuration files share: validate,
// sign, private_key_file and public_keys ({name: pem_file}), key files relative to the
// configuration file's folder. The caller checks the section's keys (a DFSP has one more).
#pragma once

#include "simulator/fspiop/jws.hpp"
#include "simulator/yaml/reader.hpp"

#include <filesystem>
#include <string>

namespace mojasim::yaml {

/// The PEM key in the file named at `n` (relative to `source`'s folder); a file that cannot
/// be read, is not RSA, is under 2,048 bits or is not private when `want_private` fails at `n`.
inline fspiop::jws::key
read_key_file(reader const& r, YAML::Node const& n, std::string const& source, bool want_private)
{
    std::filesystem::path path(r.text(n, "a key file"));
    if(path.is_relative())
        path = std::filesystem::path(source).parent_path() / path;
    auto k = fspiop::jws::load_pem_file(path.string());
    if(!k)
        r.fail(n, k.error());
    if(want_private && !k->is_private())
        r.fail(n, path.string() + ": not a private key");
    return want_private ? *k : k->public_key();
}

/// validate, sign, private_key_file and public_keys of the section `n` into `jws`.
inline void
read_jws_settings(reader const& r, YAML::Node const& n, std::string const& source, fspiop::jws::settings& jws)
{
    jws.validate = r.boolean_or(n, "validate", jws.validate);
    jws.sign = r.boolean_or(n, "sign", jws.sign);
    if(auto const k = n["private_key_file"])
        jws.signing_key = read_key_file(r, k, source, true);
    if(auto const keys = n["public_keys"])
    {
        r.require_map(keys, "jws.public_keys");
        for(auto const& entry : keys)
            jws.public_keys[r.text(entry.first, "a key in jws.public_keys")] = read_key_file(r, entry.second, source, false);
    }
}

} // namespace mojasim::yaml
