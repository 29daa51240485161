/*
 * The guest's virtual HCR_EL2, bit by bit (nv/hcr.c; docs/nv.md "The
 * guest's HCR_EL2"). Every bit of it has one declared policy in one table,
 * nv_hcr_fields[], and the real HCR_EL2 hypnest runs the guest with is
 * composed from that table and hypnest's own controls (nv_hcr, nv.h).
 */
#ifndef HYP_NV_HCR_H
#define HYP_NV_HCR_H
#include "hyp/nv.h"

/* HCR_EL2 fields (D24.2.62); NV_HCR_E2H, TSC, TGE, HCD are in nv.h */
#define NV_HCR_VM BIT(0)
#define NV_HCR_SWIO BIT(1)
#define NV_HCR_PTW BIT(2)
#define NV_HCR_FMO BIT(3)
#define NV_HCR_IMO BIT(4)
#define NV_HCR_AMO BIT(5)
#define NV_HCR_VF BIT(6)
#define NV_HCR_VI BIT(7)
#define NV_HCR_VSE BIT(8)
#define NV_HCR_FB BIT(9)
#define NV_HCR_BSU GENMASK(11, 10)
#define NV_HCR_DC BIT(12)
#define NV_HCR_TWI BIT(13)
#define NV_HCR_TWE BIT(14)
#define NV_HCR_TID0 BIT(15)
#define NV_HCR_TID1 BIT(16)
#define NV_HCR_TID2 BIT(17)
#define NV_HCR_TID3 BIT(18)
#define NV_HCR_TIDCP BIT(20)
#define NV_HCR_TACR BIT(21)
#define NV_HCR_TSW BIT(22)
#define NV_HCR_TPCP BIT(23)
#define NV_HCR_TPU BIT(24)
#define NV_HCR_TTLB BIT(25)
#define NV_HCR_TVM BIT(26)
#define NV_HCR_TDZ BIT(28)
#define NV_HCR_TRVM BIT(30)
#define NV_HCR_RW BIT(31)
#define NV_HCR_CD BIT(32)
#define NV_HCR_ID BIT(33)
#define NV_HCR_TLOR BIT(35)
#define NV_HCR_TERR BIT(36)
#define NV_HCR_TEA BIT(37)
#define NV_HCR_APK BIT(40)
#define NV_HCR_API BIT(41)
#define NV_HCR_NV BIT(42)
#define NV_HCR_NV1 BIT(43)
#define NV_HCR_AT BIT(44)
#define NV_HCR_NV2 BIT(45)
#define NV_HCR_FWB BIT(46)
#define NV_HCR_TID4 BIT(49)
#define NV_HCR_TICAB BIT(50)
#define NV_HCR_TOCU BIT(52)
#define NV_HCR_ENSCXT BIT(53)
#define NV_HCR_TTLBIS BIT(54)
#define NV_HCR_TTLBOS BIT(55)
#define NV_HCR_TWEDEN BIT(59)
#define NV_HCR_TWEDEL GENMASK(63, 60)

/* What becomes of a bit of the guest's virtual HCR_EL2 */
enum nv_hcr_policy {
	/* a trap control: while the guest runs its vEL1 (or a vEL0 below
	 * it) the real HCR_EL2 carries the guest's bit, so the access traps
	 * to hypnest, which forwards it to vEL2 (nv/forward.c's rules) */
	NV_HCR_TRAP,
	/* a trap control that traps when 0 (API, APK): at vEL1/vEL0 the real
	 * bit is the guest's, not hypnest's 1 */
	NV_HCR_INVERTED,
	/* carried in the real HCR_EL2 at vEL1/vEL0: the hardware does what
	 * the guest asked, no trap involved (FB, BSU, TWEDEn/TWEDEL) */
	NV_HCR_PASS,
	/* hypnest emulates it (VI/VF/VSE, IMO/FMO/AMO, TGE, E2H, HCD) */
	NV_HCR_EMULATED,
	/* a control of the guest's own stage 2 (VM, PTW, DC, CD, ID, FWB):
	 * no effect while its VM and DC are 0; with either set its vEL1 is
	 * refused (nv/eret.c) until hypnest has a shadow stage 2 */
	NV_HCR_STAGE2,
	/* the guest's bit has no effect, the real one is hypnest's: SWIO
	 * (as if 1, which the architecture permits), RW (RAO/WI: no
	 * AArch32), NV/NV1/NV2/AT (FEAT_NV hidden from the guest; hypnest
	 * sets them for itself at vEL2) */
	NV_HCR_OWN,
	/* RES0 for the guest: its feature is hidden (vcpu/sysreg_trap.c) or the
	 * bit is reserved; writing 1 has no effect */
	NV_HCR_RES0,
	NV_HCR_NR_POLICIES
};

struct nv_hcr_field {
	const char *name;
	uint8_t lsb, width;
	uint8_t policy; /* enum nv_hcr_policy */
	const char *why;
};

/* one row per field, bit 0 to bit 63, every bit in exactly one row */
extern const struct nv_hcr_field nv_hcr_fields[];
extern const unsigned nv_hcr_fields_len;
/* the bits of each policy, from the same table */
uint64_t nv_hcr_policy_mask(enum nv_hcr_policy p);

/* the guest's virtual HCR_EL2 as stored (its VNCR slot: under NV2 it
 * writes it without a trap, so read it fresh each time) */
uint64_t nv_guest_hcr(const struct vcpu *v);
/* ... as the PE would treat it (Effective values, D24.2.62 TGE): with
 * TGE = 1 the virtual interrupts and the EL1-only traps are off, and with
 * E2H = 0 FMO/IMO/AMO are 1; with E2H = TGE = 1 the EL0 traps are off too */
uint64_t nv_guest_hcr_eff(const struct vcpu *v);
/* at vEL0 with the guest's HCR_EL2.{E2H, TGE} = {0, 1}: no vEL1, its
 * EL0's exceptions go to vEL2 (hypnest runs it with the real TGE set) */
bool nv_vel0_tge(const struct vcpu *v);
/* the guest's VM or DC asks for its stage 2 for the vEL1 it enters */
bool nv_guest_stage2(const struct vcpu *v);

/*
 * After each exit of a nested vCPU (before nv_hcr for the next entry):
 * fold back what the hardware changed in the real HCR_EL2, i.e. VSE,
 * cleared when the virtual SError it pended for vEL1 was taken (D1.4.6
 * I_YPRNB): the guest's VSE is cleared too, as its hardware would.
 */
void nv_hcr_exit(struct vcpu *v);
/* the real HCR_EL2 and FAR_EL2 now (nv/hcr_hw.c; fakes on the host) */
uint64_t nv_arch_read_hcr(void);
uint64_t nv_arch_read_far(void);
/* the trap and pass controls that exist only with a feature (FEAT_LOR,
 * FEAT_TWED, FEAT_EVT); nv_arch_hcr_implemented(): all bits but those of
 * them the guest hypervisor is not offered (hidden by its ID registers, or
 * absent from this CPU): RES0 for it, without effect, and never in the
 * real HCR_EL2 */
#define NV_HCR_FEATURE_BITS                                                    \
	(NV_HCR_TLOR | NV_HCR_TWEDEN | NV_HCR_TWEDEL | NV_HCR_TID4 |           \
	 NV_HCR_TICAB | NV_HCR_TOCU | NV_HCR_TTLBIS | NV_HCR_TTLBOS)
uint64_t nv_arch_hcr_implemented(void);
/* its HCR_EL2.{E2H, TGE} = {1, 1}: at vEL2 its EL1 TLBIs are its own */
bool nv_vel2_host(const struct vcpu *v);

#endif
