/* placeholder until the importer lands */
#include "config.h"
#include "platform-private.h"
TDXSIM_EXPORT int tdxsim_dmesg_import(const char *name, const char *text, size_t len, struct tdxsim_platform **out, struct tdxsim_diag *diag) { (void)name; (void)text; (void)len; (void)out; (void)diag; return -ENOSYS; }
