"""`make bundle`: offline install bundles for an intranet that reaches no package index (法院专网).

For each architecture (x86_64, aarch64) one `dist/wenming-<version>-offline-<arch>.tar.gz` holding the project's
wheel and a wheel of every dependency for CPython 3.11 and 3.12 on manylinux (glibc 2.17 … 2.28, as on 麒麟 V10,
统信 UOS 20, openEuler), the installer, sample configuration, systemd units, an nginx example and SHA256SUMS.

Wheels only (`pip download --only-binary=:all: --platform … --python-version …`): a target cannot compile
anything. A dependency published only as an sdist is built here with `pip wheel --no-deps`; when that wheel is
pure Python (`py3-none-any`) it fits every target and goes in; otherwise the build stops and names it, together
with every other dependency that has no wheel for some target. Versions are pinned across targets: the first
target's resolution becomes the constraints of the others, so no target silently gets an older release.

Runs on a connected build machine and honours its pip configuration (a PyPI mirror, for instance).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHES = ("x86_64", "aarch64")
PYTHONS = ("3.11", "3.12")
OLDEST_GLIBC, NEWEST_GLIBC = 17, 28  # manylinux_2_17 … manylinux_2_28: what a glibc 2.28 server runs
# Files of the bundle besides the wheels, taken from the staged tree: (path under packaging/, name in the bundle).
BUNDLE_FILES = [
    ("install.sh", "install.sh"),
    ("install_helper.py", "install_helper.py"),
    ("wenming.env.example", "config/wenming.env.example"),
    ("nginx/wenming.conf", "nginx/wenming.conf"),
]
MISSING = re.compile(r"No matching distribution found for ([^\s]+)")


class BuildError(Exception):
    pass


def say(message: str) -> None:
    print(message, flush=True)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_parts(filename: str) -> tuple[str, str, str, str, str]:
    """(name, version, python tag, abi tag, platform tag) of a wheel file name."""
    parts = filename[:-len(".whl")].split("-")
    if len(parts) == 6:  # with a build tag
        parts = parts[:2] + parts[3:]
    name, version, python, abi, platform = parts
    return normalise(name), version, python, abi, platform


def wheel_fits(filename: str, arch: str) -> bool:
    """Pure Python, or built for this architecture on manylinux (cp3xx or the stable ABI)."""
    _, _, python, abi, platform = wheel_parts(filename)
    if platform == "any":
        return abi == "none" and any(tag.startswith("py3") for tag in python.split("."))
    return all(tag.startswith("manylinux") and tag.endswith(f"_{arch}") for tag in platform.split("."))


def platforms(arch: str) -> list[str]:
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(NEWEST_GLIBC, OLDEST_GLIBC - 1, -1)]
    tags.append(f"manylinux2014_{arch}")  # pip also accepts manylinux2010/manylinux1 on x86_64 from this one
    return tags


def pip(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(command, text=True, capture_output=capture, check=False)


def stage_source(source: Path, into: Path, version: str | None) -> Path:
    """A clean copy of the tree (tracked and new files, nothing ignored), so stale build output never ships."""
    staged = into / "src"
    try:
        listed = subprocess.run(["git", "-C", str(source), "ls-files", "-co", "--exclude-standard", "-z"],
                                capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        listed = None
    if listed is None:
        shutil.copytree(source, staged, ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "dist", "build", "*.egg-info", "__pycache__", "*.pyc"))
    else:
        for name in filter(None, listed):
            path = source / name
            if path.is_file():
                (staged / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, staged / name)
    if version:
        pyproject = staged / "pyproject.toml"
        text, count = re.subn(r'(?m)^version = "[^"]*"', f'version = "{version}"', pyproject.read_text("utf-8"))
        if count != 1:
            raise BuildError("pyproject.toml 中找不到 version 行")
        pyproject.write_text(text, "utf-8")
    return staged


def project_wheel(staged: Path, out: Path) -> Path:
    say("== 构建本项目的 wheel")
    result = pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(staged))
    if result.returncode:
        raise BuildError("本项目的 wheel 构建失败（见上方 pip 的输出）")
    wheels = sorted(out.glob("wenming-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"应得到一个 wenming wheel，实际：{[w.name for w in wheels]}")
    return wheels[0]


def download(target_dir: Path, requirements: Path, constraints: Path | None, local: Path, arch: str,
             python: str) -> subprocess.CompletedProcess:
    args = ["download", "--quiet", "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
            "--dest", str(target_dir), "--find-links", str(local), "-r", str(requirements)]
    for tag in platforms(arch):
        args += ["--platform", tag]
    if constraints is not None:
        args += ["-c", str(constraints)]
    return pip(*args, capture=True)


def local_pure_wheel(spec: str, local: Path) -> bool:
    """Build a wheel for a dependency published only as an sdist; keep it when it is pure Python."""
    with tempfile.TemporaryDirectory() as scratch:
        result = pip("wheel", "--quiet", "--no-deps", "--no-binary", ":all:", "--wheel-dir", scratch, spec,
                     capture=True)
        built = list(Path(scratch).glob("*.whl"))
        if result.returncode or len(built) != 1:
            return False
        _, _, python, abi, platform = wheel_parts(built[0].name)
        if platform != "any" or abi != "none":
            say(f"   {spec}：只有源码包，本地构建得到 {built[0].name}，不是纯 Python，不能用于其他平台")
            return False
        shutil.copy2(built[0], local / built[0].name)
        say(f"   {spec}：只有源码包，已在本机构建纯 Python wheel {built[0].name}（适用于所有平台）")
        return True


def missing_for_target(lock: dict[str, str], local: Path, arch: str, python: str) -> list[str]:
    """Every locked dependency that has no wheel for this target (checked one by one, so all are named)."""
    def lacks_wheel(item: tuple[str, str]) -> bool:
        with tempfile.TemporaryDirectory() as scratch:
            args = ["download", "--quiet", "--no-deps", "--only-binary=:all:", "--implementation", "cp",
                    "--python-version", python, "--dest", scratch, "--find-links", str(local), f"{item[0]}=={item[1]}"]
            for tag in platforms(arch):
                args += ["--platform", tag]
            return pip(*args, capture=True).returncode != 0

    items = sorted(lock.items())
    with ThreadPoolExecutor(max_workers=8) as pool:
        return [f"{name}=={version}" for (name, version), lacking in zip(items, pool.map(lacks_wheel, items), strict=True)
                if lacking]


def fetch_target(work: Path, requirements: Path, constraints: Path | None, local: Path, lock: dict[str, str],
                 arch: str, python: str) -> tuple[Path, list[str]]:
    target_dir = work / "wheels" / f"{arch}-cp{python.replace('.', '')}"
    target_dir.mkdir(parents=True, exist_ok=True)
    tried: set[str] = set()
    while True:
        result = download(target_dir, requirements, constraints, local, arch, python)
        if result.returncode == 0:
            return target_dir, []
        found = MISSING.findall(result.stderr)
        if not found:
            sys.stderr.write(result.stderr)
            raise BuildError(f"{arch} / Python {python}：pip download 失败（见上方输出）")
        spec = found[0]
        if spec not in tried:
            tried.add(spec)
            if local_pure_wheel(spec, local):
                continue
        missing = missing_for_target(lock, local, arch, python) if lock else []
        return target_dir, missing or [spec]


def fetch_all(work: Path, requirements: Path, local: Path, arches: list[str], pythons: list[str]):
    """The first target resolves; its versions pin the others, which download side by side."""
    targets = [(arch, python) for arch in arches for python in pythons]
    fetched: dict[tuple[str, str], Path] = {}
    failures: dict[tuple[str, str], list[str]] = {}
    first, *rest = targets
    say(f"== 下载依赖：{first[0]} / Python {first[1]}")
    target_dir, missing = fetch_target(work, requirements, None, local, {}, *first)
    if missing:
        return fetched, {first: missing}
    fetched[first] = target_dir
    lock = lock_from(target_dir)
    constraints = work / "constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in sorted(lock.items())), "utf-8")
    if rest:
        say("== 下载依赖：" + "、".join(f"{arch} / Python {python}" for arch, python in rest))
        with ThreadPoolExecutor(max_workers=len(rest)) as pool:
            results = pool.map(lambda t: (t, fetch_target(work, requirements, constraints, local, lock, *t)), rest)
            for target, (target_dir, missing) in results:
                if missing:
                    failures[target] = missing
                else:
                    fetched[target] = target_dir
    return fetched, failures


def reuse_wheels(bundle: Path, work: Path, arches: list[str], pythons: list[str]) -> dict[tuple[str, str], Path]:
    """The dependency wheels of an earlier bundle (everything but our own wheel)."""
    with tarfile.open(bundle) as tar:
        version_member = next(m for m in tar.getmembers() if m.name.endswith("/VERSION"))
        facts = dict(line.split("=", 1) for line in tar.extractfile(version_member).read().decode().splitlines())
        if arches != [facts["arch"]] or not set(pythons) <= set(facts["pythons"].split()):
            raise BuildError(f"{bundle.name} 是 {facts['arch']} / Python {facts['pythons']} 的离线包，"
                             f"与所求的 {'、'.join(arches)} / Python {'、'.join(pythons)} 不符")
        target_dir = work / "wheels" / "reused"
        target_dir.mkdir(parents=True)
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and "/wheels/" in member.name and not name.startswith("wenming-"):
                with tar.extractfile(member) as source, (target_dir / name).open("wb") as target:
                    shutil.copyfileobj(source, target)
    say(f"== 沿用 {bundle.name} 中的依赖 wheel")
    return {(facts["arch"], python): target_dir for python in pythons}


def lock_from(target_dir: Path) -> dict[str, str]:
    return {name: version for name, version, *_ in map(wheel_parts, (p.name for p in target_dir.glob("*.whl")))}


def check_complete(bundle: Path, version: str, arch: str, pythons: list[str]) -> None:
    """Install into nowhere from the bundle alone, for each Python: proves nothing is missing."""
    for python in pythons:
        with tempfile.TemporaryDirectory() as scratch:
            args = ["install", "--quiet", "--dry-run", "--ignore-installed", "--no-index", "--find-links",
                    str(bundle / "wheels"), "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
                    "--target", scratch, f"wenming=={version}", "pip"]
            for tag in platforms(arch):
                args += ["--platform", tag]
            result = pip(*args, capture=True)
            if result.returncode:
                sys.stderr.write(result.stderr)
                raise BuildError(f"{arch} / Python {python}：离线包不完整，仅凭包内 wheel 无法安装")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(directory: Path, names: list[str], out: Path) -> None:
    out.write_text("".join(f"{sha256(directory / name)}  {name}\n" for name in sorted(names)), "utf-8")


def copy_units(staged: Path, bundle: Path) -> None:
    (bundle / "systemd").mkdir()
    for unit in sorted((staged / "packaging" / "systemd").iterdir()):
        shutil.copy2(unit, bundle / "systemd" / unit.name)


def assemble(work: Path, staged: Path, dist: Path, version: str, arch: str, pythons: list[str], wheel_dirs: list[Path],
             project: Path, local: Path, commit: str) -> Path:
    name = f"wenming-{version}-offline-{arch}"
    bundle = work / name
    (bundle / "wheels").mkdir(parents=True)
    for directory in [*wheel_dirs, local]:
        for wheel in directory.glob("*.whl"):
            shutil.copy2(wheel, bundle / "wheels" / wheel.name)
    shutil.copy2(project, bundle / "wheels" / project.name)
    wrong = sorted(w.name for w in (bundle / "wheels").glob("*.whl") if not wheel_fits(w.name, arch))
    if wrong:
        raise BuildError(f"{arch}：离线包中有不适用于此架构的 wheel：" + "、".join(wrong))
    for source, target in BUNDLE_FILES:
        (bundle / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(staged / "packaging" / source, bundle / target)
    (bundle / "install.sh").chmod(0o755)
    copy_units(staged, bundle)
    shutil.copy2(staged / "docs" / "install.md", bundle / "INSTALL.md")
    (bundle / "VERSION").write_text(
        f"version={version}\narch={arch}\npythons={' '.join(pythons)}\nglibc=2.{NEWEST_GLIBC}\n"
        f"built={datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}\ncommit={commit}\n",
        "utf-8")
    check_complete(bundle, version, arch, pythons)
    files = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    write_sums(bundle, files, bundle / "SHA256SUMS")
    dist.mkdir(parents=True, exist_ok=True)
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:  # wheels are zip files already
        tar.add(bundle, arcname=name)
    wheels = len(list((bundle / "wheels").glob("*.whl")))
    say(f"   {archive}：{wheels} 个 wheel，{archive.stat().st_size / 1024 / 1024:.1f} MB")
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", action="append", choices=ARCHES, help="默认两种架构都构建 / default: both")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="默认 3.11 和 3.12 / default: both")
    parser.add_argument("--source", type=Path, default=ROOT, help="项目源码目录 / the project tree to package")
    parser.add_argument("--version", help="覆盖 pyproject.toml 中的版本号，如 0.1.1.dev3 / override the version")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="输出目录 / output directory")
    parser.add_argument("--reuse", type=Path, metavar="TAR.GZ",
                        help="沿用已有离线包中的依赖 wheel，只重建本项目的 wheel（须同一架构）"
                             " / take the dependencies from an existing bundle of the same arch; rebuild only ours")
    parser.add_argument("--also", action="append", default=[], metavar="REQ",
                        help="额外的依赖（用于检验构建本身）/ an extra requirement, to test the build itself")
    options = parser.parse_args(argv)
    arches, pythons = options.arch or list(ARCHES), options.python or list(PYTHONS)
    source = options.source.resolve()
    try:
        commit = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    with tempfile.TemporaryDirectory(prefix="wenming-bundle-") as scratch:
        work = Path(scratch)
        staged = stage_source(source, work, options.version)
        project = tomllib.loads((staged / "pyproject.toml").read_text("utf-8"))["project"]
        version = project["version"]
        try:
            project_file = project_wheel(staged, work / "project")
            requirements = work / "requirements.txt"
            requirements.write_text("\n".join([*project["dependencies"], *options.also, "pip"]) + "\n", "utf-8")
            local = work / "local-wheels"
            local.mkdir()
            if options.reuse:
                fetched = reuse_wheels(options.reuse, work, arches, pythons)
                failures = {}
            else:
                fetched, failures = fetch_all(work, requirements, local, arches, pythons)
            if failures:
                say("\n离线包构建失败：以下依赖没有适用于目标平台的 wheel（只有源码包且含编译代码，或未发布该平台的版本）：")
                for (arch, python), missing in failures.items():
                    say(f"  {arch} / Python {python}：" + "、".join(missing))
                say("No wheel for the target above; pin a version that publishes one, or drop the target.")
                return 1
            say("== 组装离线包")
            archives = [
                assemble(work, staged, options.dist.resolve(), version, arch, pythons,
                         [fetched[(arch, python)] for python in pythons], project_file, local, commit)
                for arch in arches
            ]
        except BuildError as exc:
            say(f"离线包构建失败：{exc}")
            return 1
    sums = options.dist.resolve() / "SHA256SUMS"
    kept = {}
    if sums.exists():
        for line in sums.read_text("utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if (sums.parent / name).exists():
                kept[name] = digest
    kept.update({archive.name: sha256(archive) for archive in archives})
    sums.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(kept.items())), "utf-8")
    say(f"完成：{', '.join(a.name for a in archives)}；校验和见 {sums}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main())
