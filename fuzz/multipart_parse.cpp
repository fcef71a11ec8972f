// libFuzzer target: the multipart/form-data parser (payment-hub/multipart.hpp) and PH-EE's
// upload checks around it (payment-hub/upload.hpp). The input's first line is the
// Content-Type, the rest the body. Every part's body is a view into the request body, and an
// upload is either accepted or answered with a JSON error body.
#include "payment-hub/multipart.hpp"
#include "payment-hub/upload.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

namespace hub = mojasim::hub;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    auto const eol = input.find('\n');
    std::string_view const content_type = input.substr(0, eol);
    std::string_view const body = eol == std::string_view::npos ? std::string_view{} : input.substr(eol + 1);

    (void)hub::is_multipart(content_type);
    if(auto const boundary = hub::multipart_boundary(content_type))
    {
        if(auto const parts = hub::parse_multipart(body, *boundary))
        {
            for(auto const& p : *parts)
                if(!p.body.empty() && (p.body.data() < body.data() || p.body.data() + p.body.size() > body.data() + body.size()))
                    std::abort();
            (void)hub::find_part(*parts, "data");
        }
    }

    for(std::string_view const type : {"csv", "raw"})
    {
        for(bool const lenient : {false, true})
        {
            hub::upload_request req;
            req.correlation_id = "c";
            req.purpose = "p";
            req.type = std::string(type);
            req.tenant = "t";
            req.filename = "f.csv";
            req.content_type = std::string(content_type);
            req.body = body;
            req.path = "/batchtransactions";
            hub::upload_options opts;
            opts.lenient_type = lenient;
            auto const r = hub::validate_upload(req, opts, {});
            if(auto const* no = std::get_if<hub::rejected_upload>(&r))
            {
                boost::system::error_code ec;
                boost::json::parse(no->body, ec);
                if(ec)
                    std::abort();
            }
            else
            {
                auto const& ok = std::get<hub::accepted_upload>(r);
                if(!ok.raw && !ok.csv.empty() && (ok.csv.data() < body.data() || ok.csv.data() + ok.csv.size() > body.data() + body.size()))
                    std::abort();
                hub::for_each_row(ok, [](hub::input_row const&) {});
            }
        }
    }
    return 0;
}
