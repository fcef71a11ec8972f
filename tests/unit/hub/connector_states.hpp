// Connector transfer states the payment-outcome tests build their answers from.
#pragma once

#include "simulator/connector/codec.hpp"

#include "simulator/connector/types.hpp"

namespace mojasim::hub::test {

/// A transfer the connector has taken: ids, parties and amount, nothing else yet.
inline connector::transfer_response base_state()
{
    connector::transfer_response t;
    t.transfer_id = "b51ec534-ee48-4575-b6a9-ead2955b8069";
    t.home_transaction_id = "9a2e";
    t.from.id_value = "0413356886";
    t.to.id_value = "0495822412";
    t.amount_type = connector::amount_type::receive;
    t.currency = "USD";
    t.amount = *core::decimal::parse("50");
    return t;
}

/// The payee DFSP's quote, as the connector keeps it (with the callback's headers).
inline connector::quote_response a_quote()
{
    connector::quote_response q;
    q.body.transfer_amount = {"USD", *core::decimal::parse("50")};
    q.body.expiration = "2024-05-01T10:01:00.000Z";
    q.body.ilp_packet = "AYIB";
    q.body.condition = "HOr22-H3AfTDHrSkPjJtVPRdKouuMkDXTR4ejlQa8Ks";
    q.headers = {{"fspiop-source", "dfsp2"}};
    return q;
}

/// The connector's error answer (errorTransferResponse) holding state `t`.
inline std::string error_body(connector::transfer_response const& t, std::string code = "500")
{
    connector::transfer_error_response e;
    e.status_code = std::move(code);
    e.message = "failed";
    e.transfer_state = t;
    return connector::encode(e);
}

} // namespace mojasim::hub::test
