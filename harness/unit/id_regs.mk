# sysreg/id_regs.c (the ID register table) on the host
HOST_TESTS += test_id_regs
$(BUILD)/host/test_id_regs: sysreg/id_regs.c include/arch/sysreg_enc.h
