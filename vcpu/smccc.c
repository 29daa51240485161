/*
 * The guest's HVC: SMC Calling Convention 1.1 (Arm DEN 0028) and PSCI 1.1
 * (Arm DEN 0022), one table of function IDs. Unknown IDs return
 * NOT_SUPPORTED (SMCCC 1.1, 7.1). Results go in x0; x1-x3 are left alone.
 */
#include "arch/sysreg.h"
#include "hyp/log.h"
#include "hyp/platform.h"
#include "hyp/sysreg_trap.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define PSCI_FEATURES 0x8400000AU
#define PSCI_CPU_SUSPEND 0xC4000001U
#define PSCI_AFFINITY_INFO 0xC4000004U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_SYSTEM_RESET2 0x84000012U
#define PSCI_SYSTEM_RESET2_64 0xC4000012U
/* SYSTEM_RESET2's reset_type (DEN 0022 5.17): bit 31 vendor-specific;
 * of the architectural ones only 0, SYSTEM_WARM_RESET, exists */
#define RESET2_VENDOR BIT(31)
/* hypnest's own calls: SMCCC vendor-specific hypervisor service (OEN 6).
 * TRAP_COUNT: x1 = EC, or 0xffff for all exits. LEVEL_COUNT: the per-level
 * counters and episodes, x1 = what, x2 = level, x3 = reason (stats_query,
 * include/hyp/stats.h; docs/nested.md "Accounting") */
#define HYPNEST_TRAP_COUNT 0x86000001U
#define HYPNEST_LEVEL_COUNT 0x86000002U
#define HYPNEST_MEM_USE 0x86000003U

#define SMCCC_V1_1 0x10001
#define PSCI_V1_1 0x10001
#define AFF_ON 0
#define AFF_OFF 1
#define AFF_ON_PENDING 2

typedef int64_t (*smccc_fn)(struct vcpu *v, const uint64_t *a);

static int64_t smccc_version(struct vcpu *v, const uint64_t *a)
{
	(void)v, (void)a;
	return SMCCC_V1_1;
}

static int64_t psci_version(struct vcpu *v, const uint64_t *a)
{
	(void)v, (void)a;
	return PSCI_V1_1;
}

/*
 * Two vCPUs may ask for the same target at once: the target is claimed by
 * one compare-and-swap OFF -> ON_CLAIMED, so exactly one call wins and the
 * other sees ON_PENDING (or ALREADY_ON, once it runs). The winner then
 * fills in the entry point and context, and only then publishes
 * ON_PENDING (release): the target's CPU reads them after it sees that.
 */
static int64_t psci_cpu_on(struct vcpu *v, const uint64_t *a)
{
	struct vcpu *t = v->vm->ops->vcpu_by_mpidr(v->vm, a[1]);
	enum vcpu_power old = VCPU_OFF;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!v->vm->ops->ipa_is_ram(v->vm, a[2]))
		return PSCI_INVALID_ADDRESS;
	if (!__atomic_compare_exchange_n(&t->power, &old, VCPU_ON_CLAIMED,
					 false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return old == VCPU_ON ? PSCI_ALREADY_ON : PSCI_ON_PENDING;
	t->entry = a[2];
	t->context = a[3];
	__atomic_store_n(&t->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	dsb(ish);
	virq_kick(t); /* it sleeps in WFI while off (vcpu/vcpu.c) */
	return PSCI_SUCCESS;
}

static int64_t psci_cpu_off(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
	return PSCI_SUCCESS; /* never seen: the vCPU does not run again */
}

/* Every power state is treated as standby: the vCPU idles as in WFI and
 * resumes after the call when an interrupt is pending (DEN 0022 5.4) */
static int64_t psci_cpu_suspend(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	virq_idle(v);
	return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(struct vcpu *v, const uint64_t *a)
{
	struct vcpu *t = v->vm->ops->vcpu_by_mpidr(v->vm, a[1]);

	if (!t || a[2] != 0)
		return PSCI_INVALID_PARAMETERS;
	return t->power == VCPU_ON    ? AFF_ON
	       : t->power == VCPU_OFF ? AFF_OFF
				      : AFF_ON_PENDING;
}

static int64_t psci_system_off(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	v->vm->ops->stop(v->vm, v, "SYSTEM_OFF");
	return PSCI_INTERNAL_FAILURE; /* not reached */
}

/*
 * hypnest does not restart a guest: a reset ends it, as a crash (vm/vm.c
 * vm_crash: every vCPU's state, exit status EXIT_GUEST_CRASH), since the
 * reset a guest asks for is most often its panic (Linux's panic=N ends in
 * SYSTEM_RESET) and a clean end is SYSTEM_OFF.
 */
static int64_t psci_system_reset(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	v->vm->ops->crash(v->vm, v, EXIT_SYNC,
			  "SYSTEM_RESET (a reset ends the guest: hypnest does "
			  "not restart guests)");
	return PSCI_INTERNAL_FAILURE;
}

/* SMC32 and SMC64: reset_type in W1 either way; its cookie is not used */
static int64_t psci_system_reset2(struct vcpu *v, const uint64_t *a)
{
	uint32_t type = (uint32_t)a[1];

	if (type & RESET2_VENDOR)
		return PSCI_NOT_SUPPORTED;
	if (type != 0)
		return PSCI_INVALID_PARAMETERS;
	v->vm->ops->crash(v->vm, v, EXIT_SYNC,
			  "SYSTEM_RESET2 (warm reset; a reset ends the guest: "
			  "hypnest does not restart guests)");
	return PSCI_INTERNAL_FAILURE;
}

static int64_t trap_count(struct vcpu *v, const uint64_t *a)
{
	if (a[1] == 0xffff)
		return (int64_t)v->stats.exits;
	if (a[1] > EC_MAX)
		return PSCI_INVALID_PARAMETERS;
	return (int64_t)v->stats.by_ec[a[1]];
}

/* an SMC32 function ID (bit 30 clear), as TRAP_COUNT's: its arguments are
 * W1-W3 (SMCCC: the upper halves are not the caller's to set); the count
 * comes back in all of X0, as TRAP_COUNT's does */
static int64_t level_count(struct vcpu *v, const uint64_t *a)
{
	return stats_query(&v->stats, (uint32_t)a[1], (uint32_t)a[2],
			   (uint32_t)a[3]);
}

/* HYPNEST_MEM_USE (an SMC32 ID, argument in W1): 0, the table pages of
 * the shadow stage 2s (nv/shadow_s2.c; 0 without nested guests); 1,
 * hypnest's free pages: what a guest checks does not grow */
static int64_t mem_use(struct vcpu *v, const uint64_t *a)
{
	switch ((uint32_t)a[1]) {
	case 0:
		return v->vm->nested ? (int64_t)v->vm->shadow.pages : 0;
	case 1:
		return (int64_t)palloc_free_pages(v->vm->pages);
	default:
		return PSCI_INVALID_PARAMETERS;
	}
}

#ifdef TEST_HOOKS
/* Test build only (make TEST_HOOKS=1): VNCR_EL2 to a page hypnest never
 * maps at EL2 (the flash at 0x1000, as hyp/main.c's test=fault), so that
 * the guest's next register access NV2 redirects to it faults
 * (guest-tests/vel2_vncr_fault.c). VNCR_EL2 (D24.2.220) by encoding. */
#define HYPNEST_TEST_VNCR_UNMAP 0x86000F01U
#define TEST_UNMAPPED_PAGE 0x1000UL

static int64_t test_vncr_unmap(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	if (!v->nv.enabled)
		return PSCI_NOT_SUPPORTED;
	write_sysreg(s3_4_c2_c2_0, TEST_UNMAPPED_PAGE);
	isb();
	return PSCI_SUCCESS;
}
#endif

static int64_t features(struct vcpu *v, const uint64_t *a);

static const struct {
	uint32_t fid;
	const char *name;
	smccc_fn fn;
} calls[] = {
	{ SMCCC_VERSION, "SMCCC_VERSION", smccc_version },
	{ SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES", features },
	{ PSCI_VERSION, "PSCI_VERSION", psci_version },
	{ PSCI_FEATURES, "PSCI_FEATURES", features },
	{ PSCI_CPU_ON, "CPU_ON", psci_cpu_on },
	{ PSCI_CPU_OFF, "CPU_OFF", psci_cpu_off },
	{ PSCI_CPU_SUSPEND, "CPU_SUSPEND", psci_cpu_suspend },
	{ PSCI_AFFINITY_INFO, "AFFINITY_INFO", psci_affinity_info },
	{ PSCI_SYSTEM_OFF, "SYSTEM_OFF", psci_system_off },
	{ PSCI_SYSTEM_RESET, "SYSTEM_RESET", psci_system_reset },
	{ PSCI_SYSTEM_RESET2, "SYSTEM_RESET2", psci_system_reset2 },
	{ PSCI_SYSTEM_RESET2_64, "SYSTEM_RESET2", psci_system_reset2 },
	{ HYPNEST_TRAP_COUNT, "HYPNEST_TRAP_COUNT", trap_count },
	{ HYPNEST_LEVEL_COUNT, "HYPNEST_LEVEL_COUNT", level_count },
	{ HYPNEST_MEM_USE, "HYPNEST_MEM_USE", mem_use },
#ifdef TEST_HOOKS
	{ HYPNEST_TEST_VNCR_UNMAP, "HYPNEST_TEST_VNCR_UNMAP", test_vncr_unmap },
#endif
};

static smccc_fn lookup(uint32_t fid)
{
	for (unsigned i = 0; i < ARRAY_SIZE(calls); i++)
		if (calls[i].fid == fid)
			return calls[i].fn;
	return NULL;
}

/* PSCI_FEATURES and SMCCC_ARCH_FEATURES: 0 for what the table has. The
 * SMCCC_ARCH_WORKAROUND_* IDs are absent, so they answer NOT_SUPPORTED. */
static int64_t features(struct vcpu *v, const uint64_t *a)
{
	(void)v;
	return lookup((uint32_t)a[1]) ? 0 : PSCI_NOT_SUPPORTED;
}

void smccc_handle(struct vcpu *v)
{
	uint64_t *x = v->regs.x;
	smccc_fn fn = lookup((uint32_t)x[0]);

	/* SMC64 IDs need x0[31:0] only; the upper half must be zero */
	x[0] =
	    (uint64_t)((fn && !(x[0] >> 32)) ? fn(v, x) : PSCI_NOT_SUPPORTED);
}
