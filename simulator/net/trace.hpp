// The trace hook: a callable that sees every HTTP message an actor sends or receives.
#pragma once

#include "simulator/net/message.hpp"

#include <functional>

namespace mojasim::net {

/// Called on the actor's executor for each message; must be cheap and thread-safe when
/// several actors share one sink. Views in the event are valid only during the call.
using trace_sink = std::function<void(trace_event const&)>;

} // namespace mojasim::net
