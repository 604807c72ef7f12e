/* SPDX-License-Identifier: MIT */
/*
 * A program outside the tdxsim tree: built only from the installed headers
 * and the pkg-config file, it loads a fixture and checks what it read.
 */
#include <stdio.h>
#include <string.h>

#include <tdxsim/tdxsim.h>

int
main(int argc, char **argv)
{
	struct tdxsim_diag *diag = tdxsim_diag_new();
	struct tdxsim_platform *platform = NULL;
	int ret;

	if (argc != 2 || !diag)
		return 2;
	ret = tdxsim_platform_load_file(argv[1], &platform, diag);
	for (size_t i = 0; i < tdxsim_diag_count(diag); i++)
		fprintf(stderr, "%s\n", tdxsim_diag_message(diag, i));
	if (ret == 0) {
		printf("libtdxsim %s: %s: %zu E820 entries, %zu CMRs\n",
		       tdxsim_version(),
		       tdxsim_platform_info(platform, TDXSIM_INFO_NAME),
		       tdxsim_platform_e820_count(platform),
		       tdxsim_platform_cmr_count(platform));
	}
	tdxsim_platform_free(platform);
	tdxsim_diag_free(diag);
	return ret == 0 ? 0 : 1;
}
