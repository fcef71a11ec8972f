// multipart/form-data (RFC 7578) as PH-EE's Spring server reads it: the boundary from the
// Content-Type, parts separated by CRLF--boundary (LF alone is tolerated), each with its
// own headers. A part needs no Content-Type (Python requests sends none for a 2-tuple
// file); its body is returned as a view into the request body, never copied.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojasim::hub {

/// The `boundary` parameter of a multipart/form-data Content-Type (quoted or not), or
/// nothing when the type is not multipart/form-data or has no usable boundary.
std::optional<std::string> multipart_boundary(std::string_view content_type);

/// True when a Content-Type names a multipart body (what Spring's isMultipart checks).
bool is_multipart(std::string_view content_type) noexcept;

struct form_part
{
    std::string name;                     ///< Content-Disposition name
    std::optional<std::string> filename;  ///< Content-Disposition filename, if any
    std::optional<std::string> content_type;
    std::string_view body;                ///< into the parsed request body
};

/// The parts of a multipart body, or nothing when it is malformed: no opening delimiter,
/// a part without Content-Disposition form-data, headers without an end, or no closing
/// delimiter.
std::optional<std::vector<form_part>> parse_multipart(std::string_view body, std::string_view boundary);

/// The first part called `name`, or null.
form_part const* find_part(std::vector<form_part> const& parts, std::string_view name) noexcept;

} // namespace mojasim::hub
