/* VMID allocator: a bitmap, lowest free first (include/hyp/vmid.h). */
#include "hyp/vmid.h"

void vmid_init(struct vmid_pool *p, unsigned bits)
{
	unsigned n = bits >= 16 ? 65536 : 1U << bits;

	p->limit = n < VMID_MAX_TRACKED ? n : VMID_MAX_TRACKED;
	for (unsigned i = 0; i < VMID_MAX_TRACKED / 64; i++)
		p->used[i] = 0;
	p->used[0] = 1; /* VMID 0 is never a guest's */
	p->lock = (spinlock_t){ 0 };
}

int vmid_alloc(struct vmid_pool *p, unsigned *id)
{
	int ret = -1;

	spin_lock(&p->lock);
	for (unsigned i = 1; i < p->limit; i++) {
		if (!(p->used[i / 64] & BIT(i % 64))) {
			p->used[i / 64] |= BIT(i % 64);
			*id = i;
			ret = 0;
			break;
		}
	}
	spin_unlock(&p->lock);
	return ret;
}

void vmid_free(struct vmid_pool *p, unsigned id)
{
	if (id == 0 || id >= p->limit)
		return;
	spin_lock(&p->lock);
	p->used[id / 64] &= ~BIT(id % 64);
	spin_unlock(&p->lock);
}
