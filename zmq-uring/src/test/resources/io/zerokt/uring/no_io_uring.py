#!/usr/bin/env python3
"""Runs a command with io_uring's system calls refused (EPERM), as Docker's default seccomp profile refuses them: a
seccomp filter installed before exec, inherited by the command and all its threads. With --errno ENOSYS they fail as
on a kernel built without io_uring (or older than 5.1).

Usage: no_io_uring.py [--only NAME[,NAME...]] [--errno EPERM|ENOSYS] COMMAND [ARGS...]
NAME is setup, enter or register (default: all three)."""
import ctypes, os, platform, struct, sys

ARCHES = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}  # AUDIT_ARCH_*; both number these calls 425-427
SYSCALLS = {"setup": 425, "enter": 426, "register": 427}

ERRNOS = {"EPERM": 1, "ENOSYS": 38}

args = sys.argv[1:]
names, errno = list(SYSCALLS), "EPERM"
while args[:1] in (["--only"], ["--errno"]) and len(args) > 1:
    if args[0] == "--only":
        names = args[1].split(",")
    else:
        errno = args[1]
    args = args[2:]
if not args or any(n not in SYSCALLS for n in names) or errno not in ERRNOS:
    sys.exit(__doc__)
arch = ARCHES.get(platform.machine())
if arch is None:
    sys.exit("no_io_uring.py: unsupported machine " + platform.machine())

LD_W_ABS, JEQ_K, RET_K = 0x20, 0x15, 0x06
ALLOW, REFUSE = 0x7FFF0000, 0x00050000 | ERRNOS[errno]  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | errno
refused = [SYSCALLS[n] for n in names]
program = [(LD_W_ABS, 0, 0, 4), (JEQ_K, 0, len(refused) + 1, arch), (LD_W_ABS, 0, 0, 0)]  # arch, then nr
for i, nr in enumerate(refused):  # a match jumps to the REFUSE return, past the rest and the ALLOW
    program.append((JEQ_K, len(refused) - i, 0, nr))
program += [(RET_K, 0, 0, ALLOW), (RET_K, 0, 0, REFUSE)]

filters = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *insn) for insn in program))
fprog = ctypes.create_string_buffer(struct.pack("HxxxxxxP", len(program), ctypes.addressof(filters)))
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_void_p(ctypes.addressof(fprog)), 0, 0) != 0:
    sys.exit("no_io_uring.py: prctl failed: " + os.strerror(ctypes.get_errno()))
os.execvp(args[0], args)
