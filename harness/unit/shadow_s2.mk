# nv/shadow_s2.c: shadow stage-2 tables (L1's stage 2 walked by mm/walk.c,
# leaves built by mm/pgtable.c). Included by the top Makefile.
HOST_TESTS += test_shadow_s2
$(BUILD)/host/test_shadow_s2: nv/shadow_s2.c mm/walk.c mm/pgtable.c
