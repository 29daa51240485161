/*
 * Interrupts of a vCPU: the bridge between the virtual GIC model
 * (vcpu/vgic.c), the physical GIC (hyp/gic.c) and the virtual CPU
 * interface's list registers. docs/vgic.md has the whole picture.
 *
 *   before entry  virq_flush: sample the guest's timers into the model
 *                 (virq_sample; vcpu_run also samples before it decides
 *                 where a nested guest's interrupt goes), fill the list
 *                 registers from it, enable the virtual CPU interface
 *                 (ICH_HCR_EL2.En) with an underflow maintenance
 *                 interrupt if not everything fitted.
 *   after exit    virq_sync: fold the list registers back into the model
 *                 and empty them (so no maintenance interrupt stays
 *                 asserted while hypnest runs).
 *   IRQ exit      virq_handle: acknowledge every pending physical
 *                 interrupt and dispatch it by INTID.
 *   WFI           virq_idle: sleep until the vCPU has something to take.
 *
 * The guest's EL1 virtual and physical timers fire physical PPIs on the
 * CPU their vCPU is pinned to. They reach the guest through
 * hardware-linked list registers (ICH_LR.HW = 1): hypnest only drops the
 * priority of the physical interrupt and leaves it active, and the
 * guest's deactivation of the virtual interrupt deactivates the physical
 * one. So a timer cannot fire again until the guest has dealt with it,
 * and every entry makes progress (NV-NOTES 5: the interrupt storm).
 */
#include "arch/sysreg.h"
#include "arch/vncr.h"
#include "hyp/cpu.h"
#include "hyp/gic.h"
#include "hyp/log.h"
#include "hyp/nv.h"
#include "hyp/vcpu.h"
#include "hyp/vm.h"

#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1) /* maintenance when <= 1 LR is valid */

/* CNTx_CTL_EL0 (D24.2): ENABLE, IMASK, ISTATUS */
#define CTL_ENABLE BIT(0)
#define CTL_IMASK BIT(1)
#define CTL_ISTATUS BIT(2)

static uint64_t read_cntv_ctl(void)
{
	return read_sysreg(cntv_ctl_el0);
}

static uint64_t read_cntp_ctl(void)
{
	return read_sysreg(cntp_ctl_el0);
}

/*
 * The guest's timers. An EL1 guest has two, its EL1 virtual and physical
 * timers (PPIs 27, 30), always live in the CPU's EL1 timers (hypnest runs
 * with E2H = 0, so at EL2 the *_EL0 names reach them). A guest at virtual
 * EL2 also has its EL2 virtual and physical timers (PPIs 28, 26); nv/
 * keeps the context it is in live in the EL1 timers -- the EL2 timers at
 * vEL2, the EL1 ones at vEL1 -- and the other context's in its stored
 * copies. So:
 *   live timer    its line follows the CPU's timer, and its interrupt is
 *                 hardware-linked to the physical PPI (27 or 30);
 *   stored timer  its line is worked out from the stored CTL and CVAL
 *                 against the count, as a plain (not hardware-linked)
 *                 level interrupt; hypnest's own EL2 physical timer wakes
 *                 it up at the earliest stored deadline.
 * One time base (D12.2.4.1): the EL1 virtual timer counts the physical
 * count minus the guest's CNTVOFF_EL2, the other three the physical count.
 * The CPU's EL1 virtual timer does so through the real CNTVOFF_EL2, which
 * vcpu_load_el2 sets for the level (nv/el2_hw.c); a stored one here; the
 * TVAL registers nv/ computes likewise.
 */
static const struct guest_timer {
	enum dt_timer dt;   /* the guest's PPI for it */
	enum dt_timer phys; /* the CPU timer it runs on when live */
	bool el2;	    /* an EL2 timer (nested guests only) */
	bool voff;	    /* counts physical - CNTVOFF_EL2 */
	uint64_t (*ctl)(void);
	unsigned vncr_ctl, vncr_cval; /* stored: EL1 timers */
	unsigned slot_ctl, slot_cval; /* stored: EL2 timers */
} guest_timers[] = {
	{ DT_TIMER_VIRT, DT_TIMER_VIRT, false, true, read_cntv_ctl,
	  VNCR_CNTV_CTL_EL0, VNCR_CNTV_CVAL_EL0, 0, 0 },
	{ DT_TIMER_PHYS, DT_TIMER_PHYS, false, false, read_cntp_ctl,
	  VNCR_CNTP_CTL_EL0, VNCR_CNTP_CVAL_EL0, 0, 0 },
	{ DT_TIMER_HYP_VIRT, DT_TIMER_VIRT, true, false, read_cntv_ctl, 0, 0,
	  NV_SLOT_CNTHV_CTL_EL2, NV_SLOT_CNTHV_CVAL_EL2 },
	{ DT_TIMER_HYP_PHYS, DT_TIMER_PHYS, true, false, read_cntp_ctl, 0, 0,
	  NV_SLOT_CNTHP_CTL_EL2, NV_SLOT_CNTHP_CVAL_EL2 },
};

static bool timer_level(uint64_t ctl)
{
	return (ctl & (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS)) ==
	       (CTL_ENABLE | CTL_ISTATUS);
}

static bool timer_live(const struct vcpu *v, const struct guest_timer *t)
{
	return v->nv.enabled ? t->el2 == v->nv.in_vel2 : !t->el2;
}

static bool timer_used(const struct vm *vm, const struct guest_timer *t)
{
	return vm->timer_intid[t->dt] && (!t->el2 || vm->nested);
}

/* hypnest's EL2 physical timer as the stored timers' alarm clock:
 * CNTHP_CTL_EL2 ENABLE at the deadline, or off (~0: none). Written only
 * when the deadline changes: this runs before every entry. */
static void set_alarm(struct vcpu *v, uint64_t deadline)
{
	if (deadline == v->alarm)
		return;
	v->alarm = deadline;
	if (deadline == ~0UL) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, CTL_ENABLE);
}

/* hypnest made (or, by acknowledging it, found) the physical PPI of live
 * timer i active on its behalf: it ends when the guest deactivates the
 * HW-linked virtual interrupt, or here, if the line drops first */
static void phys_active(struct vcpu *v, unsigned i, bool on)
{
	unsigned phys = v->vm->timer_intid[guest_timers[i].phys];

	if (on) {
		gic_set_ppi_active(phys);
		v->timers_phys_active |= 1U << i;
	} else {
		gic_clear_ppi_active(phys);
		v->timers_phys_active &= ~(1U << i);
	}
}

/* Timer i became live (hardware-linked to its physical PPI) or stored (a
 * plain interrupt). Swapped out, the physical PPI's active state was this
 * timer's, and the CPU timer now runs the other context's: free it. */
static void timer_swap(struct vcpu *v, unsigned i, bool live)
{
	const struct guest_timer *t = &guest_timers[i];
	unsigned intid = v->vm->timer_intid[t->dt];
	unsigned phys = v->vm->timer_intid[t->phys];

	if (!live)
		phys_active(v, i, false);
	vgic_set_hw(&v->vm->vgic, v->id, intid, live, live ? phys : 0);
	v->timers_live ^= 1U << i;
}

/* a stored timer's level from its CTL and CVAL against its count;
 * *alarm (a physical count) lowered to its deadline if yet to come */
static bool stored_level(struct vcpu *v, const struct guest_timer *t,
			 uint64_t now, uint64_t *alarm)
{
	uint64_t ctl =
	    t->el2 ? v->nv.regs[t->slot_ctl] : vcpu_vncr(v, t->vncr_ctl);
	uint64_t cval =
	    t->el2 ? v->nv.regs[t->slot_cval] : vcpu_vncr(v, t->vncr_cval);
	uint64_t count = now - (t->voff ? vcpu_vncr(v, VNCR_CNTVOFF_EL2) : 0);
	uint64_t wait;

	if ((ctl & (CTL_ENABLE | CTL_IMASK)) != CTL_ENABLE)
		return false;
	if (count >= cval)
		return true;
	wait = cval - count;
	*alarm = MIN(*alarm, wait > ~0UL - now ? ~0UL : now + wait);
	return false;
}

/* a live timer's level from the CPU's; an asserted one keeps its physical
 * PPI active, so it does not fire again before the guest deactivates its
 * virtual twin (the HW-linked LR). If the line drops before that -- the
 * guest masked or stopped the timer without taking the interrupt, or it
 * never could -- nothing would ever deactivate the physical PPI, and no
 * timer on it could interrupt again: free it. */
static bool live_level(struct vcpu *v, unsigned i, unsigned intid)
{
	bool level = timer_level(guest_timers[i].ctl());

	if (level)
		phys_active(v, i, true);
	else if ((v->timers_phys_active & (1U << i)) &&
		 !vgic_is_active(&v->vm->vgic, v->id, intid))
		phys_active(v, i, false);
	return level;
}

void virq_sample(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t now = read_sysreg(cntpct_el0), alarm = ~0UL;

	for (unsigned i = 0; i < ARRAY_SIZE(guest_timers); i++) {
		const struct guest_timer *t = &guest_timers[i];
		unsigned intid = vm->timer_intid[t->dt];
		bool live = timer_live(v, t), level;

		if (!timer_used(vm, t))
			continue;
		if (live != !!(v->timers_live & (1U << i)))
			timer_swap(v, i, live);
		level = live ? live_level(v, i, intid)
			     : stored_level(v, t, now, &alarm);
		vgic_set_line(&vm->vgic, v->id, intid, level);
	}
	if (vm->nested) {
		set_alarm(v, alarm);
		vgic_nested_maint(v);
	}
}

static bool is_timer(const struct vm *vm, unsigned intid)
{
	for (unsigned i = 0; i < ARRAY_SIZE(guest_timers); i++)
		if (timer_used(vm, &guest_timers[i]) &&
		    vm->timer_intid[guest_timers[i].dt] == intid)
			return true;
	return false;
}

/* Before entry. At vEL1 with the guest's HCR_EL2.IMO, its interrupts are
 * its vEL2's (vcpu_run takes them there first): none goes into a list
 * register for vEL1. One that became pending since that decision asks for
 * an exit at once (the underflow maintenance interrupt), after which it is
 * taken to vEL2. With the guest's own virtual interface in the list
 * registers (the nested vGIC) that exit is a kick of this CPU instead:
 * the real ICH_HCR_EL2 is the guest's. */
void virq_flush(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;
	uint64_t lrs[VGIC_MAX_LRS];
	unsigned n = 0, more, id;

	virq_sample(v);
	if (vgic_nested_flush(v)) {
		v->lrs_used = 0;
		v->lr_timer = 0;
		if (vgic_pending_for(g, v->id, &id, 1))
			gic_send_sgi(GIC_SGI_KICK, this_cpu()->mpidr);
		return;
	}
	if (!nv_irq_to_vel2(v))
		n = vgic_lr_fill(g, v->id, lrs, v->nr_lrs);
	v->lr_timer = 0;
	for (unsigned i = 0; i < n; i++) {
		struct vgic_lr lr;

		gic_write_lr(i, lrs[i]);
		vgic_lr_decode(lrs[i], &lr);
		if ((lr.state & VGIC_LR_PENDING) && is_timer(v->vm, lr.vintid))
			v->lr_timer |= 1U << i;
	}
	v->lrs_used = n;
	more = vgic_pending_for(g, v->id, &id, 1);
	write_sysreg(ich_hcr_el2, ICH_HCR_EN | (more ? ICH_HCR_UIE : 0));
}

void virq_sync(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;

	if (vgic_nested_sync(v))
		return;

	for (unsigned i = 0; i < v->lrs_used; i++) {
		struct vgic_lr lr;

		vgic_lr_decode(gic_read_lr(i), &lr);
		/* a timer interrupt the guest acknowledged */
		if ((v->lr_timer & (1U << i)) && !(lr.state & VGIC_LR_PENDING))
			v->stats.timer_irqs++;
		vgic_lr_synced(g, v->id, lr.vintid, lr.state);
		gic_write_lr(i, 0);
	}
	v->lrs_used = 0;
	v->lr_timer = 0;
	write_sysreg(ich_hcr_el2, 0);
	/* a nested guest's ICH_* writes at vEL2 land in memory (NV2): its
	 * maintenance interrupt as of now, before the exit is handled */
	vgic_nested_maint(v);
}

void virq_kick(struct vcpu *t)
{
	if (t->id != this_cpu()->id)
		gic_send_sgi(GIC_SGI_KICK, percpu[t->id].mpidr);
}

void virq_kick_pending(struct vm *vm, struct vcpu *self)
{
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (vm->vcpu[i] != self &&
		    vgic_has_pending(&vm->vgic, vm->vcpu[i]->id))
			virq_kick(vm->vcpu[i]);
}

/* ---- physical interrupts, by INTID ---- */

static void irq_done(struct vcpu *v, unsigned intid)
{
	(void)v;
	gic_deactivate(intid);
}

/* the guest's timer: stays active for the HW-linked LR (see top): the
 * acknowledgement made it active on behalf of whichever of the guest's
 * timers runs on it now, whose line goes up (or, if it dropped meanwhile,
 * which frees it again) */
static void irq_guest_timer(struct vcpu *v, unsigned intid)
{
	for (unsigned i = 0; i < ARRAY_SIZE(guest_timers); i++)
		if (timer_used(v->vm, &guest_timers[i]) &&
		    timer_live(v, &guest_timers[i]) &&
		    v->vm->timer_intid[guest_timers[i].phys] == intid)
			v->timers_phys_active |= 1U << i;
	virq_sample(v);
}

/* hypnest's alarm for a stored timer (virq_sample re-arms it) */
static void irq_alarm(struct vcpu *v, unsigned intid)
{
	set_alarm(v, ~0UL);
	gic_deactivate(intid);
	virq_sample(v);
}

static void irq_uart(struct vcpu *v, unsigned intid)
{
	v->vm->ops->uart_rx(v->vm);
	gic_deactivate(intid);
}

typedef void (*irq_fn)(struct vcpu *v, unsigned intid);

/* INTID -> handler, filled from the DT's numbers (vm_irq_table) */
static irq_fn handler_for(struct vm *vm, unsigned intid)
{
	const struct {
		unsigned intid;
		irq_fn fn;
	} table[] = {
		{ GIC_SGI_KICK, irq_done },    /* its work is the next entry */
		{ vm->maint_intid, irq_done }, /* virq_sync did the work */
		{ vm->timer_intid[DT_TIMER_VIRT], irq_guest_timer },
		{ vm->timer_intid[DT_TIMER_PHYS], irq_guest_timer },
		{ vm->uart_intid, irq_uart },
		{ vm->nested ? vm->timer_intid[DT_TIMER_HYP_PHYS] : 0,
		  irq_alarm },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].intid == intid && intid)
			return table[i].fn;
	return NULL;
}

unsigned virq_handle(struct vcpu *v)
{
	unsigned first = GIC_SPURIOUS;

	for (;;) {
		unsigned intid = gic_ack();
		irq_fn fn;

		if (intid >= GIC_SPURIOUS)
			return first;
		if (first == GIC_SPURIOUS)
			first = intid;
		gic_eoi(intid);
		fn = handler_for(v->vm, intid);
		if (fn) {
			fn(v, intid);
		} else {
			log_warn("vcpu%u: unexpected physical interrupt %u "
				 "(deactivated)",
				 v->id, intid);
			gic_deactivate(intid);
		}
	}
}

/* An interrupt of the guest's own (hypnest's vGIC for it) its CPU
 * interface signals: above its priority mask, its group enabled. Its
 * ICH_VMCR_EL2 is in the real register between exits (a nested guest's
 * is put back by virq_sync, vcpu/vgic_nested.c): VPMR [31:24], VENG1 [1],
 * VENG0 [0] (IHI 0069). A guest hypervisor that enters its VM with its
 * priority mask up keeps running it (Linux with pseudo-NMIs does). */
bool virq_signalled(struct vcpu *v)
{
	uint64_t vmcr = read_sysreg(ich_vmcr_el2);

	return vgic_signalled(&v->vm->vgic, v->id, (uint8_t)(vmcr >> 24),
			      vmcr & BIT(0), vmcr & BIT(1));
}

/* WFI (HCR_EL2.TWI): the physical CPU sleeps until the vCPU has an
 * interrupt to take. hypnest's PSTATE.I is set, but a pending physical
 * interrupt still ends WFI (D1.6.2), and every way a vCPU can get one
 * sends one: its timers, the kick SGI, the UART. */
void virq_idle(struct vcpu *v)
{
	for (;;) {
		virq_sample(v);
		if (vgic_has_pending(&v->vm->vgic, v->id) ||
		    vgic_nested_wakeup(v) || v->power != VCPU_ON ||
		    v->vm->stopping)
			return;
		virq_wait(v);
	}
}

void virq_wait(struct vcpu *v)
{
	dsb(sy);
	__asm__ volatile("wfi" ::: "memory");
	virq_handle(v);
}
