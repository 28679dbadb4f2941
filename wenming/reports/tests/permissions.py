from wenming.core.matrix import Expect  # noqa: F401

MATRIX = []
