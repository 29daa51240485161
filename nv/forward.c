/*
 * Trap forwarding: an exit taken while the guest runs its vEL1 (or a vEL0
 * outside its EL2&0 regime) that its guest hypervisor asked for in its
 * virtual HCR_EL2 goes to its vEL2 with the same syndrome, as hardware
 * would take it to EL2 (D1.4, and each HCR_EL2 field in D24.2.62). One
 * table, one row per HCR_EL2 trap control hypnest forwards. The real
 * HCR_EL2 carries these bits while the guest is at vEL1 (nv_hcr), so
 * the accesses reach hypnest at all.
 */
#include "arch/esr.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/el2_hw.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"

#define HCR_IMO BIT(4)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TTLB BIT(25)
#define HCR_TVM BIT(26)
#define HCR_TRVM BIT(30)

/* ISS of EC 0x01: TI[1:0] 0 WFI, 1 WFE, 2 WFIT, 3 WFET */
static bool is_wfi(uint64_t esr)
{
	return !(esr & 1);
}

static bool is_wfe(uint64_t esr)
{
	return esr & 1;
}

static uint32_t sys_enc(uint64_t esr)
{
	return SYSREG_ISS_REG(esr);
}

/* op0 3, op1 0, CRn 0, CRm 1..7: ID group 3 (HCR_EL2.TID3) */
static bool is_id3(uint64_t esr)
{
	uint32_t enc = sys_enc(esr);
	unsigned crm = SYSREG_CRM(enc);

	return SYSREG_ISS_IS_READ(esr) &&
	       (enc & SYSREG_ENC(3, 7, 15, 0, 0)) ==
		   SYSREG_ENC(3, 0, 0, 0, 0) &&
	       crm >= 1 && crm <= 7;
}

/* the virtual memory controls TVM/TRVM cover (D24.2.62) */
static const uint32_t vm_regs[] = {
	SYSREG_SCTLR_EL1, SYSREG_TTBR0_EL1,	 SYSREG_TTBR1_EL1,
	SYSREG_TCR_EL1,	  SYSREG_ESR_EL1,	 SYSREG_FAR_EL1,
	SYSREG_AFSR0_EL1, SYSREG_AFSR1_EL1,	 SYSREG_MAIR_EL1,
	SYSREG_AMAIR_EL1, SYSREG_CONTEXTIDR_EL1,
};

static bool is_vm_reg(uint64_t esr)
{
	uint32_t enc = sys_enc(esr);

	for (unsigned i = 0; i < ARRAY_SIZE(vm_regs); i++)
		if (vm_regs[i] == enc)
			return true;
	return false;
}

static bool is_vm_write(uint64_t esr)
{
	return !SYSREG_ISS_IS_READ(esr) && is_vm_reg(esr);
}

static bool is_vm_read(uint64_t esr)
{
	return SYSREG_ISS_IS_READ(esr) && is_vm_reg(esr);
}

/* op0 3, CRn 11 or 15: IMPLEMENTATION DEFINED (HCR_EL2.TIDCP) */
static bool is_impdef(uint64_t esr)
{
	uint32_t enc = sys_enc(esr);

	return SYSREG_OP0(enc) == 3 &&
	       (SYSREG_CRN(enc) == 11 || SYSREG_CRN(enc) == 15);
}

static bool is_actlr(uint64_t esr)
{
	return sys_enc(esr) == SYSREG_ACTLR_EL1;
}

/* op0 1, CRn 8: TLB maintenance (HCR_EL2.TTLB) */
static bool is_tlbi(uint64_t esr)
{
	uint32_t enc = sys_enc(esr);

	return SYSREG_OP0(enc) == 1 && SYSREG_CRN(enc) == 8;
}

static const struct fwd_rule {
	const char *name;
	unsigned ec;
	uint64_t hcr; /* the guest's HCR_EL2 bit that asks for it */
	bool (*match)(uint64_t esr);
} fwd_rules[] = {
	{ "WFI (TWI)", EC_WFX, HCR_TWI, is_wfi },
	{ "WFE (TWE)", EC_WFX, HCR_TWE, is_wfe },
	{ "ID group 3 (TID3)", EC_SYS64, HCR_TID3, is_id3 },
	{ "VM register write (TVM)", EC_SYS64, HCR_TVM, is_vm_write },
	{ "VM register read (TRVM)", EC_SYS64, HCR_TRVM, is_vm_read },
	{ "IMPDEF register (TIDCP)", EC_SYS64, HCR_TIDCP, is_impdef },
	{ "ACTLR_EL1 (TACR)", EC_SYS64, HCR_TACR, is_actlr },
	{ "TLB maintenance (TTLB)", EC_SYS64, HCR_TTLB, is_tlbi },
};

/* the HCR_EL2 bits above: the real HCR_EL2 takes them from the guest's
 * while it is at vEL1 */
#define FWD_HCR_BITS                                                           \
	(HCR_TWI | HCR_TWE | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR |       \
	 HCR_TTLB | HCR_TVM | HCR_TRVM)

static uint64_t guest_hcr(const struct vcpu *v)
{
	return v->vncr[VNCR_HCR_EL2 / 8];
}

uint64_t nv_forward_hcr_bits(const struct vcpu *v)
{
	if (!v->nv.enabled || v->nv.in_vel2)
		return 0;
	return guest_hcr(v) & FWD_HCR_BITS;
}

bool nv_forward(struct vcpu *v, uint64_t esr)
{
	uint64_t hcr;
	unsigned ec = (unsigned)ESR_EC(esr);

	if (!v->nv.enabled || v->nv.in_vel2)
		return false;
	hcr = guest_hcr(v);
	for (unsigned i = 0; i < ARRAY_SIZE(fwd_rules); i++) {
		const struct fwd_rule *r = &fwd_rules[i];

		if (r->ec == ec && (hcr & r->hcr) && r->match(esr)) {
			/* ELR_EL2: the trapped instruction, not skipped */
			nv_inject_sync(v, esr, 0, false, 0);
			return true;
		}
	}
	/* its CNTHCTL_EL2, CPTR_EL2, MDCR_EL2 traps (nv/el2_hw.c) */
	return nv_forward_el2_traps(v, esr);
}

bool nv_irq_to_vel2(const struct vcpu *v)
{
	return v->nv.enabled && !v->nv.in_vel2 && (guest_hcr(v) & HCR_IMO);
}
