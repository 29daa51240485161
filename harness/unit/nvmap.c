/*
 * build/host/nvmap: the host build of nv/ behind a line protocol, for
 * harness/test_nv_map.py. One command per line on stdin; every command that
 * answers prints exactly one line. Numbers are C literals (0x.. or decimal);
 * values print as 0x%016llx. Register names are the map's (SCTLR_EL2,
 * SCTLR_EL12, ...); live-register names are the EL1 names (SCTLR_EL1 ...).
 *
 *   reset                    zeroed vCPU at vEL1, live registers 0
 *   e2h 0|1                  vcpu_write_sys_reg(HCR_EL2) with E2H changed
 *   hcrmem VAL               store VAL in the HCR_EL2 VNCR slot (as NV2
 *                            hardware would), nothing else
 *   sync                     nv_sync_e2h
 *   level vel1|vel2          nv_leave_vel2 / nv_enter_vel2
 *   write NAME VAL           vcpu_write_sys_reg
 *   read NAME                vcpu_read_sys_reg               -> value
 *   access NAME r|w [VAL]    nv_sysreg_access  -> DONE VAL | UNDEF | NOT_NV
 *   live LNAME               the fake live register           -> value
 *   setlive LNAME VAL        set it (a change made by hardware)
 *   stored NAME              the row's stored copy            -> value|none
 *   loc NAME                 nv_locate -> KIND reached live=L xlate=0|1
 *   counter VAL              the physical count
 *   vtr VAL                  this CPU's ICH_VTR_EL2 (reset: 4 LRs, 0x90000003)
 *   list                     one line per row (fields: see print_row)
 *   to HOOK VAL              translate hook EL2 -> EL1        -> value
 *   from HOOK EL1 OLD        translate hook EL1 -> EL2        -> value
 *                            HOOK: sctlr tcr ttbr0 cptr cnthctl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/sysreg_enc.h"
#include "arch/vncr.h"
#include "fake_sysregs.h"
#include "hyp/vcpu.h"

static struct vcpu v;

static const struct {
	const char *name;
	uint64_t (*to)(uint64_t);
	uint64_t (*from)(uint64_t, uint64_t);
} hooks[] = {
	{ "sctlr", nv_sctlr_el2_to_el1, nv_sctlr_el1_to_el2 },
	{ "tcr", nv_tcr_el2_to_el1, nv_tcr_el1_to_el2 },
	{ "ttbr0", nv_ttbr0_el2_to_el1, nv_ttbr0_el1_to_el2 },
	{ "cptr", nv_cptr_el2_to_cpacr, nv_cpacr_to_cptr_el2 },
	{ "cnthctl", nv_cnthctl_el2_to_cntkctl, nv_cntkctl_to_cnthctl_el2 },
};

static const char *const flag_names[] = {
	"IN_VNCR",    "IN_VCPU",     "LIVE_EL1",  "LIVE_E2H1",
	"TRANSLATED", "SPECIAL",     "READ_ONLY", "COMPUTED",
	"EL1",	      "ALWAYS_LIVE", "NO_VHE",	  "VCOUNT",
};

static const char *const kind_names[] = {
	[NV_LOC_NONE] = "NONE", [NV_LOC_UNDEF] = "UNDEF",
	[NV_LOC_VNCR] = "VNCR", [NV_LOC_VCPU] = "VCPU",
	[NV_LOC_LIVE] = "LIVE", [NV_LOC_COMPUTED] = "COMPUTED",
};

static unsigned lineno;

static void fail(const char *what, const char *arg)
{
	printf("error: line %u: %s %s\n", lineno, what, arg ? arg : "");
	exit(2);
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t val;

	if (!s)
		fail("missing number", NULL);
	val = strtoull(s, &end, 0);
	if (*end)
		fail("bad number", s);
	return val;
}

static const struct el2_reg *row(const char *name, uint32_t *enc)
{
	const struct el2_reg *r = name ? nv_find_name(name) : NULL;

	if (!r)
		fail("unknown register", name);
	*enc =
	    r->alias_name && !strcmp(name, r->alias_name) ? r->alias : r->enc;
	return r;
}

static enum nv_el1_reg live_reg(const char *name)
{
	for (unsigned i = 0; i < NV_EL1_NR; i++)
		if (name && fake_el1_names[i] &&
		    !strcmp(name, fake_el1_names[i]))
			return (enum nv_el1_reg)i;
	fail("unknown live register", name);
	return NV_EL1_NONE;
}

static const char *enc_name(uint32_t enc)
{
	const struct el2_reg *r = enc ? nv_find(enc) : NULL;

	if (!r)
		return "-";
	return r->enc == enc ? r->name : r->alias_name;
}

static void print_row(const struct el2_reg *r)
{
	printf("%s enc=%u,%u,%u,%u,%u", r->name, SYSREG_OP0(r->enc),
	       SYSREG_OP1(r->enc), SYSREG_CRN(r->enc), SYSREG_CRM(r->enc),
	       SYSREG_OP2(r->enc));
	printf(" alias=%s", r->alias_name ? r->alias_name : "-");
	if (r->alias)
		printf(",%u,%u,%u,%u,%u", SYSREG_OP0(r->alias),
		       SYSREG_OP1(r->alias), SYSREG_CRN(r->alias),
		       SYSREG_CRM(r->alias), SYSREG_OP2(r->alias));
	if (r->vncr != NV_NO_VNCR)
		printf(" vncr=0x%03x", r->vncr);
	else
		printf(" vncr=-");
	printf(" live=%s", r->live < NV_EL1_NR ? fake_el1_names[r->live] : "-");
	printf(" pair=%s cval=%s flags=", enc_name(r->pair), enc_name(r->cval));
	for (unsigned b = 0, first = 1; b < ARRAY_SIZE(flag_names); b++)
		if (r->flags & BIT(b)) {
			printf("%s%s", first ? "" : "|", flag_names[b]);
			first = 0;
		}
	printf("\n");
}

static void reset(void)
{
	memset(&v, 0, sizeof(v));
	memset(fake_el1, 0, sizeof(fake_el1));
	fake_cntpct = 0;
	fake_ich_vtr = 0x90000003; /* PRIbits 5, PREbits 5, 4 LRs */
	nv_reset(&v, true);
}

static void command(char *line)
{
	char *tok[4] = { NULL };
	unsigned n = 0;
	uint32_t enc;
	const struct el2_reg *r;

	for (char *s = strtok(line, " \t\r\n"); s && n < 4;
	     s = strtok(NULL, " \t\r\n"))
		tok[n++] = s;
	if (!n || tok[0][0] == '#')
		return;
	if (!strcmp(tok[0], "reset")) {
		reset();
	} else if (!strcmp(tok[0], "e2h")) {
		uint64_t hcr = vcpu_vncr(&v, VNCR_HCR_EL2) & ~NV_HCR_E2H;

		vcpu_write_sys_reg(&v, SYSREG_HCR_EL2,
				   hcr | (num(tok[1]) ? NV_HCR_E2H : 0));
	} else if (!strcmp(tok[0], "hcrmem")) {
		vcpu_vncr(&v, VNCR_HCR_EL2) = num(tok[1]);
	} else if (!strcmp(tok[0], "sync")) {
		nv_sync_e2h(&v);
	} else if (!strcmp(tok[0], "level")) {
		if (tok[1] && !strcmp(tok[1], "vel2"))
			nv_enter_vel2(&v);
		else if (tok[1] && !strcmp(tok[1], "vel1"))
			nv_leave_vel2(&v);
		else
			fail("bad level", tok[1]);
	} else if (!strcmp(tok[0], "write")) {
		row(tok[1], &enc);
		vcpu_write_sys_reg(&v, enc, num(tok[2]));
	} else if (!strcmp(tok[0], "read")) {
		row(tok[1], &enc);
		printf("0x%016llx\n",
		       (unsigned long long)vcpu_read_sys_reg(&v, enc));
	} else if (!strcmp(tok[0], "access")) {
		uint64_t val = tok[3] ? num(tok[3]) : 0;
		enum nv_access a;
		bool w = tok[2] && !strcmp(tok[2], "w");

		row(tok[1], &enc);
		a = nv_sysreg_access(&v, enc, w, &val);
		if (a == NV_ACCESS_DONE)
			printf("DONE 0x%016llx\n", (unsigned long long)val);
		else
			printf("%s\n",
			       a == NV_ACCESS_UNDEF ? "UNDEF" : "NOT_NV");
	} else if (!strcmp(tok[0], "live")) {
		printf("0x%016llx\n",
		       (unsigned long long)fake_el1[live_reg(tok[1])]);
	} else if (!strcmp(tok[0], "setlive")) {
		fake_el1[live_reg(tok[1])] = num(tok[2]);
	} else if (!strcmp(tok[0], "stored")) {
		uint64_t *p = nv_stored(&v, row(tok[1], &enc));

		if (p)
			printf("0x%016llx\n", (unsigned long long)*p);
		else
			printf("none\n");
	} else if (!strcmp(tok[0], "loc")) {
		struct nv_loc loc;

		row(tok[1], &enc);
		r = nv_locate(&v, enc, &loc);
		printf("%s %s live=%s xlate=%d\n", kind_names[loc.kind],
		       r ? r->name : "-",
		       loc.kind == NV_LOC_LIVE ? fake_el1_names[loc.live] : "-",
		       loc.translated);
	} else if (!strcmp(tok[0], "counter")) {
		fake_cntpct = num(tok[1]);
	} else if (!strcmp(tok[0], "vtr")) {
		fake_ich_vtr = num(tok[1]);
	} else if (!strcmp(tok[0], "list")) {
		for (unsigned i = 0; i < el2_sysreg_map_len; i++)
			print_row(&el2_sysreg_map[i]);
		printf("end\n");
	} else if (!strcmp(tok[0], "to") || !strcmp(tok[0], "from")) {
		unsigned h;

		for (h = 0; h < ARRAY_SIZE(hooks); h++)
			if (tok[1] && !strcmp(tok[1], hooks[h].name))
				break;
		if (h == ARRAY_SIZE(hooks))
			fail("unknown hook", tok[1]);
		if (tok[0][0] == 't')
			printf("0x%016llx\n",
			       (unsigned long long)hooks[h].to(num(tok[2])));
		else
			printf("0x%016llx\n", (unsigned long long)hooks[h].from(
						  num(tok[2]), num(tok[3])));
	} else {
		fail("unknown command", tok[0]);
	}
}

int main(void)
{
	static char line[256];

	reset();
	while (fgets(line, sizeof(line), stdin)) {
		lineno++;
		command(line);
	}
	return 0;
}
