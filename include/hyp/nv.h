/*
 * nv/: virtual EL2 - where each EL2 (and EL1) register of a vCPU lives, and
 * the one set of accessors that reads and writes it. docs/nv.md explains the
 * rules; this header is the API.
 *
 * Vocabulary
 *   stored copy  the register's value in memory: its VNCR_EL2 slot in
 *                v->vncr (NV_IN_VNCR), or v->nv.regs[] (NV_IN_VCPU).
 *   live         the value in a real EL1 register of the CPU (the vCPU's
 *                EL1 state stays loaded between exits, include/hyp/vcpu.h).
 *   vEL2 context the guest hypervisor's own EL2 registers. While
 *                v->nv.in_vel2 is true they are loaded (translated if the
 *                guest's E2H = 0) into the EL1 registers, and the vEL1
 *                values those EL1 registers held wait in their stored copy.
 *   E2H          HCR_EL2.E2H (bit 34) of the guest's *virtual* HCR_EL2, read
 *                from its VNCR slot on every lookup: never a build constant.
 *
 * A trapped access (EC 0x18), its encoding looked up once (k =
 * sysreg_lookup(enc), vcpu/exit.c), is handled as
 *
 *     uint64_t val = rt == 31 ? 0 : v->regs.x[rt];
 *     switch (nv_sysreg_access_key(v, k, enc, !is_read, &val)) {
 *     case NV_ACCESS_DONE: if (is_read && rt != 31) v->regs.x[rt] = val;
 *                          break;
 *     case NV_ACCESS_UNDEF: inject_undef(v); break;
 *     case NV_ACCESS_NOT_NV: sysreg_trap(v, esr, k) ...
 *     }
 *
 * and hypnest's own code (exception entry into vEL2, emulated ERET, timers,
 * dumps) uses vcpu_read_sys_reg/vcpu_write_sys_reg directly.
 */
#ifndef HYP_NV_H
#define HYP_NV_H
#include "hyp/types.h"

struct vcpu;
struct sysreg_key; /* an entry of the register table (hyp/sysreg_table.h) */

/* ---- The arch interface: the live EL1 registers (nv/el1_live.c on the
 * hardware, harness/unit/fake_sysregs.c on the host) ---- */
/* the live EL1/EL0 registers: one per EL1 row of include/hyp/sysregs.def
 * that has one, NV_EL1_<its short name> */
enum nv_el1_reg {
#define SR_EL1_LIVE(n, lv) NV_EL1_##lv,
#include "hyp/sysregs.def"
	NV_EL1_NR,
	NV_EL1_NONE = 0xff
};
/* the same, by the name of the EL1 row (NV_EL1_OF_SCTLR_EL1 ==
 * NV_EL1_SCTLR): the live register of an EL2 row is its pair's */
enum nv_el1_of_row {
#define SR_EL1_LIVE(n, lv) NV_EL1_OF_##n = NV_EL1_##lv,
#include "hyp/sysregs.def"
};

/* the real EL1 register r (hypnest runs at EL2 with E2H = 0, so the _EL1
 * names reach the EL1 registers) */
uint64_t nv_arch_read_el1(enum nv_el1_reg r);
void nv_arch_write_el1(enum nv_el1_reg r, uint64_t val);
/* CNTPCT_EL0: the physical count, for the computed TVAL registers */
uint64_t nv_arch_read_cntpct(void);
/* ICH_VTR_EL2 of this CPU's GIC (nv/arch_misc.c on the hardware) */
uint64_t nv_arch_read_ich_vtr(void);
/* MDSCR_EL1 (nv/arch_misc.c), for nv/debug.c */
uint64_t nv_arch_read_mdscr(void);
void nv_arch_write_mdscr(uint64_t val);

/* ---- The map (nv/el2_map.c, generated from include/hyp/sysregs.def) ---- */

/* the rows of el2_sysreg_map, in the order of sysregs.def */
enum nv_row {
#define SR_NV_ROW(n) NV_ROW_##n,
#include "hyp/sysregs.def"
	NV_ROW_NR,
	NV_ROW_NONE = 0xff
};

/* where a register is kept */
#define NV_IN_VNCR BIT(0) /* stored copy at its VNCR_EL2 offset */
#define NV_IN_VCPU BIT(1) /* stored copy in v->nv.regs[slot] (no VNCR slot) */
/* while in vEL2, the value is live in the EL1 register `live` */
#define NV_LIVE_EL1 BIT(2)
#define NV_LIVE_E2H1 BIT(3) /* as NV_LIVE_EL1, but only when E2H = 1 */
/* the EL1 register's format differs when E2H = 0: to_el1/from_el1 apply */
#define NV_TRANSLATED BIT(4)
/* SP_EL2, SPSR_EL2, ELR_EL2 and the computed registers (docs/nv.md) */
#define NV_SPECIAL BIT(5)
#define NV_READ_ONLY BIT(6)
/* no storage: the value is computed on each access (TVAL from CVAL and
 * the counter here; ICH_VTR/MISR/EISR/ELRSR in nv/ich_status.c) */
#define NV_COMPUTED BIT(7)
/* the row is an EL1/EL0 register (else an EL2 register) */
#define NV_EL1 BIT(8)
/* live for every level: never redirected to a stored copy */
#define NV_ALWAYS_LIVE BIT(9)
/* EL1 row: at EL2 with E2H = 1 the _EL1 name still names this register
 * (no FEAT_VHE redirection, e.g. MRS SP_EL1) */
#define NV_NO_VHE BIT(10)
/* computed TVAL: counts the virtual count (physical - CNTVOFF_EL2) */
#define NV_VCOUNT BIT(11)

#define NV_NO_VNCR 0xffff

struct el2_reg {
	const char *name;
	const char *alias_name; /* EL1 rows: the _EL12/_EL02 accessor */
	uint32_t enc;		/* SYSREG_* (include/arch/sysreg_enc.h) */
	uint32_t alias;		/* encoding of alias_name, or 0 */
	/*
	 * EL2 row: its EL1 counterpart (the register it is live in, or 0).
	 * EL1 row: the EL2 register that, at EL2 with E2H = 1, the _EL1 name
	 * reaches (FEAT_VHE, D8.13.2) and that takes this register's place
	 * while in vEL2, or 0.
	 */
	uint32_t pair;
	uint32_t cval;	    /* computed TVAL rows: the CVAL register */
	uint8_t pair_row;   /* the rows of pair and cval in el2_sysreg_map, */
	uint8_t cval_row;   /* or NV_ROW_NONE */
	uint16_t vncr;	    /* NV_IN_VNCR: byte offset, else NV_NO_VNCR */
	uint8_t slot;	    /* NV_IN_VCPU: enum nv_slot, else NV_SLOT_NONE */
	uint8_t live;	    /* enum nv_el1_reg it is live in, or NV_EL1_NONE */
	uint32_t flags;	    /* NV_* above */
	uint64_t e2h1_mask; /* E2H = 1, live: bits the EL1 register holds
			       (0: all); the rest come from the stored copy */
	/* NV_TRANSLATED, E2H = 0: EL2 value -> value for the EL1 register */
	uint64_t (*to_el1)(uint64_t el2);
	/* ... and back: the EL2 value from the live EL1 value, taking every
	 * bit with no EL1 counterpart from the stored EL2 value `old` */
	uint64_t (*from_el1)(uint64_t el1, uint64_t old);
};

extern const struct el2_reg el2_sysreg_map[];
extern const unsigned el2_sysreg_map_len;

/* the row whose register or alias encoding is enc (Rt/direction bits are
 * ignored), or NULL: one binary search (sysreg_lookup) */
const struct el2_reg *nv_find(uint32_t enc);
/* the same from the encoding's entry k (NULL: none), already looked up */
const struct el2_reg *nv_find_key(const struct sysreg_key *k);
/* the row named name or alias-named name (host tools, tests), or NULL */
const struct el2_reg *nv_find_name(const char *name);

/* ---- The GIC status registers (nv/ich_status.c; IHI 0069) ---- */
/* ICH_VTR_EL2 as the guest hypervisor reads it: this CPU's ListRegs,
 * IDbits, PREbits, PRIbits */
uint64_t nv_ich_vtr(void);
/* the computed read-only ICH_VTR/MISR/EISR/ELRSR_EL2 (enc), from the
 * guest's stored ICH_LR<n>/ICH_HCR/ICH_VMCR_EL2; 0 for any other enc */
uint64_t nv_ich_status(const struct vcpu *v, uint32_t enc);

/* ---- The one lookup (nv/sysreg_access.c) ---- */
enum nv_loc_kind {
	NV_LOC_NONE,  /* not a register nv/ keeps: handle as without NV */
	NV_LOC_UNDEF, /* the accessor is UNDEFINED here (e.g. _EL12, E2H=0) */
	NV_LOC_VNCR,  /* the stored copy at VNCR offset `off` */
	NV_LOC_VCPU,  /* the stored copy in v->nv.regs[off] */
	NV_LOC_LIVE,  /* the live EL1 register `live` */
	NV_LOC_COMPUTED, /* computed on access */
};

struct nv_loc {
	enum nv_loc_kind kind;
	const struct el2_reg *reg; /* the register reached (after aliases) */
	unsigned off;		   /* VNCR: byte offset; VCPU: enum nv_slot */
	enum nv_el1_reg live;	   /* LIVE: the EL1 register */
	/* LIVE: where the untranslated copy is also kept (VNCR, VCPU, or
	 * NONE for the always-live registers), and its off */
	enum nv_loc_kind store;
	unsigned store_off;
	bool translated; /* LIVE: goes through reg->to_el1/from_el1 */
	/* LIVE: bits the live register holds, the rest from the store */
	uint64_t live_mask;
};

/* the guest's virtual HCR_EL2.E2H (its VNCR slot, bit 34) */
bool nv_guest_e2h(const struct vcpu *v);

/*
 * Where the register named by enc (an accessor encoding as the guest
 * would use it at its current virtual level) lives now. Returns the row
 * reached (an _EL12 alias or a VHE-redirected _EL1 name resolves to the
 * register it reaches) and fills *where; NULL if nv/ does not keep this
 * register (where->kind = NV_LOC_NONE) or the accessor is UNDEFINED at
 * this level (NV_LOC_UNDEF). From vEL1, EL2 registers resolve to their
 * stored copy: that is hypnest's view (a guest at EL1 cannot name them,
 * its accesses never reach here), used by exception entry into vEL2.
 */
const struct el2_reg *nv_locate(const struct vcpu *v, uint32_t enc,
				struct nv_loc *where);

/* ---- The accessors (nv/sysreg_access.c) ---- */

/* the value of the register enc names, by the rules of docs/nv.md; 0 for
 * NV_LOC_NONE/UNDEF */
uint64_t vcpu_read_sys_reg(struct vcpu *v, uint32_t enc);
/* write it; writes to NV_LOC_NONE/UNDEF and READ_ONLY are ignored */
void vcpu_write_sys_reg(struct vcpu *v, uint32_t enc, uint64_t val);
/* the trapped access (EC 0x18): read into *val or write *val */
enum nv_access {
	NV_ACCESS_DONE,	  /* emulated */
	NV_ACCESS_UNDEF,  /* UNDEFINED accessor, or a read-only register
			     written: inject an UNDEF */
	NV_ACCESS_NOT_NV, /* not a register nv/ keeps: handle as without
			     NV (vcpu/sysreg_trap.c) */
};
enum nv_access nv_sysreg_access(struct vcpu *v, uint32_t enc, bool is_write,
				uint64_t *val);
/* the same, given enc's entry k = sysreg_lookup(enc) (NULL: none): a
 * trapped access is looked up once, in vcpu_handle_sync */
enum nv_access nv_sysreg_access_key(struct vcpu *v, const struct sysreg_key *k,
				    uint32_t enc, bool is_write, uint64_t *val);
/* the stored copy of row r (NULL for always-live/computed rows) */
uint64_t *nv_stored(struct vcpu *v, const struct el2_reg *r);

/*
 * Swap the register contexts (the emulated ERET from vEL2 and exception
 * entry into vEL2 call these, around their own ELR/SPSR/PSTATE work).
 * nv_enter_vel2: save each EL1 register the vEL2 context occupies into its
 * vEL1 stored copy, load the vEL2 values (translated if E2H = 0), set
 * in_vel2. nv_leave_vel2: save the live vEL2 values back into their stored
 * copies (reverse-translated, the live value wins for the bits it holds),
 * reload the vEL1 values, clear in_vel2. Both do nothing if already there.
 */
void nv_enter_vel2(struct vcpu *v);
void nv_leave_vel2(struct vcpu *v);
/* in vEL2, if the guest's E2H differs from the one the vEL2 context was
 * loaded with (an HCR_EL2 write the hardware put in the VNCR page), reload
 * the context for the new E2H. nv_el2_hw calls it before every entry (so
 * NV1 never changes under a context in the other layout); the accessors
 * call it first. */
void nv_sync_e2h(struct vcpu *v);
/* clear the nv state (in_vel2 = false); enabled as given */
void nv_reset(struct vcpu *v, bool enabled);

/* ---- Translate hooks for E2H = 0 (nv/el2_translate.c; docs/nv.md) ---- */
uint64_t nv_sctlr_el2_to_el1(uint64_t el2);
uint64_t nv_sctlr_el1_to_el2(uint64_t el1, uint64_t old);
uint64_t nv_tcr_el2_to_el1(uint64_t el2);
uint64_t nv_tcr_el1_to_el2(uint64_t el1, uint64_t old);
uint64_t nv_ttbr0_el2_to_el1(uint64_t el2);
uint64_t nv_ttbr0_el1_to_el2(uint64_t el1, uint64_t old);
uint64_t nv_cptr_el2_to_cpacr(uint64_t el2);
uint64_t nv_cpacr_to_cptr_el2(uint64_t el1, uint64_t old);
/* not used by the map (CNTHCTL_EL2 is not live with E2H = 0, docs/nv.md);
 * for the nested-timer code */
uint64_t nv_cnthctl_el2_to_cntkctl(uint64_t el2);
uint64_t nv_cntkctl_to_cnthctl_el2(uint64_t el1, uint64_t old);

/* HCR_EL2.E2H (D24.2.62) */
#define NV_HCR_E2H BIT(34)

/* ---- Level changes inside the vCPU: the emulated ERET (nv/eret.c) and
 * exception entry into vEL2 (nv/exception.c); docs/nv.md "Level
 * switches" ---- */

/* SPSR_ELx/PSTATE fields, AArch64 layout (C5.2.21 SPSR_EL2, D1.5) */
#define NV_PSR_M_MASK 0xfUL /* M[3:0]: M[3:2] the EL, M[0] the SP */
#define NV_PSR_M_EL0T 0x0UL
#define NV_PSR_M_EL1T 0x4UL
#define NV_PSR_M_EL1H 0x5UL
#define NV_PSR_M_EL2T 0x8UL
#define NV_PSR_M_EL2H 0x9UL
#define NV_PSR_M_SP BIT(0) /* SP_ELx, not SP_EL0 */
#define NV_PSR_M_1 BIT(1)  /* RES0 in a valid AArch64 mode */
#define NV_PSR_EL(psr) (((psr) >> 2) & 3)
#define NV_PSR_NRW BIT(4) /* M[4]: AArch32 */
#define NV_PSR_F BIT(6)
#define NV_PSR_I BIT(7)
#define NV_PSR_A BIT(8)
#define NV_PSR_D BIT(9)
#define NV_PSR_DAIF (NV_PSR_D | NV_PSR_A | NV_PSR_I | NV_PSR_F)
#define NV_PSR_BTYPE (3UL << 10)
#define NV_PSR_SSBS BIT(12)
#define NV_PSR_ALLINT BIT(13)
#define NV_PSR_IL BIT(20)
#define NV_PSR_SS BIT(21)
#define NV_PSR_PAN BIT(22)
#define NV_PSR_UAO BIT(23)
#define NV_PSR_DIT BIT(24)
#define NV_PSR_TCO BIT(25)
#define NV_PSR_NZCV (0xfUL << 28)
/* the SPSR bits an emulated ERET takes over: those of the PSTATE fields a
 * hypnest guest has (no MTE TCO, NMI ALLINT, EBEP PM, SEBEP PPEND, GCS
 * EXLOCK, PAuth_LR PACM, UINJ: those features are hidden, vcpu/sysreg_trap.c)
 */
#define NV_PSR_ERET_KEEP                                                       \
	(NV_PSR_NZCV | NV_PSR_DIT | NV_PSR_UAO | NV_PSR_PAN | NV_PSR_SS |      \
	 NV_PSR_IL | NV_PSR_SSBS | NV_PSR_BTYPE | NV_PSR_DAIF | NV_PSR_M_MASK)

/* vector offsets from VBAR_ELx (D1.4.1.6) */
#define NV_VEC_CUR_SP0 0x000UL
#define NV_VEC_CUR_SPX 0x200UL
#define NV_VEC_LOWER_A64 0x400UL
#define NV_VEC_SYNC 0x000UL
#define NV_VEC_IRQ 0x080UL
#define NV_VEC_FIQ 0x100UL
#define NV_VEC_SERROR 0x180UL

/* fields of the guest's virtual HCR_EL2 (D24.2.62) and SCTLR_EL2
 * (D24.2.176) these use */
#define NV_HCR_TSC BIT(19)
#define NV_HCR_TGE BIT(27)
#define NV_HCR_HCD BIT(29)
#define NV_SCTLR_SPAN BIT(23)
#define NV_SCTLR_DSSBS BIT(44)

/* the vCPU's virtual Exception level (0, 1, 2): real EL0 is vEL0; real
 * EL1 is vEL2 while the vEL2 context is loaded (v->nv.in_vel2), else vEL1 */
unsigned nv_vcpu_el(const struct vcpu *v);
/* the level the vCPU runs at for the exit accounting (enum nv_level,
 * nv/level.c): L2 is vEL1/vEL0 with the guest's stage 2 on
 * (nv_guest_stage2) */
enum nv_level nv_level(const struct vcpu *v);
/* PSTATE as the guest believes it (v->regs.pstate with M[3:2] = EL2 at
 * vEL2): what an exception taken now records in the SPSR */
uint64_t nv_guest_pstate(const struct vcpu *v);

/*
 * A trapped ERET, ERETAA or ERETAB (EC 0x1A; the pointer authentication of
 * ERETAA/ERETAB is not emulated, ELR is used as is) of the guest at vEL2:
 * the exception return from EL2 with the guest's SPSR_EL2/ELR_EL2
 * (AArch64.ExceptionReturn). Legal return to vEL2: stays, M rewritten to
 * the real EL1h/EL1t; to vEL1/vEL0: nv_leave_vel2 first (except to vEL0
 * with E2H = TGE = 1, the EL2&0 regime, which keeps the vEL2 context).
 * Illegal return: PSTATE.IL = 1, the level unchanged, PC = ELR. Sets
 * v->regs.pc/pstate; resume the guest without skipping the instruction.
 * Called at vEL1 (not reachable with NV = 0 there) it performs the EL1
 * exception return from SPSR_EL1/ELR_EL1; at vEL0 it does nothing.
 */
void nv_emulate_eret(struct vcpu *v);

/*
 * Exception entry, one implementation for both targets (nv/exception.c,
 * AArch64.TakeException, D1.4.2): target_el 1 is the guest's EL1 (a plain
 * guest, or the vEL1 of a guest hypervisor: never called at vEL2), 2 the
 * guest hypervisor's virtual EL2 (nv_enter_vel2 first). Writes ELR_ELx =
 * v->regs.pc (the preferred return address), SPSR_ELx =
 * nv_guest_pstate(v), ESR_ELx / FAR_ELx (+ HPFAR_EL2 at EL2) as s says,
 * and sets v->regs.pc to VBAR_ELx + the vector offset for where the vCPU
 * is + type (NV_VEC_SYNC/IRQ/FIQ/SERROR), v->regs.pstate to the entry
 * PSTATE (the real EL1h for both). No routing or masking decision.
 */
struct exc_syndrome {
	bool esr, far; /* write ESR_ELx; write FAR_ELx (and HPFAR_EL2) */
	uint64_t esr_val, far_val, hpfar_val;
};
void vcpu_take_exception(struct vcpu *v, unsigned target_el, uint64_t type,
			 const struct exc_syndrome *s);
/* where a synchronous exception caused by the guest's own instruction is
 * taken (AArch64.Undefined, AArch64.Abort): 2 at vEL2 and at vEL0 with
 * the guest's HCR_EL2.TGE = 1; else 1 (always 1 for a plain guest) */
unsigned nv_sync_target_el(const struct vcpu *v);

/*
 * Take an exception to vEL2 (AArch64.TakeException, D1.4.2): from vEL0 or
 * vEL1 at VBAR_EL2 + 0x400 ("lower EL, AArch64"), from vEL2 at + 0x000
 * (SP_EL0) or + 0x200 (SP_EL2), plus the type's offset. Writes ELR_EL2 =
 * v->regs.pc (the preferred return address: the caller sets it first if it
 * is not the trapping one), SPSR_EL2 = nv_guest_pstate(v), the syndrome,
 * loads the vEL2 context (nv_enter_vel2) and sets v->regs.pc/pstate to the
 * vector in the real EL1h. No masking or routing check: the caller decided
 * the exception goes to vEL2.
 */
/* synchronous: ESR_EL2 = esr_el2; if set_far, FAR_EL2 = far_el2 and
 * HPFAR_EL2 = hpfar (UNKNOWN but for stage-2 aborts: pass 0 then) */
void nv_inject_sync(struct vcpu *v, uint64_t esr_el2, uint64_t far_el2,
		    bool set_far, uint64_t hpfar);
void nv_inject_irq(struct vcpu *v); /* ESR_EL2 not written */
void nv_inject_fiq(struct vcpu *v); /* ESR_EL2 not written */
/* ESR_EL2 = esr_el2 (EC 0x2F and its ISS) */
void nv_inject_serror(struct vcpu *v, uint64_t esr_el2);

/*
 * An HVC the guest executed at vEL1 (EC 0x16 at the real EL2; ELR_EL2
 * already points after it): the exception into vEL2 with the same ESR.
 * From vEL2, likewise into vEL2 (+0x200/+0x000), where the guest's own
 * HVC goes; HCR_EL2.HCD = 1 makes it an UNDEF there. Returns false, doing
 * nothing, if the vCPU is not nested, or at vEL1 with the guest's
 * HCR_EL2.HCD = 1: the HVC is then UNDEFINED at EL1 and the caller injects
 * the UNDEF into the live EL1, at the HVC itself (v->regs.pc -= 4, then
 * inject_undef).
 */
bool nv_hvc_from_vel1(struct vcpu *v, uint64_t esr);
/*
 * An SMC trapped from vEL1 (EC 0x17, ELR_EL2 at the SMC itself): with the
 * guest's HCR_EL2.TSC = 1 the trap goes to vEL2 with the same
 * ESR and ELR = the SMC; returns true. Otherwise false: the caller handles
 * the SMC as the firmware would (and skips it).
 */
bool nv_smc_from_vel1(struct vcpu *v, uint64_t esr);

/* ---- Self-hosted debug at vEL2 (nv/debug.c) ---- */
/* before every entry of a nested vCPU: MDSCR_EL1 (one register for EL1
 * and EL2) moved between the real register (vEL1) and its VNCR slot
 * (vEL2), and at vEL2 the slot applied to the real register, KDE clear
 * when the guest's debug target is its EL1 */
void nv_load_debug(struct vcpu *v);

/* ---- The real EL2 state behind vEL2 (nv/nv_hw.c, hypervisor only) ---- */
/* HCR_EL2 for where the guest is now: hypnest's own controls and what the
 * guest's virtual HCR_EL2 asks for at that level (nv/hcr.c, one table);
 * vcpu_load_el2 writes it */
uint64_t nv_hcr(const struct vcpu *v);
/* a vCPU of a nested guest starts: at vEL2, EL2 registers at reset */
void nv_vcpu_start(struct vcpu *v);
/* ---- Trap forwarding to vEL2 (nv/forward.c) ---- */
/* an exit at vEL1 its guest hypervisor asked for in its virtual HCR_EL2:
 * taken to its vEL2 (true), or hypnest's to handle (false) */
bool nv_forward(struct vcpu *v, uint64_t esr);
/* the same, given an EC 0x18 exit's entry k = sysreg_lookup(its encoding)
 * (NULL: none, or another class): its trap groups (sysreg_key_groups)
 * decide the rules that name a group */
bool nv_forward_key(struct vcpu *v, uint64_t esr, const struct sysreg_key *k);
/* at vEL1/vEL0 with the guest's HCR_EL2.IMO (FMO) in effect (TGE = 1 with
 * E2H = 0 sets them): its IRQs (FIQs) go to its vEL2 */
bool nv_irq_to_vel2(const struct vcpu *v);
bool nv_fiq_to_vel2(const struct vcpu *v);
/* a physical SError taken from L2 with the guest's HCR_EL2.AMO in effect:
 * its vEL2's (EC 0x2F, nv_inject_serror), not the guest's end */
bool nv_serror_to_vel2(const struct vcpu *v);

/* what the offered virtual EL2 has (nv/nv_policy.c): UNDEF for registers
 * of hidden features, fixed values; NOT_NV: go on to nv_sysreg_access.
 * k: enc's entry in the register table (NULL: none), looked up once */
enum nv_access nv_policy_access(struct vcpu *v, const struct sysreg_key *k,
				uint32_t enc, bool is_write, uint64_t *val);

/* ---- AT and TLBI from vEL2 (nv/at.c, nv/tlbi.c) ---- */
enum nv_sys {
	NV_SYS_DONE,	 /* emulated: go on after the instruction */
	NV_SYS_UNDEF,	 /* not at vEL2, or not an instruction it has */
	NV_SYS_EXCEPTION /* an exception was taken to vEL2 (PC at its
			    vector, ELR at the instruction) */
};
/* a trapped AT (op0 1, CRn 7, CRm 8/9) with input address va */
enum nv_sys nv_at(struct vcpu *v, uint32_t enc, uint64_t va);
/* a trapped TLBI (op0 1, CRn 8/9) with operand xt */
enum nv_sys nv_tlbi(struct vcpu *v, uint32_t enc, uint64_t xt);
/* invalidate what the TLBs hold for its vEL1's VMID, on every CPU */
void nv_tlbi_vel1_all(struct vcpu *v);

#endif
