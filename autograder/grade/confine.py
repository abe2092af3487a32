"""Kernel isolation for a submission's process: namespaces, rlimits, unprivileged user, Landlock."""

import ctypes
import fcntl
import os
import resource
import signal
import stat
import struct
import sys

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_RULE_PATH_BENEATH = 1
SYS_CLOSE_RANGE = 436

# Landlock filesystem rights per ABI version (uapi/linux/landlock.h)
_FS_V1 = (1 << 13) - 1
_FS_BY_ABI = {1: _FS_V1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1}
_FS_READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute, read file, read dir
_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)
_NET_TCP = (1 << 0) | (1 << 1)  # bind, connect (ABI 4+)
_SCOPES = (1 << 0) | (1 << 1)  # abstract unix sockets, signals (ABI 6+)

SANDBOX_UID_BASE = 61000
SANDBOX_UIDS = 4000
UID_LOCKS = "/run/mml-sandbox-uids"  # one lock file per sandbox uid in use, root's only
MNT_DETACH = 2


def _sys(*args) -> int:
    return _libc.syscall(*[ctypes.c_long(a) for a in args])


def _err(what: str) -> str:
    e = ctypes.get_errno()
    return f"{what}: {os.strerror(e)}"


def prctl(option: int, arg: int) -> int:
    return _libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0)


def unshare(flags: int) -> str | None:
    """Enter new namespaces; the reason on failure."""
    if _libc.unshare(flags) != 0:
        return _err("unshare")
    return None


def die_with_parent() -> None:
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def landlock_abi() -> int:
    abi = _sys(SYS_LANDLOCK_CREATE_RULESET, 0, 0, 1)
    return abi if abi > 0 else 0


def read_only_roots() -> list[str]:
    """Where a submission may read: the interpreter, libraries and system files only."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64", "/etc"}
    for p in sys.path:
        if "site-packages" in p or p.startswith(sys.base_prefix):
            roots.add(p)
    return sorted(r for r in roots if r and os.path.exists(r))


def landlock(abi: int, writable: str, readable: list[str]) -> str | None:
    """Allow reading ``readable`` and everything in ``writable``; deny all other paths and TCP."""
    fs = _FS_BY_ABI.get(abi, (1 << 16) - 1)
    attr = struct.pack("QQQ", fs, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    buf = ctypes.create_string_buffer(attr, len(attr))
    fd = _sys(SYS_LANDLOCK_CREATE_RULESET, ctypes.addressof(buf), size, 0)
    if fd < 0:
        return _err("landlock_create_ruleset")
    try:
        rules = [(p, _FS_READ) for p in readable] + [(writable, fs), ("/dev/null", 0b110)]
        for path, rights in rules:
            try:
                pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not os.path.isdir(path):
                    rights &= _FILE_RIGHTS
                rule = ctypes.create_string_buffer(struct.pack("=Qi", rights & fs, pfd), 12)
                if (
                    _sys(
                        SYS_LANDLOCK_ADD_RULE,
                        fd,
                        LANDLOCK_RULE_PATH_BENEATH,
                        ctypes.addressof(rule),
                        0,
                    )
                    != 0
                ):
                    return _err(f"landlock_add_rule {path}")
            finally:
                os.close(pfd)
        if _sys(SYS_LANDLOCK_RESTRICT_SELF, fd, 0) != 0:
            return _err("landlock_restrict_self")
    finally:
        os.close(fd)
    return None


def set_limits(cpu_s: float, memory_mb: int, file_mb: int = 64, nproc: int = 64) -> None:
    def lim(which, value):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    cpu = int(cpu_s) + 1
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    except (ValueError, OSError):
        pass
    lim(resource.RLIMIT_AS, memory_mb * 2**20)
    lim(resource.RLIMIT_FSIZE, file_mb * 2**20)
    lim(resource.RLIMIT_NPROC, nproc)
    lim(resource.RLIMIT_NOFILE, 256)
    lim(resource.RLIMIT_CORE, 0)


def drop_privileges(uid: int) -> str | None:
    """Become ``uid`` (group too, no supplementary groups); the reason if not possible."""
    if os.geteuid() != 0:
        return "not running as root: the submission keeps the grader's user"
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    return None


def claim_uid(start: int) -> tuple[int, int]:
    """A sandbox uid that no other zygote on this machine holds, and the descriptor of its lock
    (kept open for the zygote's life: the kernel drops the lock when the zygote ends, however
    it ends). Two zygotes never share a uid, so one's ``sweep_uid`` cannot kill the other's
    child. Raises OSError when the lock folder is not safe or every uid is taken."""
    try:
        os.mkdir(UID_LOCKS, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(UID_LOCKS)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise OSError(f"{UID_LOCKS} is not a folder that only root can write")
    for k in range(SANDBOX_UIDS):
        uid = SANDBOX_UID_BASE + (start + k) % SANDBOX_UIDS
        fd = os.open(
            os.path.join(UID_LOCKS, str(uid)),
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return uid, fd
    raise OSError("every sandbox user id is in use")


def private_mounts() -> str | None:
    """Enter a private mount namespace (mounts made here are seen by no one else)."""
    if _libc.unshare(CLONE_NEWNS) != 0 or not _mount(None, "/", None, MS_REC | MS_PRIVATE, None):
        return _err("mount namespace")
    return None


def mount_quota(path: str, size_mb: int, uid: int) -> str | None:
    """A size-limited tmpfs on ``path``: every byte a submission writes counts, in all files."""
    opts = f"size={int(size_mb)}m,nr_inodes=20000,mode=0700,uid={uid},gid={uid}"
    if not _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts):
        return _err(f"mount tmpfs on {path}")
    return None


def unmount(path: str) -> None:
    _libc.umount2(path.encode(), MNT_DETACH)


def sweep_uid(uid: int) -> None:
    """Kill every process running as ``uid`` (the zygote's own sandbox user).

    kill(-1) as that user reaches exactly its processes; a process with SIGKILL pending cannot
    fork, and new processes join the end of the list being walked, so two passes suffice.
    """
    if os.geteuid() != 0 or uid == 0:
        return
    for _ in range(2):
        os.setresuid(uid, uid, 0)
        try:
            _libc.kill(-1, signal.SIGKILL)
        finally:
            os.setresuid(0, 0, 0)


def close_fds(keep: int) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    for lo, hi in ((3, keep - 1), (keep + 1, 0xFFFFFFFF)):
        if lo <= hi and _sys(SYS_CLOSE_RANGE, lo, hi, 0) != 0:
            os.closerange(lo, min(hi + 1, 1 << 16))


CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 4096, 16384, 1 << 18


def _mount(src, target, fstype, flags, data) -> bool:
    def enc(s):
        return s.encode() if s is not None else None

    return _libc.mount(enc(src), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) == 0


def expose(paths: list[str]) -> str | None:
    """Make ``paths`` reachable by the sandbox user when a parent folder is private (e.g. a
    Python under /root): in a private mount namespace, an empty tmpfs covers the private folder
    and only the needed subfolder is bound back in. Other files there stay out of sight."""
    blocked: dict[str, set[str]] = {}
    for p in paths:
        parts = os.path.realpath(p).strip("/").split("/")
        for i in range(1, len(parts)):
            anc = "/" + "/".join(parts[:i])
            if not os.stat(anc).st_mode & 0o001:
                blocked.setdefault(anc, set()).add(parts[i])
                break
    if not blocked:
        return None
    if _libc.unshare(CLONE_NEWNS) != 0 or not _mount(None, "/", None, MS_REC | MS_PRIVATE, None):
        return _err("mount namespace")
    for anc, children in blocked.items():
        fds = {c: os.open(os.path.join(anc, c), os.O_PATH | os.O_CLOEXEC) for c in children}
        try:
            if not _mount("tmpfs", anc, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0711,size=64k"):
                return _err(f"mount tmpfs on {anc}")
            for c, fd in fds.items():
                os.mkdir(os.path.join(anc, c))
                if not _mount(
                    f"/proc/self/fd/{fd}", os.path.join(anc, c), None, MS_BIND | MS_REC, None
                ):
                    return _err(f"bind {anc}/{c}")
        finally:
            for fd in fds.values():
                os.close(fd)
    return None
