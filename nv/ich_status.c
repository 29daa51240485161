/*
 * The read-only registers of a guest hypervisor's GIC virtual interface
 * (docs/nv.md "The GIC status registers"). They have no VNCR slot and
 * always trap (D8.14.6.2); their value is computed, as the GIC
 * architecture (IHI 0069, ICH_* register descriptions) defines it, from
 * the guest's stored ICH_LR<n>_EL2, ICH_HCR_EL2 and ICH_VMCR_EL2, which
 * NV2 keeps in its VNCR page. Only the list registers ICH_VTR_EL2.ListRegs
 * says exist count; the status bits of the others are RES0.
 *
 *  ICH_VTR_EL2    this CPU's (nv_arch_read_ich_vtr), the fields offered:
 *                 ListRegs [4:0], IDbits [25:23], PREbits [28:26],
 *                 PRIbits [31:29]; nV4 [20] reads 1 whatever the
 *                 CPU has: its sense is inverted, 1 says "no direct
 *                 injection of virtual interrupts" (GICv4), which the
 *                 guest does not get; TDS, A3V, SEIS read 0 (not
 *                 supported: their features are not emulated).
 *  ICH_EISR_EL2   bit n: LR n has State 0b00, HW 0 and EOI (bit 41) 1,
 *                 i.e. an EOI maintenance interrupt not yet handled.
 *  ICH_ELRSR_EL2  bit n: LR n has State 0b00 and (HW 1 or EOI 0): empty,
 *                 usable without losing an interrupt or an EOI.
 *  ICH_MISR_EL2   EOI [0]: ICH_EISR_EL2 != 0;
 *                 U [1]: ICH_HCR_EL2.UIE and at most one LR valid
 *                 (State != 0b00);
 *                 LRENP [2]: LRENPIE and ICH_HCR_EL2.EOIcount != 0;
 *                 NP [3]: NPIE and no LR in the pending state (State
 *                 0b01; an LR "active and pending", 0b11, is in another
 *                 state: the GIC's four states are distinct);
 *                 VGrp0E/VGrp0D [4]/[5]: VGrp0EIE/VGrp0DIE and
 *                 ICH_VMCR_EL2.VENG0 1/0; VGrp1E/VGrp1D [6]/[7]: likewise
 *                 with VENG1.
 * None of them depends on ICH_HCR_EL2.En: En only decides whether the
 * maintenance interrupt is signalled.
 */
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/nv.h"
#include "hyp/nv_ich.h"
#include "hyp/vcpu.h"
#include "hyp/vgic.h"

/* ICH_VTR_EL2 fields offered, and nV4 forced to 1 (no GICv4) */
#define VTR_OFFERED (GENMASK(4, 0) | GENMASK(31, 23))
#define VTR_NV4 BIT(20)
#define VTR_LISTREGS(vtr) ((unsigned)((vtr)&0x1f))

/* ICH_LR<n>_EL2: the bits of the list-register codec (hyp/vgic.h) */
#define LR_STATE(lr) ((unsigned)((lr) >> VGIC_LR_STATE_SHIFT))
#define LR_STATE_PENDING 1

/* ICH_HCR_EL2 */
#define HCR_EN BIT(0)
#define HCR_UIE BIT(1)
#define HCR_LRENPIE BIT(2)
#define HCR_NPIE BIT(3)
#define HCR_VGRP0EIE BIT(4)
#define HCR_VGRP0DIE BIT(5)
#define HCR_VGRP1EIE BIT(6)
#define HCR_VGRP1DIE BIT(7)
#define HCR_EOICOUNT(hcr) (((hcr) >> 27) & 0x1f)

/* ICH_VMCR_EL2 */
#define VMCR_VENG0 BIT(0)
#define VMCR_VENG1 BIT(1)

/* what the MISR bits are computed from */
struct ich_view {
	uint64_t hcr, vmcr;
	uint32_t eisr, elrsr;
	unsigned valid, pending; /* LRs with State != 0, State = pending */
};

/* the view of n list registers lrs[] with these ICH_HCR/ICH_VMCR_EL2 */
static struct ich_view view_of(uint64_t hcr, uint64_t vmcr, const uint64_t *lrs,
			       unsigned n)
{
	struct ich_view s = { .hcr = hcr, .vmcr = vmcr };

	for (unsigned i = 0; i < n; i++) {
		uint64_t lr = lrs[i];
		bool empty = LR_STATE(lr) == 0;

		if (empty && !(lr & VGIC_LR_HW) && (lr & VGIC_LR_EOI))
			s.eisr |= 1U << i;
		if (empty && ((lr & VGIC_LR_HW) || !(lr & VGIC_LR_EOI)))
			s.elrsr |= 1U << i;
		s.valid += !empty;
		s.pending += LR_STATE(lr) == LR_STATE_PENDING;
	}
	return s;
}

/* the guest's stored registers: the list registers are consecutive VNCR
 * slots (ICH_LR<n>_EL2 at 0x400 + 8n) */
static struct ich_view view(const struct vcpu *v)
{
	return view_of(
	    vcpu_vncr(v, VNCR_ICH_HCR_EL2), vcpu_vncr(v, VNCR_ICH_VMCR_EL2),
	    &vcpu_vncr(v, VNCR_ICH_LR_EL2(0)), VTR_LISTREGS(nv_ich_vtr()) + 1);
}

static bool misr_eoi(const struct ich_view *s)
{
	return s->eisr != 0;
}

static bool misr_u(const struct ich_view *s)
{
	return s->valid <= 1;
}

static bool misr_lrenp(const struct ich_view *s)
{
	return HCR_EOICOUNT(s->hcr) != 0;
}

static bool misr_np(const struct ich_view *s)
{
	return s->pending == 0;
}

static bool veng0(const struct ich_view *s)
{
	return s->vmcr & VMCR_VENG0;
}

static bool veng0_off(const struct ich_view *s)
{
	return !veng0(s);
}

static bool veng1(const struct ich_view *s)
{
	return s->vmcr & VMCR_VENG1;
}

static bool veng1_off(const struct ich_view *s)
{
	return !veng1(s);
}

/* ICH_MISR_EL2: bit n is set when the ICH_HCR_EL2 enable (none for EOI)
 * is set and the condition holds */
static const struct misr_rule {
	uint64_t enable;
	bool (*cond)(const struct ich_view *s);
} misr_rules[] = {
	{ 0, misr_eoi },	     /* EOI */
	{ HCR_UIE, misr_u },	     /* U */
	{ HCR_LRENPIE, misr_lrenp }, /* LRENP */
	{ HCR_NPIE, misr_np },	     /* NP */
	{ HCR_VGRP0EIE, veng0 },     /* VGrp0E */
	{ HCR_VGRP0DIE, veng0_off }, /* VGrp0D */
	{ HCR_VGRP1EIE, veng1 },     /* VGrp1E */
	{ HCR_VGRP1DIE, veng1_off }, /* VGrp1D */
};

static uint64_t misr(const struct ich_view *s)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(misr_rules); i++) {
		const struct misr_rule *r = &misr_rules[i];

		if ((!r->enable || (s->hcr & r->enable)) && r->cond(s))
			m |= BIT(i);
	}
	return m;
}

uint64_t nv_ich_misr_of(uint64_t hcr, uint64_t vmcr, const uint64_t *lrs,
			unsigned n)
{
	struct ich_view s = view_of(hcr, vmcr, lrs, MIN(n, 16U));

	return misr(&s);
}

/* IHI 0069, ICH_HCR_EL2.En: the maintenance interrupt is signalled while
 * En is 1 and any ICH_MISR_EL2 bit is */
bool nv_ich_maint_level(const struct vcpu *v)
{
	struct ich_view s = view(v);

	return (s.hcr & HCR_EN) && misr(&s) != 0;
}

uint64_t nv_ich_vtr(void)
{
	return (nv_arch_read_ich_vtr() & VTR_OFFERED) | VTR_NV4;
}

uint64_t nv_ich_status(const struct vcpu *v, uint32_t enc)
{
	struct ich_view s;

	switch (enc & SYSREG_ISS_MASK) {
	case SYSREG_ICH_VTR_EL2:
		return nv_ich_vtr();
	case SYSREG_ICH_EISR_EL2:
		return view(v).eisr;
	case SYSREG_ICH_ELRSR_EL2:
		return view(v).elrsr;
	case SYSREG_ICH_MISR_EL2:
		s = view(v);
		return misr(&s);
	default:
		return 0;
	}
}
