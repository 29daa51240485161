/*
 * A guest hypervisor's own VMs (L2) on a shadow stage 2 (docs/nested.md
 * "Entering and leaving L2"; hypervisor build).
 *
 * L2 is the guest's vEL1/vEL0 while its virtual HCR_EL2.VM or DC is 1
 * (Effective values, D24.2.62): the hardware must translate L2's IPAs by
 * the guest's stage 2 and then by hypnest's stage 2 of the guest. It has
 * one stage 2, so the real VTTBR_EL2 points at a shadow table that holds
 * the two composed (nv/shadow_s2.c), with a real VMID of its own per
 * shadow slot: the TLB entries of L2, of the guest's vEL1 with its stage 2
 * off and of its vEL2 never meet.
 *
 *   entry    nv_el2_hw (every entry at vEL1/vEL0): nv_l2_vttbr picks the
 *            shadow of the guest's VTTBR_EL2/VTCR_EL2 as they are in its
 *            VNCR page now (it writes them without a trap under NV2); the
 *            vCPU holds it until it needs another one.
 *   faults   L2's stage-2 aborts (vcpu/exit.c): nv_l2_abort fills the
 *            shadow, or gives the guest the stage-2 abort its own tables
 *            cause (nv_inject_sync: ESR_EL2, FAR_EL2, HPFAR_EL2 as
 *            hardware reports them), or hands back the L1 address of an
 *            access hypnest does not map for the guest (its emulated
 *            devices, or nothing).
 *   TLBIs    the guest's TLB maintenance (nv/tlbi.c) empties what it
 *            names in the shadows of the VMID it names, and the real TLBs.
 *
 * The shadow only ever holds PAs that hypnest's stage 2 of the guest
 * gives (l1_s2 below): whatever the guest writes in its tables, L2 reaches
 * the guest's memory and nothing else.
 */
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "hyp/guest_ram.h"
#include "hyp/lib.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"
#include "hyp/nv_l2.h"
#include "hyp/palloc.h"
#include "hyp/shadow_s2.h"
#include "hyp/trap.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"
#include "hyp/walk.h"

_Static_assert(SHADOW_S2_SLOTS >= MAX_CPUS,
	       "every vCPU holds at most one shadow: a get never fails");

/* stage-2 descriptor fields (D8.3.2): S2AP[7:6], XN[54] (FEAT_XNX:
 * XN[54:53]; hypnest's own leaves never set XN[0]), MemAttr[5:2], SH[9:8] */
#define S2_R BIT(6)
#define S2_W BIT(7)
#define S2_XN BIT(54)
#define S2_ATTRS (GENMASK(5, 2) | GENMASK(9, 8))
#define SCTLR_EE BIT(25)

/* shadow table pages at most: 8 MiB, 2 MiB of L2 memory per L3 table;
 * a quarter of what is free at most */
#define SHADOW_MAX_PAGES 2048UL

/* ---- what the pool needs of the VM ---- */

/* compare and swap a descriptor in the guest's RAM (FEAT_HAFDBS) */
static bool l1_cas(void *arg, uint64_t ipa, uint64_t old, uint64_t val)
{
	struct vm *vm = arg;
	uint64_t *p = vm->ops->ram_ptr(vm, ipa);
	bool ok;

	if (!p)
		return false;
	ok = __atomic_compare_exchange_n(p, &old, val, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST);
	/* the guest may walk its tables with its caches off */
	__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	dsb(sy);
	return ok;
}

/* hypnest's stage 2 of the guest at its address ipa; RAM there is
 * zeroed before L2 is given it */
static bool l1_s2(void *arg, uint64_t ipa, struct shadow_s2_l1map *m)
{
	struct vm *vm = arg;
	uint64_t desc, size;
	paddr_t pa;

	if (!vm->ops->ram_ptr(vm, ipa) ||
	    pt_translate(&vm->s2, ipa, &pa, &desc, &size))
		return false;
	/* ram_ptr gives guest RAM only, and guest RAM goes to stage 2 in
	 * whole blocks, each one run of PA with one set of attributes (RW,
	 * executable), as pages or as the block (vm/guest_ram.c publish): the
	 * block is the leaf the shadow may use, however it is written, and
	 * the pool's max_leaf keeps the shadow's own leaves as small as
	 * hypnest's. Only a page of that kind is widened: one hypnest mapped
	 * otherwise (say, write-protected) stays a page. */
	if (size < GUEST_RAM_BLOCK && vm->ram_pages &&
	    (desc & (S2_R | S2_W | S2_XN)) == (S2_R | S2_W) &&
	    IS_ALIGNED(pa - (ipa & (GUEST_RAM_BLOCK - 1)), GUEST_RAM_BLOCK))
		size = GUEST_RAM_BLOCK;
	*m = (struct shadow_s2_l1map){
		.pa = pa,
		.size = size,
		.r = desc & S2_R,
		.w = desc & S2_W,
		.x = !(desc & S2_XN),
		.attrs = desc & S2_ATTRS,
	};
	return true;
}

static int alloc_page(void *arg, paddr_t *pa)
{
	struct vm *vm = arg;

	if (palloc_alloc(vm->pages, 1, PAGE_SIZE, pa))
		return -1;
	memset((void *)(uintptr_t)*pa, 0, PAGE_SIZE);
	/* zeroed before a descriptor links it: other CPUs may walk the
	 * shadow meanwhile (D8.17.1, B2.3 message passing) */
	dsb(ishst);
	return 0;
}

static void free_page(void *arg, paddr_t pa)
{
	struct vm *vm = arg;

	palloc_free(vm->pages, pa, 1);
}

static void shadow_tlbi(void *arg, unsigned slot, uint64_t ipa, uint64_t size)
{
	struct vm *vm = arg;

	nv_tlbi_shadow(vm->shadow_vttbr[slot], ipa, size);
}

static const struct shadow_s2_ops ops = {
	.read = nv_l1_read,
	.cas = l1_cas,
	.l1_s2 = l1_s2,
	.alloc_page = alloc_page,
	.free_page = free_page,
	.tlbi = shadow_tlbi,
};

static struct shadow_s2_ops vm_ops_of_pool;
static struct walk_features l1_features;

int nv_l2_init(struct vm *vm, const struct vcpu *v0)
{
	uint64_t max = MIN(SHADOW_MAX_PAGES, palloc_free_pages(vm->pages) / 4);

	vm_ops_of_pool = ops;
	vm_ops_of_pool.arg = vm;
	nv_walk_features(v0, &l1_features);
	/* L2's leaves no larger than the guest's own (guest.s2): on a
	 * software model, L2's TLBIs by VA stay cheap too (vm/vm.c choose_s2)
	 */
	if (shadow_s2_init(&vm->shadow, &vm_ops_of_pool, &l1_features, max,
			   vm->ram_pages ? PAGE_SIZE : 0))
		return -1;
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
		vm->shadow_vttbr[i] = ((uint64_t)vm->shadow_vmid[i] << 48) |
				      shadow_s2_root(&vm->shadow.s[i]);
	return 0;
}

/* ---- entry ---- */

static bool holds(const struct shadow_s2 *s, uint64_t vttbr, uint64_t vtcr)
{
	/* held (users > 0): no other CPU reassigns it under us */
	return s && s->vmid == shadow_s2_vmid(vttbr, vtcr) &&
	       s->baddr == (vttbr & GENMASK(47, 1)) && s->vtcr == vtcr;
}

uint64_t nv_l2_vttbr(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t vttbr = vcpu_vncr(v, VNCR_VTTBR_EL2);
	uint64_t vtcr = vcpu_vncr(v, VNCR_VTCR_EL2);
	struct shadow_s2 *s = v->nv.s2;

	if (!holds(s, vttbr, vtcr)) {
		if (s)
			shadow_s2_put(&vm->shadow, s);
		s = shadow_s2_get(&vm->shadow, vttbr, vtcr);
		if (!s) {
			log_err("*** hypervisor bug: vcpu%u finds no shadow "
				"stage-2 slot free (PC 0x%lx)",
				v->id, (unsigned long)v->regs.pc);
			hyp_panic_stop();
		}
		v->nv.s2 = s;
		v->vm->l2_ran = true;
	}
	return vm->shadow_vttbr[s->slot];
}

void nv_l2_release(struct vcpu *v)
{
	if (v->nv.s2)
		shadow_s2_put(&v->vm->shadow, v->nv.s2);
	v->nv.s2 = NULL;
}

/* ---- L2's stage-2 faults ---- */

/* the guest's controls that shape its stage 2 beyond VTTBR/VTCR */
static struct shadow_s2_l1regs l1regs(struct vcpu *v)
{
	uint64_t hcr = nv_guest_hcr_eff(v);

	return (struct shadow_s2_l1regs){
		.fwb = hcr & NV_HCR_FWB,
		.ptw = hcr & NV_HCR_PTW,
		.ee = vcpu_read_sys_reg(v, SYSREG_SCTLR_EL2) & SCTLR_EE,
	};
}

/* ESR_EL2.ISS DFSC/IFSC [5:0] (D24.2.46): address size, translation,
 * access flag and permission faults (0b00xxxx) are the walk's, the shadow
 * answers them; a TLB conflict abort (0b110000) is its own TLB's */
#define FSC_MASK 0x3fUL
#define FSC_WALK_MAX 0x0fUL
#define FSC_PERM_MASK 0x3cUL
#define FSC_PERM 0x0cUL
#define FSC_TLB_CONFLICT 0x30UL
#define ESR_S1PTW BIT(7)
#define PAR_F BIT(0)
#define PAR_S BIT(9) /* PAR_EL1.S: the fault was at stage 2 */

/* stage 1 of the live EL1&0 regime (L2's registers) at va, by the AT the
 * hardware has: PAR_EL1 kept for L2 */
static uint64_t at_s1(uint64_t va, bool el0)
{
	uint64_t saved = read_sysreg(par_el1), par;

	if (el0)
		__asm__ volatile("at s1e0r, %0" ::"r"(va) : "memory");
	else
		__asm__ volatile("at s1e1r, %0" ::"r"(va) : "memory");
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	return par;
}

/* HPFAR_EL2 is UNKNOWN for a stage-2 Permission fault but on a stage-1
 * walk (D24.2.76): the IPA is L2's stage 1 of FAR. False: that walk now
 * faults at stage 2 itself: L2 replays the access and takes that fault */
static bool perm_fault_ipa(const struct vcpu *v, uint64_t esr, uint64_t far,
			   uint64_t *ipa)
{
	uint64_t par;

	if ((esr & FSC_PERM_MASK) != FSC_PERM || (esr & ESR_S1PTW))
		return true;
	par = at_s1(far, nv_vcpu_el(v) == 0);
	if (par & PAR_F)
		return !(par & PAR_S); /* stage 1 refuses a read: keep HPFAR */
	*ipa = (par & GENMASK(47, 12)) | (far & 0xfff);
	return true;
}

/* a stage-2 abort the walk does not explain (TLB conflict, unsupported
 * atomic or exclusive access: D24.2.46) */
static void other_abort(struct vcpu *v, uint64_t esr, uint64_t far,
			uint64_t ipa)
{
	struct vm *vm = v->vm;

	if ((esr & FSC_MASK) == FSC_TLB_CONFLICT) {
		/* the shadow's TLB entries overlap: drop them, replay */
		nv_tlbi_shadow(vm->shadow_vttbr[v->nv.s2->slot], 0, 0);
		return;
	}
	/* the memory L1 gave L2 does not support the access: hardware
	 * would give L1 this abort with this syndrome (HPFAR UNKNOWN) */
	nv_inject_sync(v, esr, far, true, shadow_s2_hpfar(ipa));
}

enum nv_l2_abort nv_l2_abort(struct vcpu *v, uint64_t esr, uint64_t far,
			     uint64_t ipa, uint64_t *l1_pa)
{
	struct vm *vm = v->vm;
	struct shadow_s2_l1regs regs = l1regs(v);
	struct shadow_s2_exit x = {
		.esr = esr, .far = far, .ipa = ipa, .el0 = nv_vcpu_el(v) == 0
	};
	struct shadow_s2_result r;
	static bool nomem_logged;

	if ((esr & FSC_MASK) > FSC_WALK_MAX) {
		other_abort(v, esr, far, ipa);
		return NV_L2_RESUME;
	}
	if (!perm_fault_ipa(v, esr, far, &x.ipa))
		return NV_L2_RESUME;

	/* the shadow this exit ran on: entry picked it and nothing since */
	shadow_s2_fault(&vm->shadow, v->nv.s2, &regs, &x, &r);
	switch (r.outcome) {
	case SHADOW_S2_MAPPED:
		dsb(ishst); /* the new leaf, before L2 replays (D8.17.1) */
		return NV_L2_RESUME;
	case SHADOW_S2_RETRY:
		return NV_L2_RESUME;
	case SHADOW_S2_TO_L1:
		/* ELR_EL2: the faulting instruction (v->regs.pc) */
		nv_inject_sync(v, r.esr, r.far, true, r.hpfar);
		return NV_L2_RESUME;
	case SHADOW_S2_L1_PA:
		*l1_pa = r.l1_pa;
		return NV_L2_L1_PA;
	case SHADOW_S2_NOMEM:
		break;
	}
	/* cannot happen with the pool's budget (a leaf needs three pages,
	 * reclaimed from other shadows first): hypnest's own limit, so the
	 * access is L2's error, never a loop */
	if (!nomem_logged) {
		nomem_logged = true;
		log_warn("vcpu%u: shadow stage-2 out of table pages at L2 IPA "
			 "0x%lx: external abort for L2 (logged once)",
			 v->id, (unsigned long)ipa);
	}
	*l1_pa = ~0UL;
	return NV_L2_L1_PA;
}

/* ---- TLB maintenance of the guest's stage 2 ---- */

/* the VMID the guest's TLBIs by VMID name: its VTTBR_EL2's (D8.16) */
static uint64_t l1_vmid(const struct vcpu *v)
{
	return shadow_s2_vmid(vcpu_vncr(v, VNCR_VTTBR_EL2),
			      vcpu_vncr(v, VNCR_VTCR_EL2));
}

void nv_l2_tlbi_ipa(struct vcpu *v, uint64_t ipa, uint64_t size)
{
	if (size)
		shadow_s2_unmap_ipa(&v->vm->shadow, l1_vmid(v), ipa, size);
}

void nv_l2_tlbi_vmid(struct vcpu *v)
{
	shadow_s2_unmap_all(&v->vm->shadow, l1_vmid(v));
}

void nv_l2_tlbi_all(struct vcpu *v)
{
	shadow_s2_unmap_every(&v->vm->shadow);
}

void nv_l2_tlbi_s1(struct vcpu *v, void (*op)(uint64_t), uint64_t xt)
{
	struct shadow_s2_pool *p = &v->vm->shadow;
	uint64_t vmid = l1_vmid(v);

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_S2_SLOTS; i++)
		if (p->s[i].valid && p->s[i].vmid == vmid)
			nv_tlbi_on(v->vm->shadow_vttbr[i], op, xt);
	spin_unlock(&p->lock);
}
