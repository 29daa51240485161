#!/usr/bin/env python3
"""Write image_size (offset 16 of the arm64 Image header) into hypnest.bin.

The size includes bss, so it comes from the ELF's symbols, not the file's
length; a PIE link cannot place that absolute value in the read-only header
without a dynamic relocation, hence this post-link step.
usage: set-image-size.py IMAGE.bin IMAGE.elf NM
"""
import struct
import subprocess
import sys

image, elf, nm = sys.argv[1:4]
syms = {}
for line in subprocess.run([nm, elf], check=True, capture_output=True,
                           text=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3:
        syms[parts[2]] = int(parts[0], 16)
size = syms["__image_end"] - syms["__image_start"]
with open(image, "r+b") as f:
    head = f.read(64)
    if head[0x38:0x3c] != b"ARM\x64":
        sys.exit(f"{image}: no arm64 Image magic at 0x38")
    f.seek(16)
    f.write(struct.pack("<Q", size))
