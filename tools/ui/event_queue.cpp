#include "tools/ui/event_queue.hpp"

namespace mojasim::ui {

bool event_queue::push(std::string_view json_object)
{
    if(full())
    {
        ++dropped_;
        ++dropped_total_;
        return false;
    }
    if(!pending_.empty())
        pending_ += ',';
    pending_ += json_object;
    return true;
}

std::string event_queue::take()
{
    std::string out;
    if(dropped_ + thinned_ != 0)
    {
        out = "event: dropped\ndata: " + std::to_string(dropped_ + thinned_) + "\n\n";
        dropped_ = 0;
        thinned_ = 0;
    }
    if(!pending_.empty())
    {
        out.reserve(out.size() + pending_.size() + 12);
        out += "data: [";
        out += pending_;
        out += "]\n\n";
        pending_.clear();
    }
    return out;
}

} // namespace mojasim::ui
