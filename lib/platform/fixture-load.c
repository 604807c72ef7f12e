/* placeholder until the loader lands */
#include "config.h"
#include "platform-private.h"
TDXSIM_EXPORT int tdxsim_platform_load_file(const char *path, struct tdxsim_platform **out, struct tdxsim_diag *diag) { (void)path; (void)out; (void)diag; return -ENOSYS; }
TDXSIM_EXPORT int tdxsim_platform_load_buffer(const char *name, const char *text, size_t len, struct tdxsim_platform **out, struct tdxsim_diag *diag) { (void)name; (void)text; (void)len; (void)out; (void)diag; return -ENOSYS; }
