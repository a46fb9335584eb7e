#!/usr/bin/env python3
"""Runs a command with io_uring_setup, io_uring_enter and io_uring_register refused (EPERM), as Docker's default
seccomp profile refuses them: a seccomp filter installed before exec, inherited by the command and all its threads.
Usage: no_io_uring.py COMMAND [ARGS...]"""
import ctypes, os, platform, struct, sys

ARCHES = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}  # AUDIT_ARCH_*; io_uring's syscalls are 425-427 on both
arch = ARCHES.get(platform.machine())
if arch is None:
    sys.exit("no_io_uring.py: unsupported machine " + platform.machine())

LD_W_ABS, JEQ_K, JGE_K, JGT_K, RET_K = 0x20, 0x15, 0x35, 0x25, 0x06
ALLOW, ERRNO_EPERM = 0x7FFF0000, 0x00050000 | 1
program = [
    (LD_W_ABS, 0, 0, 4),           # seccomp_data.arch
    (JEQ_K, 0, 4, arch),           # another ABI: allow
    (LD_W_ABS, 0, 0, 0),           # seccomp_data.nr
    (JGE_K, 0, 2, 425),            # below io_uring_setup: allow
    (JGT_K, 1, 0, 427),            # above io_uring_register: allow
    (RET_K, 0, 0, ERRNO_EPERM),
    (RET_K, 0, 0, ALLOW),
]
filters = b"".join(struct.pack("HBBI", *insn) for insn in program)
buf = ctypes.create_string_buffer(filters)
fprog = struct.pack("HxxxxxxP", len(program), ctypes.addressof(buf))
fprog_buf = ctypes.create_string_buffer(fprog)

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_void_p(ctypes.addressof(fprog_buf)), 0, 0) != 0:
    sys.exit("no_io_uring.py: prctl failed: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
