/* SPDX-License-Identifier: MIT */
/*
 * E820 type names as Linux prints them in "BIOS-e820:" lines.
 *
 * Legacy wording: arch/x86/kernel/e820.c e820_print_type() before 2025.
 * Modern wording: Ingo Molnar's 2025 e820 series ("x86/boot/e820: Improve
 * e820_print_type() messages", Message-ID
 * <20250515120549.2820541-14-mingo@kernel.org> and neighbours), which
 * renamed "usable" to "System RAM", "reserved" to "device reserved" and
 * "persistent" to "persistent RAM" (Linux arch/x86/kernel/e820.c
 * e820_print_type()).
 * Type 128 ("reserved kernel") is accepted for hand-written fixtures; the
 * kernel itself prints it as "usable".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "platform-private.h"

struct type_name {
	uint32_t type;
	const char *legacy;
	const char *modern;
};

static const struct type_name fixed_names[] = {
	{ TDXSIM_E820_RAM, "usable", "System RAM" },
	{ TDXSIM_E820_RESERVED, "reserved", "device reserved" },
	{ TDXSIM_E820_ACPI, "ACPI data", "ACPI data" },
	{ TDXSIM_E820_NVS, "ACPI NVS", "ACPI NVS" },
	{ TDXSIM_E820_UNUSABLE, "unusable", "unusable" },
	{ TDXSIM_E820_SOFT_RESERVED, "soft reserved", "soft reserved" },
	{ TDXSIM_E820_RESERVED_KERN, "reserved kernel", "reserved kernel" },
};

TDXSIM_EXPORT const char *
tdxsim_e820_type_name(uint32_t type, enum tdxsim_e820_spelling spelling,
		      char *buf, size_t size)
{
	bool modern = spelling == TDXSIM_E820_SPELLING_MODERN;

	for (size_t i = 0; i < ARRAY_LENGTH(fixed_names); i++) {
		if (fixed_names[i].type == type) {
			snprintf(buf, size, "%s",
				 modern ? fixed_names[i].modern
					: fixed_names[i].legacy);
			return buf;
		}
	}
	if (type == TDXSIM_E820_PMEM || type == TDXSIM_E820_PRAM)
		snprintf(buf, size, "%s (type %u)",
			 modern ? "persistent RAM" : "persistent", type);
	else
		snprintf(buf, size, "type %u", type);
	return buf;
}

static bool
name_is(const char *name, size_t len, const char *candidate)
{
	return strlen(candidate) == len && memcmp(name, candidate, len) == 0;
}

/* "<prefix> (type N)" or "type N": the number, refusing anything else. */
static int
parse_numbered(const char *name, size_t len, const char *prefix,
	       uint32_t *type)
{
	struct tdxsim_scan sc;
	uint64_t value;
	bool too_big = false;

	tdxsim_scan_init(&sc, name, len);
	if (prefix) {
		if (!tdxsim_scan_literal(&sc, prefix) ||
		    !tdxsim_scan_literal(&sc, " (type "))
			return -EINVAL;
	} else if (!tdxsim_scan_literal(&sc, "type ")) {
		return -EINVAL;
	}
	if (!tdxsim_scan_u64(&sc, &value, &too_big) || too_big ||
	    value > UINT32_MAX)
		return -EINVAL;
	if (prefix && !tdxsim_scan_literal(&sc, ")"))
		return -EINVAL;
	if (!tdxsim_scan_at_end(&sc))
		return -EINVAL;
	*type = (uint32_t)value;
	return 0;
}

TDXSIM_EXPORT int
tdxsim_e820_type_parse(const char *name, size_t len, uint32_t *type,
		       enum tdxsim_e820_spelling *spelling)
{
	enum tdxsim_e820_spelling found = TDXSIM_E820_SPELLING_LEGACY;

	for (size_t i = 0; i < ARRAY_LENGTH(fixed_names); i++) {
		if (name_is(name, len, fixed_names[i].legacy)) {
			*type = fixed_names[i].type;
			goto out;
		}
		if (name_is(name, len, fixed_names[i].modern)) {
			*type = fixed_names[i].type;
			found = TDXSIM_E820_SPELLING_MODERN;
			goto out;
		}
	}
	/* The kernel prints the "persistent" form only for PMEM and PRAM; any
	 * other number there would not read back as the same name. */
	if (parse_numbered(name, len, "persistent RAM", type) == 0) {
		found = TDXSIM_E820_SPELLING_MODERN;
		goto persistent;
	}
	if (parse_numbered(name, len, "persistent", type) == 0)
		goto persistent;
	if (parse_numbered(name, len, NULL, type) == 0)
		goto out;
	return -EINVAL;
persistent:
	if (*type != TDXSIM_E820_PMEM && *type != TDXSIM_E820_PRAM)
		return -EINVAL;
out:
	if (spelling)
		*spelling = found;
	return 0;
}
