# sysreg/id_regs.c (the ID register table) on the host
HOST_TESTS += test_id_regs
$(BUILD)/host/test_id_regs: sysreg/id_regs.c include/arch/sysreg_enc.h

# build/host/idtable: the table as text, compared with docs/id-regs.md
$(BUILD)/host/idtable: harness/unit/idtable.c sysreg/id_regs.c \
		include/hyp/id_regs.h include/arch/sysreg_enc.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)
host-tests: $(BUILD)/host/idtable
