/* harness/unit/fake_sysregs.c: the fake live EL1 registers of nv/. */
#ifndef FAKE_SYSREGS_H
#define FAKE_SYSREGS_H
#include "hyp/nv.h"
#include "hyp/nv_hcr.h"

extern uint64_t fake_el1[NV_EL1_NR]; /* indexed by enum nv_el1_reg */
extern uint64_t fake_cntpct;	     /* what nv_arch_read_cntpct returns */
extern unsigned fake_el1_writes;     /* nv_arch_write_el1 calls so far */
/* the architectural name of each (SCTLR_EL1, CNTP_CTL_EL0, ...) */
extern const char *const fake_el1_names[NV_EL1_NR];
extern uint64_t fake_ich_vtr;	   /* what nv_arch_read_ich_vtr returns */
extern uint64_t fake_mdscr;	   /* the real MDSCR_EL1 */
extern unsigned fake_mdscr_writes; /* nv_arch_write_mdscr calls so far */
extern uint64_t fake_hcr_el2, fake_far_el2; /* nv_arch_read_hcr/far */
extern uint64_t fake_hcr_implemented;
extern unsigned fake_vel1_flushes;
/* nv_l2_vttbr: its value, and the calls so far */
#define FAKE_L2_VTTBR 0x00ab00000badc000UL
extern unsigned fake_l2_vttbr_calls;
/* nv_tlbi_vel1_all calls so far */ /* nv_arch_hcr_implemented */

#endif
