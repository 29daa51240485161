#ifndef HYP_ASM_H
#define HYP_ASM_H
#define FUNC(name)                                                             \
	.global name;                                                          \
	.type name, % function;                                                \
	name:
#define ENDFUNC(name) .size name, .- name
#endif
