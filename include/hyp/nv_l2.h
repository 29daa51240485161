/*
 * A guest hypervisor's own VMs (L2) on a shadow stage 2 (nv/l2.c,
 * docs/nested.md). "L2" is the guest's vEL1/vEL0 (not its EL2&0 regime)
 * while its virtual HCR_EL2.VM or DC is 1: what runs there is translated
 * by its stage 2 (VTTBR_EL2/VTCR_EL2) and then by hypnest's stage 2 of
 * the guest, composed in a shadow table (nv/shadow_s2.c).
 */
#ifndef HYP_NV_L2_H
#define HYP_NV_L2_H
#include "hyp/types.h"

struct vcpu;
struct vm;

/* v runs L2 now */
bool nv_in_l2(const struct vcpu *v);
/* the shadow pool of a nested VM (vm/vm.c, at creation; v0: a vCPU whose
 * ID registers the guest hypervisor reads): 0, or -1 without memory */
int nv_l2_init(struct vm *vm, const struct vcpu *v0);
/* before entering L2: the real VTTBR_EL2, the shadow of the guest's
 * VTTBR_EL2/VTCR_EL2 (held by the vCPU until it needs another) */
uint64_t nv_l2_vttbr(struct vcpu *v);

/* the vCPU restarts: the shadow it holds is given back */
void nv_l2_release(struct vcpu *v);

/* a stage-2 Data or Instruction Abort L2 took (EC 0x24/0x20) at L2 IPA
 * ipa: resolved through the shadow (NV_L2_RESUME: L2 replays the access,
 * or L1 was given the abort at its vEL2), or the access reached an L1
 * address hypnest does not map for it (*l1_pa: an emulated device of
 * L1's, or nothing: the caller emulates it or aborts L2) */
enum nv_l2_abort { NV_L2_RESUME, NV_L2_L1_PA };
enum nv_l2_abort nv_l2_abort(struct vcpu *v, uint64_t esr, uint64_t far,
			     uint64_t ipa, uint64_t *l1_pa);

/* L1's TLB maintenance of its stage 2, on the shadows of the VMID in its
 * VTTBR_EL2 (D8.16): by IPA range (size bytes; 0: none), a whole VMID,
 * every VMID */
void nv_l2_tlbi_ipa(struct vcpu *v, uint64_t ipa, uint64_t size);
void nv_l2_tlbi_vmid(struct vcpu *v);
void nv_l2_tlbi_all(struct vcpu *v);
/* an EL1&0 TLBI of L1's (op with operand xt) on every shadow of its
 * current VMID: stage-1 and combined entries of its L2 */
void nv_l2_tlbi_s1(struct vcpu *v, void (*op)(uint64_t), uint64_t xt);

/* a 64-bit word of the guest's RAM at its IPA (nv/at.c): a descriptor it
 * wrote, perhaps with its caches off; false outside its RAM */
bool nv_l1_read(void *vm, uint64_t ipa, uint64_t *val);
/* op with operand xt on the VMID of vttbr (nv/tlbi.c) */
void nv_tlbi_on(uint64_t vttbr, void (*op)(uint64_t), uint64_t xt);
/* the real invalidation of [ipa, ipa + size) of a shadow (size 0: all
 * of it), stage-2 and combined entries, on every CPU (nv/tlbi.c) */
void nv_tlbi_shadow(uint64_t vttbr, uint64_t ipa, uint64_t size);
/* the stage-2 features the guest hypervisor's ID registers offer */
struct walk_features;
void nv_walk_features(const struct vcpu *v, struct walk_features *f);

#endif
