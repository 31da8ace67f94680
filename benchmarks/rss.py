"""Peak memory of the current process, for the benchmarks' figures."""

from __future__ import annotations

import resource


def peak_mb() -> float:
    """This process's own peak resident memory, in MB.

    Not ru_maxrss alone: on Linux a process started by fork (or vfork) and exec keeps
    its parent's peak in ru_maxrss, so a small bot launched by a big benchmark process
    would report the benchmark's size. VmHWM counts only this process's memory since exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # in kB
    except OSError:
        pass  # not Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
