// PH-EE's bulk_processor_account_lookup flow, the pure part (shared/notes/account-mapper.md
// §4.2): the batch's payee identifiers asked of the mapper in one POST /accountLookup, and
// the mapper's callback applied to the rows. A row the mapper knows gets its payee identifier
// := financialAddress and payee DFSP := bankingInstitutionCode; one it does not know ends
// Failed / 404 / "Payee Identifier not found". When the mapper cannot be reached, or its
// callback does not come in time, the batch fails as a whole.
#pragma once

#include "payment-hub/batch.hpp"
#include "simulator/mapper/phee.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mojasim::hub {

namespace lookup_note {
inline constexpr std::string_view not_found_code = "404";
inline constexpr std::string_view not_found = "Payee Identifier not found";
inline constexpr std::string_view unreachable_code = "503";
/// The row and batch note when POST /accountLookup could not be delivered.
inline constexpr std::string_view unreachable = "Account lookup failed: the account mapper could not be reached";
inline constexpr std::string_view timed_out_code = "504";
/// mojasim's own: PH-EE would wait for ever.
inline constexpr std::string_view timed_out = "Account lookup failed: no callback from the account mapper in time";
} // namespace lookup_note

/// The request of the lookup: requestID, sourceBBID = institution, one beneficiary per
/// payable row (payeeIdentity, the other three fields ""), duplicates kept, as PH-EE sends it.
mapper::phee::request_dto lookup_request(batch const& b, std::string request_id, std::string institution);

struct lookup_outcome
{
    std::size_t resolved = 0;
    std::size_t not_found = 0;
};

/// Apply the mapper's answer to every payable row: rewrite, or fail 404.
lookup_outcome apply_lookup(batch& b, mapper::phee::batch_lookup_answer const& answer, std::int64_t now_ms);

/// Fail every row still waiting (code and note as given), and note it on the batch.
void fail_lookup(batch& b, std::int64_t now_ms, std::string_view code, std::string_view note);

} // namespace mojasim::hub
