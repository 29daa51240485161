/*
 * The guest's virtual HCR_EL2, bit by bit (D24.2.62), and the real
 * HCR_EL2 hypnest runs it with (docs/nv.md "The guest's HCR_EL2").
 *
 * One table, HCR_FIELDS below: every field of the guest's HCR_EL2, bit 0
 * to bit 63, with its policy (include/hyp/nv_hcr.h):
 *   TRAP      carried in the real HCR_EL2 at vEL1/vEL0, the traps are
 *             forwarded to vEL2 (nv/forward.c has the rule for each)
 *   INVERTED  the same for a control that traps when 0 (API, APK)
 *   PASS      carried at vEL1/vEL0, the hardware applies it
 *   EMULATED  hypnest does what the bit asks
 *   STAGE2    a control of the guest's own stage 2: carried at vEL1/vEL0
 *             like PASS, its stage 2 run on a shadow (nv/l2.c); VM is
 *             hypnest's own too (always 1)
 *   OWN       the real bit is hypnest's, the guest's has no effect
 *   RES0      the feature is hidden from the guest (vcpu/sysreg_trap.c) or the
 *             bit is reserved: a 1 written by the guest has no effect
 *
 * The real HCR_EL2 (nv_hcr, before every entry) = hypnest's own controls
 * (vm->hcr, vm/vm.c) plus, for the level the guest runs at:
 *   vEL2, and vEL0 in its EL2&0 regime (v->nv.in_vel2):
 *             NV | NV2, and NV1 when its E2H = 0 (D8.14). None of its own
 *             bits: they control what runs below its EL2, not its EL2.
 *   vEL1, vEL0 below it:
 *             its TRAP and PASS bits (Effective values; those of a feature
 *             the CPU lacks never: the real bit is RES0), its INVERTED bits
 *             in place of hypnest's, BSU the stronger of the two, VI/VF/
 *             VSE when its IMO/FMO/AMO enable them (D1.4.6, R_BCXJB,
 *             R_CDCKC), and TGE at a vEL0 whose vEL2 runs with
 *             {E2H, TGE} = {0, 1}: that EL0 has no EL1 (its SCTLR_EL1.M
 *             is treated as 0, its exceptions go to vEL2, nv/forward.c).
 * Under NV2 the guest writes its HCR_EL2 without a trap, so all of this
 * is derived from its VNCR copy at each entry.
 */
#include "arch/vncr.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

#define HCR_FIELDS(X)                                                          \
	X(VM, 0, 1, STAGE2, "its stage 2 for its vEL1: a shadow (nv/l2.c)")    \
	X(SWIO, 1, 1, OWN, "behaves as 1, which may be RES1")                  \
	X(PTW, 2, 1, STAGE2, "stage-1 walks through its stage 2")              \
	X(FMO, 3, 1, EMULATED, "FIQ routing to vEL2; enables VF")              \
	X(IMO, 4, 1, EMULATED, "IRQ routing to vEL2; enables VI")              \
	X(AMO, 5, 1, EMULATED, "SError routing to vEL2; enables VSE")          \
	X(VF, 6, 1, EMULATED, "real VF at vEL1 when FMO and not TGE")          \
	X(VI, 7, 1, EMULATED, "real VI at vEL1 when IMO and not TGE")          \
	X(VSE, 8, 1, EMULATED,                                                 \
	  "real VSE at vEL1 when AMO; cleared when taken")                     \
	X(FB, 9, 1, PASS, "broadcast of vEL1's TLBI and IC IALLU")             \
	X(BSU, 10, 2, PASS, "the stronger of its and hypnest's")               \
	X(DC, 12, 1, STAGE2, "its stage 2 on (as VM), stage 1 off: Normal WB") \
	X(TWI, 13, 1, TRAP, "WFI, WFIT")                                       \
	X(TWE, 14, 1, TRAP, "WFE, WFET")                                       \
	X(TID0, 15, 1, RES0, "AArch32 only (JIDR, FPSID): no AArch32")         \
	X(TID1, 16, 1, TRAP, "REVIDR_EL1, AIDR_EL1")                           \
	X(TID2, 17, 1, TRAP, "CTR_EL0, CCSIDR*, CLIDR, CSSELR")                \
	X(TID3, 18, 1, TRAP, "ID group 3")                                     \
	X(TSC, 19, 1, TRAP, "SMC: nv_smc_from_vel1 (nv/exception.c)")          \
	X(TIDCP, 20, 1, TRAP, "IMPLEMENTATION DEFINED registers")              \
	X(TACR, 21, 1, TRAP, "ACTLR_EL1")                                      \
	X(TSW, 22, 1, TRAP, "DC ISW/CSW/CISW")                                 \
	X(TPCP, 23, 1, TRAP, "DC to the PoC/PoP/PoDP")                         \
	X(TPU, 24, 1, TRAP, "IC/DC to the PoU")                                \
	X(TTLB, 25, 1, TRAP, "EL1 TLB maintenance")                            \
	X(TVM, 26, 1, TRAP, "VM register writes")                              \
	X(TGE, 27, 1, EMULATED, "E2H = 0: real TGE at vEL0; E2H = 1: EL2&0")   \
	X(TDZ, 28, 1, TRAP, "DC ZVA (and DCZID_EL0.DZP by the hardware)")      \
	X(HCD, 29, 1, EMULATED, "HVC UNDEFINED (nv/exception.c)")              \
	X(TRVM, 30, 1, TRAP, "VM register reads")                              \
	X(RW, 31, 1, OWN, "RAO/WI: AArch32 not offered")                       \
	X(CD, 32, 1, STAGE2, "its stage 2 data cacheability")                  \
	X(ID, 33, 1, STAGE2, "its stage 2 instruction cacheability")           \
	X(E2H, 34, 1, EMULATED, "NV1 and its register layout (nv_sync_e2h)")   \
	X(TLOR, 35, 1, TRAP, "LOR registers (FEAT_LOR)")                       \
	X(TERR, 36, 1, RES0, "FEAT_RAS hidden")                                \
	X(TEA, 37, 1, RES0, "FEAT_RAS hidden")                                 \
	X(RES0_38, 38, 2, RES0, "reserved")                                    \
	X(APK, 40, 1, INVERTED, "pointer authentication key registers")        \
	X(API, 41, 1, INVERTED, "pointer authentication instructions")         \
	X(NV, 42, 1, OWN, "FEAT_NV hidden; hypnest's at vEL2")                 \
	X(NV1, 43, 1, OWN, "FEAT_NV hidden; hypnest's at vEL2 with E2H = 0")   \
	X(AT, 44, 1, OWN, "FEAT_NV hidden; hypnest's at vEL2 (nv/at.c)")       \
	X(NV2, 45, 1, OWN, "FEAT_NV2 hidden; hypnest's at vEL2")               \
	X(FWB, 46, 1, RES0, "FEAT_S2FWB hidden")                               \
	X(FIEN, 47, 1, RES0, "FEAT_RASv1p1 hidden")                            \
	X(GPF, 48, 1, RES0, "FEAT_RME hidden")                                 \
	X(TID4, 49, 1, TRAP, "ID group 4 (FEAT_EVT)")                          \
	X(TICAB, 50, 1, TRAP, "IC IALLUIS (FEAT_EVT)")                         \
	X(AMVOFFEN, 51, 1, RES0, "FEAT_AMUv1p1 hidden")                        \
	X(TOCU, 52, 1, TRAP, "IC/DC to the PoU (FEAT_EVT)")                    \
	X(EnSCXT, 53, 1, RES0, "SCXTNUM_ELx not offered (CSV2_2 hidden)")      \
	X(TTLBIS, 54, 1, TRAP, "Inner Shareable TLBI (FEAT_EVT)")              \
	X(TTLBOS, 55, 1, TRAP, "Outer Shareable TLBI (FEAT_EVT)")              \
	X(ATA, 56, 1, RES0, "FEAT_MTE2 hidden")                                \
	X(DCT, 57, 1, RES0, "FEAT_MTE2 hidden")                                \
	X(TID5, 58, 1, RES0, "FEAT_MTE2 hidden")                               \
	X(TWEDEn, 59, 1, PASS, "delay of its TWE trap (FEAT_TWED)")            \
	X(TWEDEL, 60, 4, PASS, "delay of its TWE trap (FEAT_TWED)")

#define FIELD_BITS(lsb, w) (GENMASK((lsb) + (w)-1, (lsb)))

const struct nv_hcr_field nv_hcr_fields[] = {
#define ROW(n, lsb, w, pol, why) { #n, lsb, w, NV_HCR_##pol, why },
	HCR_FIELDS(ROW)
#undef ROW
};
const unsigned nv_hcr_fields_len = ARRAY_SIZE(nv_hcr_fields);

/* the bits of one policy, as constant expressions */
#define IS(pol, P) (NV_HCR_##pol == (P))
#define MASK_OF(P) (0 HCR_FIELDS(MASK_ROW_##P))
#define MASK_ROW_TRAP(n, lsb, w, pol, why)                                     \
	| (IS(pol, NV_HCR_TRAP) ? FIELD_BITS(lsb, w) : 0)
#define MASK_ROW_INVERTED(n, lsb, w, pol, why)                                 \
	| (IS(pol, NV_HCR_INVERTED) ? FIELD_BITS(lsb, w) : 0)
#define MASK_ROW_PASS(n, lsb, w, pol, why)                                     \
	| (IS(pol, NV_HCR_PASS) ? FIELD_BITS(lsb, w) : 0)
#define MASK_ROW_STAGE2(n, lsb, w, pol, why)                                   \
	| (IS(pol, NV_HCR_STAGE2) ? FIELD_BITS(lsb, w) : 0)

static const uint64_t trap_bits = MASK_OF(TRAP);
static const uint64_t inverted_bits = MASK_OF(INVERTED);
/* BSU is combined apart (the stronger value, not an OR) */
static const uint64_t pass_bits = MASK_OF(PASS) & ~NV_HCR_BSU;
/* its stage 2's controls apply to what runs on its shadow (L2) */
static const uint64_t stage2_bits = MASK_OF(STAGE2);

uint64_t nv_hcr_policy_mask(enum nv_hcr_policy p)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < nv_hcr_fields_len; i++)
		if (nv_hcr_fields[i].policy == p)
			m |= FIELD_BITS(nv_hcr_fields[i].lsb,
					nv_hcr_fields[i].width);
	return m;
}

/* Effective values (D24.2.62): ignored whenever TGE = 1 ... */
#define TGE_IGNORED                                                            \
	(NV_HCR_SWIO | NV_HCR_PTW | NV_HCR_VF | NV_HCR_VI | NV_HCR_VSE |       \
	 NV_HCR_FB | NV_HCR_TID1 | NV_HCR_TID3 | NV_HCR_TSC | NV_HCR_TACR |    \
	 NV_HCR_TSW | NV_HCR_TTLB | NV_HCR_TLOR)
/* ... and 0 when {E2H, TGE} = {1, 1} */
#define HOST_ZERO                                                              \
	(NV_HCR_VM | NV_HCR_FMO | NV_HCR_IMO | NV_HCR_AMO | NV_HCR_BSU |       \
	 NV_HCR_DC | NV_HCR_TWI | NV_HCR_TWE | NV_HCR_TID0 | NV_HCR_TID2 |     \
	 NV_HCR_TPCP | NV_HCR_TPU | NV_HCR_TVM | NV_HCR_TDZ | NV_HCR_TRVM |    \
	 NV_HCR_CD | NV_HCR_ID)
/* what hypnest runs its vEL2 with: NV, NV2 (D8.14); AT, so that its AT
 * S1E1*, S1E0* name its vEL1 (or EL2&0) regime, not the live EL1
 * registers that hold its vEL2 context (nv/at.c, D8.14.5) */
#define HCR_VEL2 (NV_HCR_NV | NV_HCR_NV2 | NV_HCR_AT)

bool nv_vel2_host(const struct vcpu *v)
{
	return (nv_guest_hcr(v) & (NV_HCR_E2H | NV_HCR_TGE)) ==
	       (NV_HCR_E2H | NV_HCR_TGE);
}

/* TTLB at vEL2: its EL1 TLBIs name its vEL1's VMID (nv/tlbi.c), unless
 * {E2H, TGE} = {1, 1} makes them its own EL2&0 regime's, the one that
 * runs with the vEL2 VMID: those need no trap (a VHE Linux issues ~10^5 per
 * boot). Under NV2 it may clear TGE without a trap just before a TLBI meant
 * for its vEL1 (a VHE KVM's TLB maintenance does): that one hits the vEL2
 * VMID, so the next ERET into its vEL1 invalidates the vEL1 VMID
 * (v->nv.vel1_tlbi_unseen, nv/eret.c) */
static uint64_t vel2_ttlb(const struct vcpu *v)
{
	/* once the guest hypervisor has run its own VM (L2), its TLBIs in
	 * its host regime trap too: one it issues after clearing TGE in
	 * memory is for its L2, and must reach every CPU by its DSB
	 * (D8.17.8, R_YNJCP), not at this vCPU's next ERET */
	return (nv_vel2_host(v) && !v->vm->l2_ran) ? 0 : NV_HCR_TTLB;
}

uint64_t nv_guest_hcr(const struct vcpu *v)
{
	return vcpu_vncr(v, VNCR_HCR_EL2);
}

uint64_t nv_guest_hcr_eff(const struct vcpu *v)
{
	/* the controls of features it is not offered are RES0 for it: a 1
	 * written there has no effect, neither in the real HCR_EL2 nor for
	 * forwarding (D24.2.62; e.g. TID4 without FEAT_EVT) */
	uint64_t hcr = nv_guest_hcr(v) & nv_arch_hcr_implemented();

	if (!(hcr & NV_HCR_TGE))
		return hcr;
	hcr &= ~TGE_IGNORED;
	if (hcr & NV_HCR_E2H)
		return (hcr & ~HOST_ZERO) | NV_HCR_RW;
	return hcr | NV_HCR_FMO | NV_HCR_IMO | NV_HCR_AMO;
}

bool nv_vel0_tge(const struct vcpu *v)
{
	uint64_t hcr = nv_guest_hcr(v);

	return v->nv.enabled && !v->nv.in_vel2 && nv_vcpu_el(v) == 0 &&
	       (hcr & (NV_HCR_TGE | NV_HCR_E2H)) == NV_HCR_TGE;
}

bool nv_guest_stage2(const struct vcpu *v)
{
	return nv_guest_hcr_eff(v) & (NV_HCR_VM | NV_HCR_DC);
}

bool nv_in_l2(const struct vcpu *v)
{
	return v->nv.enabled && !v->nv.in_vel2 && nv_guest_stage2(v);
}

/* the virtual interrupts its vEL1/vEL0 has pending by its HCR_EL2 (VI,
 * VF, VSE enabled by IMO, FMO, AMO; all off with TGE = 1, R_BCXJB,
 * R_CDCKC): the real bits make the hardware take them at EL1 as it would
 * (the real IMO/FMO/AMO are hypnest's, always 1) */
static uint64_t virtual_pending(uint64_t eff)
{
	uint64_t r = 0;

	if (eff & NV_HCR_TGE)
		return 0;
	if ((eff & NV_HCR_IMO) && (eff & NV_HCR_VI))
		r |= NV_HCR_VI;
	if ((eff & NV_HCR_FMO) && (eff & NV_HCR_VF))
		r |= NV_HCR_VF;
	if ((eff & NV_HCR_AMO) && (eff & NV_HCR_VSE))
		r |= NV_HCR_VSE;
	return r;
}

/* BSU (D24.2.62): 0 none, 1 IS, 2 OS, 3 full system, each wider than the
 * one before: the barrier gets the wider of the two upgrades */
static uint64_t bsu_max(uint64_t a, uint64_t b)
{
	return MAX(a & NV_HCR_BSU, b & NV_HCR_BSU);
}

uint64_t nv_hcr(const struct vcpu *v)
{
	uint64_t own = v->vm->hcr;
	uint64_t eff, hcr;

	if (v->nv.in_vel2)
		return own | HCR_VEL2 | vel2_ttlb(v) |
		       (nv_guest_e2h(v) ? 0 : NV_HCR_NV1);
	eff = nv_guest_hcr_eff(v);
	hcr = (own & ~(inverted_bits | NV_HCR_BSU)) | (eff & inverted_bits);
	/* eff: offered controls only */
	hcr |= eff & (trap_bits | pass_bits);
	/* CD, ID, PTW act when its stage 2 is on (VM or DC, D24.2.62): the
	 * real VM is always 1, so only then */
	if (nv_in_l2(v))
		hcr |= eff & stage2_bits;
	hcr |= bsu_max(own, eff);
	hcr |= virtual_pending(eff);
	if (nv_vel0_tge(v))
		hcr |= NV_HCR_TGE;
	return hcr;
}

void nv_hcr_exit(struct vcpu *v)
{
	/* only VSE changes under the guest's feet, and only if the last
	 * entry set it */
	if (!v->nv.enabled || !(v->el2_hw.hcr & NV_HCR_VSE))
		return;
	if (!(nv_arch_read_hcr() & NV_HCR_VSE))
		vcpu_vncr(v, VNCR_HCR_EL2) &= ~NV_HCR_VSE;
}
