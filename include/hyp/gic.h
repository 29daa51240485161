/*
 * The physical GICv3 as hypnest drives it (hyp/gic.c). hypnest owns the
 * distributor and every redistributor; guests only ever see the virtual
 * GIC (vcpu/vgic.c) and the virtual CPU interface. Spec: Arm IHI 0069.
 *
 * Physical interrupts are Group 1 (Non-secure), taken at EL2 only on exit
 * from a guest (HCR_EL2.IMO) or when hypnest idles in WFI: hypnest's own
 * PSTATE.I is always set, so there is no EL2 interrupt handler to race
 * with. ICC_CTLR_EL1.EOImode = 1 splits priority drop (EOIR) from
 * deactivation (DIR): an interrupt forwarded to a guest through a
 * hardware-linked list register stays active until the guest deactivates
 * its virtual twin, which deactivates the physical one (ICH_LR.HW).
 */
#ifndef HYP_GIC_H
#define HYP_GIC_H
#include "hyp/dt.h"
#include "hyp/types.h"

#define GIC_SPURIOUS 1020 /* INTIDs 1020..1023 are special */

/* The SGI hypnest sends a CPU to make it look at its vCPU's interrupts
 * again (leave the guest, or leave WFI). Guests never see physical SGIs. */
#define GIC_SGI_KICK 8

/* Distributor (once, on the boot CPU): affinity routing, all SPIs
 * Group 1, disabled, lowest priority. 0 or -1 with a logged reason. */
int gic_init(const struct dt_info *dt);
/* This CPU: find and wake its redistributor, configure SGIs/PPIs,
 * enable the system-register CPU interface at EL2. 0 or -1. */
int gic_init_cpu(void);

void gic_enable_ppi(unsigned intid);		     /* this CPU's */
void gic_enable_spi(unsigned intid, uint64_t mpidr); /* routed to mpidr */
/* ISACTIVER0 of this CPU: makes a PPI active without it being taken */
void gic_set_ppi_active(unsigned intid);
void gic_clear_ppi_active(unsigned intid); /* ICACTIVER0 */

unsigned gic_ack(void);		     /* ICC_IAR1_EL1 */
void gic_eoi(unsigned intid);	     /* ICC_EOIR1_EL1: priority drop */
void gic_deactivate(unsigned intid); /* ICC_DIR_EL1 */
void gic_send_sgi(unsigned sgi, uint64_t mpidr);
/* wake every online CPU but this one from gic_sleep (the kick SGI) */
void gic_kick_others(void);
/* WFI until an interrupt is pending, then acknowledge and deactivate
 * whatever is (a CPU with no vCPU to run: only the kick is enabled) */
void gic_sleep(void);

/* The virtual CPU interface's list registers (ICH_LR<n>_EL2) */
unsigned gic_nr_lrs(void); /* ICH_VTR_EL2.ListRegs + 1 */
uint64_t gic_read_lr(unsigned n);
void gic_write_lr(unsigned n, uint64_t v);
/* its active priority registers, ICH_AP<group>R<n>_EL2: gic_nr_aprs()
 * per group (ICH_VTR_EL2.PREbits); all of group 0 before group 1 */
unsigned gic_nr_aprs(void);
uint64_t gic_read_apr(unsigned group, unsigned n);
void gic_write_apr(unsigned group, unsigned n, uint64_t v);

#endif
