// Configuration of the switch actor: listeners, hub name, expiry sweeper and callback
// client. Defaults are the emulator's (docs/switch.md); a YAML file can set any of them.
#pragma once

#include "simulator/fspiop/jws.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mojasim::central {

/// FSPIOP-Signature (JWS) at the switch (docs/switch.md, "JWS"): validate what FSPs with a
/// known key send, sign what the hub writes itself.
using switch_jws_config = fspiop::jws::settings;

struct switch_config
{
    std::string host = "127.0.0.1";
    std::uint16_t fspiop_port = 4000; ///< FSPIOP API (parties, participants, quotes, transfers); 0: any
    std::uint16_t admin_port = 4001;  ///< central-ledger / ALS / settlement admin API; 0: any
    /// FSPIOP-Source of the messages the hub writes itself (HUB_PARTICIPANT.NAME).
    std::string hub_name = "Hub";
    /// How often the expiry sweeper looks for expired transfers (the real hub: 15 s).
    std::chrono::milliseconds expiry_sweep_interval{1000};
    /// SEND_TRANSFER_CONFIRMATION_TO_PAYEE of ml-api-adapter: copy commits and aborts to the payee.
    bool send_transfer_confirmation_to_payee = true;
    /// HTTP_REQUEST_TIMEOUT_MS: how long a callback to an FSP may take.
    std::chrono::milliseconds callback_timeout{20'000};
    /// Kept-alive connections per FSP endpoint (host:port).
    std::size_t max_connections_per_fsp = 16;
    /// How long a client may take to send one request once it has begun (its headers and
    /// body); a client that dribbles bytes slower is disconnected.
    std::chrono::milliseconds read_timeout{30'000};
    /// Where the real hub is laxer than the FSPIOP specification, follow the specification
    /// (e.g. CorrelationId per API version, a fulfil without fulfilment refused at once).
    bool strict_spec = false;
    /// Actor name, for logs and traces.
    std::string name = "switch";
    /// FSPIOP-Signature validation and signing.
    switch_jws_config jws;
};

/// Read a YAML file over `base`. Keys (all optional): host, fspiop_port, admin_port,
/// hub_name, expiry_sweep_interval_ms, send_transfer_confirmation_to_payee,
/// callback_timeout_ms, max_connections_per_fsp, read_timeout_ms, strict_spec, name, and
/// jws: {validate, sign, private_key_file, public_keys: {fsp: pem_file}} (key files relative
/// to the config file's folder; a key that cannot be read, is not RSA or has fewer than 2,048
/// bits is an error at its line). An unknown key is an error. Returns the error ("<file>:<line>:<column>: <message>"), or nothing; on an error
/// `base` is left as it was.
std::optional<std::string> load_config(std::string const& path, switch_config& base);

/// The same from YAML text; `source` names it in errors.
std::optional<std::string> parse_config(std::string_view yaml, switch_config& base, std::string const& source = "config");

} // namespace mojasim::central
