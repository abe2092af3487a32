"""The limits and options one grading run applies to every submission, as one typed object."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """What a judge needs besides the autograder zip (from course.yml and the command line)."""

    timeout: float = 60.0  # wall-clock seconds per submission
    memory_mb: int = 2048  # the child's address-space limit
    preimport: tuple[str, ...] = field(default_factory=tuple)  # modules the zygote imports
    judge_memory_mb: int = 4096  # the judge process's own address-space limit (0: none)

    def __post_init__(self):
        object.__setattr__(self, "preimport", tuple(self.preimport))
        if not self.timeout > 0:
            raise ValueError("timeout must be positive")
        if self.memory_mb <= 0 or self.judge_memory_mb < 0:
            raise ValueError("memory limits must be positive")

    @classmethod
    def of(cls, x) -> "Settings":
        """Settings from Settings or from the plain dict that older callers pass."""
        return x if isinstance(x, Settings) else cls(**dict(x))

    def grader_args(self) -> dict:
        """The keyword arguments of ``judge.Grader``."""
        return {
            "timeout": float(self.timeout),
            "memory_mb": int(self.memory_mb),
            "preimport": list(self.preimport),
        }
