/* placeholder until the writer lands */
#include "config.h"
#include "platform-private.h"
TDXSIM_EXPORT int tdxsim_platform_write(const struct tdxsim_platform *p, FILE *out) { (void)p; (void)out; return -ENOSYS; }
TDXSIM_EXPORT int tdxsim_platform_save_file(const struct tdxsim_platform *p, const char *path) { (void)p; (void)path; return -ENOSYS; }
