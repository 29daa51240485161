/* Calls into the firmware's (QEMU's) PSCI through the DT's conduit. */
#include "hyp/platform.h"

static enum smccc_conduit conduit;

void smccc_set_conduit(enum smccc_conduit c)
{
	conduit = c;
}

int64_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (conduit) {
	case CONDUIT_SMC:
		return (int64_t)smccc_smc(fid, a1, a2, a3);
	case CONDUIT_HVC:
		return (int64_t)smccc_hvc(fid, a1, a2, a3);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

const char *psci_strerror(int64_t err)
{
	static const char *const names[] = {
		"SUCCESS",	    "NOT_SUPPORTED", "INVALID_PARAMETERS",
		"DENIED",	    "ALREADY_ON",    "ON_PENDING",
		"INTERNAL_FAILURE", "NOT_PRESENT",   "DISABLED",
		"INVALID_ADDRESS",
	};

	if (err > 0 || -err >= (int64_t)(sizeof(names) / sizeof(names[0])))
		return "unknown PSCI error";
	return names[-err];
}
