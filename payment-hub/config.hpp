// The Payment Hub's configuration and its YAML form (`mojasim serve hub --config FILE`).
// Every key has a default, so a file names only what it changes; see docs/payment-hub.md.
#pragma once

#include "payment-hub/batch.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::hub {

/// A payer tenant (Platform-TenantId): the DFSP that pays and its connector.
struct tenant_config
{
    std::string payer_fsp;     ///< the DFSP's fspId ("dfsp1")
    std::string connector_url; ///< base URL of its connector's outbound API ("http://127.0.0.1:4001")
    /// PH-EE's flow for the tenant's batches: "bulk_processor" (the default: pay the rows as
    /// they are) or "bulk_processor_account_lookup" (ask the account mapper first).
    std::string flow = "bulk_processor";
    std::string mapper_url{}; ///< the account mapper's base URL (the lookup flow needs it)
    /// X-Registering-Institution-ID sent to the mapper when the upload has none; empty: the
    /// tenant's name.
    std::string registering_institution{};
    /// How long to wait for the mapper's callback (PH-EE waits for ever).
    std::chrono::milliseconds lookup_timeout{60'000};

    [[nodiscard]] bool account_lookup() const noexcept { return flow == "bulk_processor_account_lookup"; }
};

/// A payment mode's type, as PH-EE's payment-mode mappings name it: PAYMENT modes pay each
/// row on its own (POST /transfers), BULK modes send rows in sub-batches
/// (POST /bulkTransactions).
enum class payment_mode_type : unsigned char { payment, bulk };
std::string_view to_string(payment_mode_type t) noexcept; ///< "PAYMENT", "BULK"

struct registering_institution
{
    std::string id;
    std::map<std::string, program_account> programs; ///< by X-Program-ID
};

struct hub_config
{
    // Listeners. The bulk API (PH-EE's bulk processor) and the operations API (its
    // operations app) are two servers, as in PH-EE; port 0 picks a free port.
    std::string host = "127.0.0.1";
    std::uint16_t bulk_port = 5000;
    std::uint16_t ops_port = 5001;
    /// Where OpenG2P posts: PH-EE's path, plus any other (OpenG2P posts to its configured URL).
    std::vector<std::string> bulk_paths{"/batchtransactions"};
    /// Where the account mapper sends its lookup callbacks (PUT): empty: the bulk listener's
    /// own URL + /batchAccountLookupCallback.
    std::string lookup_callback_url;
    /// Base of the result-file URLs in summaries; empty: the ops listener's own URL.
    std::string public_ops_url;

    // The upload checks.
    bool lenient_type = false;                    ///< accept any Type on a multipart body
    std::size_t max_file_bytes = 10 * 1024 * 1024; ///< PH-EE's csv.size is 100000
    std::size_t max_body_bytes = 0;               ///< 0: max_file_bytes + 1 MiB
    /// How long a client may take to send one request once it has begun (both listeners).
    std::chrono::milliseconds read_timeout{30'000};
    std::string polling_path = "/batch/Summary/"; ///< PollingPath prefix
    std::string suggested_callback_seconds = "120";

    // Orchestration.
    std::map<std::string, tenant_config> tenants;
    payment_mode_table payment_modes{{"MOJALOOP", connector::party_id_type::msisdn},
                                     {"MOJALOOP_BULK", connector::party_id_type::msisdn}};
    /// Each mode's type (upper-case keys); a mode not named is PAYMENT.
    std::map<std::string, payment_mode_type> payment_mode_types{{"MOJALOOP", payment_mode_type::payment},
                                                                {"MOJALOOP_BULK", payment_mode_type::bulk}};
    std::vector<registering_institution> registering_institutions;
    std::size_t max_in_flight = 8;                        ///< payments in flight, all batches
    std::chrono::milliseconds payment_timeout{200'000};   ///< one exchange with the connector
    int max_attempts = 3;                                 ///< PH-EE: 3 tries per stage
    std::chrono::milliseconds retry_delay{1'000};
    std::string amount_type = "RECEIVE";                  ///< PH-EE quotes RECEIVE amounts

    // BULK payment modes: rows go in sub-batches through POST /bulkTransactions.
    std::size_t bulk_size = 1000;                         ///< rows per sub-batch (the hub's limit)
    std::size_t bulk_in_flight = 4;                       ///< sub-batches in flight, all batches
    std::chrono::milliseconds bulk_poll_delay{5};         ///< first wait before GET /bulkTransactions/{id}
    std::chrono::milliseconds bulk_max_poll_delay{200};   ///< the waits double up to this
    std::chrono::milliseconds bulk_timeout{300'000};      ///< a sub-batch not final by then fails (2004)
    std::chrono::milliseconds bulk_expiration{60'000};    ///< options.bulkExpiration, from the POST
    bool bulk_auto_accept = true;                         ///< options.autoAcceptParty/Quote.enabled
    /// options.synchronous with auto-accept: the POST's answer is the final bulk transaction,
    /// so no GET is needed (false: answered at once, then polled).
    bool bulk_synchronous = true;
    /// options.skipPartyLookup when every row of the sub-batch already names its payee FSP
    /// (the account lookup found it, or X-PayeeDFSP-ID forced it): no GET /parties per row.
    bool bulk_skip_known_lookup = true;

    // Progress callbacks (X-CallbackURL).
    int callback_max_tries = 3;
    std::chrono::milliseconds callback_retry_delay{1'000};
    std::chrono::milliseconds callback_timeout{10'000};

    // Operations API.
    bool require_auth = false; ///< demand the bearer token of POST /oauth/token
    std::string oauth_client_id = "client";
    std::string oauth_client_secret;
    std::string oauth_username = "mifos";
    std::string oauth_password = "password";

    // The other ingresses (G2P Connect's disburse API, OpenG2P's interoperability layer),
    // served on the bulk listener. They carry no tenant header: their batches pay from
    // `ingress_tenant` (empty: the first tenant by name).
    std::string ingress_tenant;
    /// The payer of entries without one (G2P Connect's payer_fa "", every interop payee).
    std::string ingress_payer_id_type = "MSISDN";
    std::string ingress_payer_id;
    /// Where OpenG2P's interop-layer manager posts (its payment_endpoint_url's path).
    std::vector<std::string> interop_paths{"/interop/disbursement"};
    /// How long the interop POST waits for its batch to finish (OpenG2P gives up after 20 s);
    /// then it answers with the payees still PENDING.
    std::chrono::milliseconds interop_timeout{18'000};
    std::string g2p_sender_id = "payment-hub"; ///< header.sender_id of G2P Connect answers
    /// The account mapper a G2P Connect payee_fa holding an id ("token:<id>@nationalId") is
    /// resolved at (its /mapper/sync/resolve); empty: the ingress tenant's mapper_url; neither:
    /// such entries are refused (rjct.payee_fa.invalid).
    std::string ingress_mapper_url;

    std::size_t max_batches = 1000; ///< finished batches kept
    std::string name = "hub";       ///< actor name in logs and traces
    /// Seed of the hub's ids (batch ids, transaction ids); empty: from the OS.
    std::optional<std::uint64_t> id_seed;

    [[nodiscard]] std::size_t body_limit() const noexcept
    {
        return max_body_bytes != 0 ? max_body_bytes : max_file_bytes + 1024 * 1024;
    }
    /// The type of a payment mode (case-insensitive); PAYMENT unless configured BULK.
    [[nodiscard]] payment_mode_type mode_type(std::string_view mode) const;
    /// The tenant the other ingresses pay from: ingress_tenant, or the first tenant; null
    /// when there is none.
    [[nodiscard]] std::pair<std::string const, tenant_config> const* ingress_tenant_entry() const;
    [[nodiscard]] program_account const* find_program(std::string_view institution, std::string_view program) const;
};

/// Parse the YAML text of a hub configuration: either the hub's keys at the root or under
/// a `hub:` key. Throws yaml::error (a std::runtime_error) "<source>:<line>:<column>: <what>";
/// an unknown key lists the known ones.
hub_config parse_hub_config(std::string_view yaml, std::string const& source = "hub config");

/// Read and parse a file (yaml::error when unreadable or bad).
hub_config load_hub_config(std::string const& path);

} // namespace mojasim::hub
