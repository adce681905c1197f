// A serving deployment that cannot run as described (a layout that does not divide the model,
// weights that do not fit): the message names the field and what was expected.
#pragma once

#include <stdexcept>

namespace tcsim::serve {

class ServeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace tcsim::serve
