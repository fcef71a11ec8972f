#include "payment-hub/batch.hpp"

#include "simulator/net/message.hpp"

#include <algorithm>
#include <unordered_set>

namespace mojasim::hub {

using net::iequals;

//------------------------------------------------------------------------------

string_table::string_table()
{
    strings_.emplace_back();
    index_.emplace(std::string_view(strings_.back()), 0);
}

string_table::id
string_table::intern(std::string_view s)
{
    if(auto it = index_.find(s); it != index_.end())
        return it->second;
    auto const i = static_cast<id>(strings_.size());
    strings_.emplace_back(s);
    index_.emplace(std::string_view(strings_.back()), i);
    return i;
}

std::string_view
to_string(row_status s) noexcept
{
    switch(s)
    {
    case row_status::in_progress: return "IN_PROGRESS";
    case row_status::completed: return "COMPLETED";
    case row_status::failed: return "FAILED";
    }
    return "UNKNOWN";
}

std::string_view
to_string(ingress i) noexcept
{
    switch(i)
    {
    case ingress::phee: return "phee";
    case ingress::g2p_connect: return "g2p_connect";
    case ingress::interop: return "interop";
    }
    return "phee";
}

std::optional<connector::party_id_type>
find_mode(payment_mode_table const& modes, std::string_view mode) noexcept
{
    for(auto const& [name, type] : modes)
        if(iequals(name, mode))
            return type;
    return std::nullopt;
}

//------------------------------------------------------------------------------

payment_row&
batch::add_row(payment_row row)
{
    row.status = row_status::in_progress;
    ++ongoing_;
    total_amount_ = checked_add(total_amount_, row.amount).value();
    ongoing_amount_ = checked_add(ongoing_amount_, row.amount).value();
    completed_ms = 0;
    rows.push_back(std::move(row));
    return rows.back();
}

payment_row*
batch::settle_row(std::size_t i, std::int64_t now_ms, row_status to)
{
    if(i >= rows.size() || rows[i].status != row_status::in_progress)
        return nullptr;
    auto& r = rows[i];
    r.status = to;
    r.completed_ms = now_ms;
    bool const paid = to == row_status::completed;
    --ongoing_;
    ++(paid ? successful_ : failed_);
    // Both stay between 0 and the total (see add_row).
    ongoing_amount_ = checked_sub(ongoing_amount_, r.amount).value();
    auto& done = paid ? successful_amount_ : failed_amount_;
    done = checked_add(done, r.amount).value();
    if(ongoing_ == 0)
        completed_ms = now_ms;
    return &r;
}

bool
batch::complete_row(std::size_t i, std::int64_t now_ms)
{
    return settle_row(i, now_ms, row_status::completed) != nullptr;
}

bool
batch::fail_row(std::size_t i, std::int64_t now_ms, std::string_view code, std::string_view description,
                std::string_view detail)
{
    auto* r = settle_row(i, now_ms, row_status::failed);
    if(!r)
        return false;
    r->error_code = strings.intern(code);
    r->error_description = strings.intern(description);
    r->status_detail = strings.intern(detail.empty() ? description : detail);
    return true;
}

int
batch::completion_rate() const noexcept
{
    if(rows.empty())
        return 0;
    return static_cast<int>(successful_ * 100 / rows.size());
}

//------------------------------------------------------------------------------

std::unique_ptr<batch>
make_batch(batch_info info, accepted_upload const& upload, batch_rules const& rules, std::int64_t now_ms,
           std::function<std::string()> const& next_id, std::uint64_t& next_workflow_key)
{
    auto b = std::make_unique<batch>();
    b->info = std::move(info);
    b->started_ms = now_ms;
    b->workflow_key = next_workflow_key++;
    if(upload.raw)
        b->info.filename = b->info.batch_id + ".csv";

    std::unordered_set<std::string> seen;
    std::vector<std::string_view> modes_seen;
    bool invalid_data = false;
    auto& s = b->strings;
    auto const forced_payee_dfsp = s.intern(b->info.payee_dfsp_id);

    for_each_row(upload, [&](input_row const& in) {
        payment_row r;
        r.request_id = in.request_id.empty() && upload.raw ? next_id() : in.request_id;
        r.payee_identifier = in.payee_identifier;
        r.transaction_id = next_id();
        r.workflow_key = next_workflow_key++;
        r.started_ms = now_ms;
        if(rules.program)
        {
            r.payer_identifier = s.intern(rules.program->identifier_value);
            r.payer_type = s.intern(rules.program->identifier_type);
        }
        else
        {
            r.payer_identifier = s.intern(in.payer_identifier);
            r.payer_type = s.intern(in.payer_identifier_type);
        }
        r.payee_type = s.intern(in.payee_identifier_type);
        r.payment_mode = s.intern(in.payment_mode);
        r.currency = s.intern(in.currency);
        r.note = s.intern(in.note);
        r.payee_dfsp = forced_payee_dfsp != 0 ? forced_payee_dfsp : s.intern(in.payee_dfsp_id);

        auto const mode_name = s.get(r.payment_mode);
        if(!mode_name.empty() && std::find(modes_seen.begin(), modes_seen.end(), mode_name) == modes_seen.end())
        {
            if(!modes_seen.empty())
                b->modes += ",";
            b->modes += mode_name;
            modes_seen.push_back(mode_name);
        }

        // An amount the batch's total cannot take is as invalid as one that is not a number.
        auto amount = core::decimal::parse(in.amount);
        bool const good_amount = amount && !amount->is_negative() && !amount->is_zero() && b->can_add(*amount);
        if(good_amount)
            r.amount = *amount;

        auto const mode = rules.modes ? find_mode(*rules.modes, in.payment_mode) : std::nullopt;
        if(mode && !rules.row_id_types)
        {
            // PH-EE's Mojaloop path sends the mode's id type for both parties and ignores
            // the CSV's identifier types.
            auto const type = s.intern(connector::to_string(*mode));
            if(!rules.program)
                r.payer_type = type;
            r.payee_type = type;
        }

        bool const duplicate = !r.request_id.empty() && !seen.insert(r.request_id).second;
        auto const i = b->rows.size();
        b->add_row(std::move(r));

        if(in.malformed)
        {
            invalid_data = true;
            b->fail_row(i, now_ms, "400", row_note::invalid_data);
        }
        else if(!in.reject_code.empty())
            b->fail_row(i, now_ms, in.reject_code, in.reject_note);
        else if(duplicate)
            b->fail_row(i, now_ms, "409", row_note::duplicate);
        else if(!good_amount)
        {
            invalid_data = true;
            b->fail_row(i, now_ms, "400", row_note::invalid_amount);
        }
        else if(!mode)
            b->fail_row(i, now_ms, "404", row_note::mode_not_configured);
        else
            b->rows[i].payable = true;
    });

    if(invalid_data)
        b->note = std::string(row_note::batch_invalid_data);
    if(b->rows.empty() || b->finished())
        b->completed_ms = now_ms;
    b->rows.shrink_to_fit();
    return b;
}

std::string
batch_key(batch const& b)
{
    return b.info.tenant + '\x1f' + b.info.batch_id;
}

bool
take_phases(std::vector<int>& phases_left, int rate)
{
    auto const before = phases_left.size();
    phases_left.erase(std::remove_if(phases_left.begin(), phases_left.end(), [rate](int p) { return p <= rate; }),
                      phases_left.end());
    return phases_left.size() != before;
}

//------------------------------------------------------------------------------

std::string
batch_store::key(std::string_view tenant, std::string_view id)
{
    std::string k;
    k.reserve(tenant.size() + 1 + id.size());
    k.append(tenant).push_back('\x1f');
    k.append(id);
    return k;
}

batch&
batch_store::add(std::unique_ptr<batch> b)
{
    auto& ref = *b;
    index_[key(b->info.tenant, b->info.batch_id)] = b.get();
    order_.push_back(std::move(b));
    evict();
    return ref;
}

batch*
batch_store::find(std::string_view tenant, std::string_view batch_id) noexcept
{
    auto it = index_.find(key(tenant, batch_id));
    return it == index_.end() ? nullptr : it->second;
}

batch const*
batch_store::find(std::string_view tenant, std::string_view batch_id) const noexcept
{
    auto it = index_.find(key(tenant, batch_id));
    return it == index_.end() ? nullptr : it->second;
}

void
batch_store::evict()
{
    while(order_.size() > max_batches_)
    {
        // Never the newest: add() returns a reference to it.
        auto const last = order_.end() - 1;
        auto it = std::find_if(order_.begin(), last, [](auto const& b) { return b->finished(); });
        if(it == last)
            return;
        index_.erase(key((*it)->info.tenant, (*it)->info.batch_id));
        order_.erase(it);
    }
}

} // namespace mojasim::hub
