/* placeholder until the validator lands */
#include "config.h"
#include "platform-private.h"
TDXSIM_EXPORT int tdxsim_platform_validate(const struct tdxsim_platform *p, struct tdxsim_diag *diag) { (void)p; (void)diag; return -ENOSYS; }
