/* build/host/idtable: prints sysreg/id_regs.c's table, one field a line,
 * "REGISTER|FIELD|MSB:LSB|EL1|NVHE|VHE", in the notation of
 * docs/id-regs.md, which harness/test_id_regs.py compares with it. */
#include <stdio.h>

#include "hyp/id_regs.h"

static const char *show(uint8_t p, char *buf, size_t n)
{
	unsigned v = ID_POL_VAL(p);

	switch (ID_POL_KIND(p)) {
	case ID_PASS:
		return "host";
	case ID_CAP:
		snprintf(buf, n, v < 10 ? "<=%u" : "<=0x%x", v);
		return buf;
	case ID_SCAP:
		snprintf(buf, n, "<=%u (signed)", v);
		return buf;
	case ID_S2_4K:
		return "4K";
	default:
		snprintf(buf, n, v < 10 ? "%u" : "0x%x", v);
		return buf;
	}
}

int main(void)
{
	unsigned n;
	const struct id_reg *t = id_reg_table(&n);

	for (unsigned i = 0; i < n; i++) {
		if (!t[i].nfields)
			printf("%s|-|-|0|0|0\n", t[i].name);
		for (unsigned j = 0; j < t[i].nfields; j++) {
			const struct id_field *f = &t[i].fields[j];
			char a[16], b[16], c[16];

			printf("%s|%s|%u:%u|%s|%s|%s\n", t[i].name, f->name,
			       f->lsb + 3, f->lsb,
			       show(f->by[ID_VIEW_EL1], a, sizeof(a)),
			       show(f->by[ID_VIEW_NVHE], b, sizeof(b)),
			       show(f->by[ID_VIEW_VHE], c, sizeof(c)));
		}
	}
	return 0;
}
