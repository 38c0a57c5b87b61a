# Jarchi: offline checks of the Flatpak manifest (TAP): keys, build systems, checksums, permissions.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 tests/check-flatpak-manifest.py MANIFEST.json [APP_ID]
#
# No GNOME runtime is available offline, so the manifest cannot be built here.
# flatpak-builder --show-manifest only rejects broken JSON, and unknown keys
# only under G_DEBUG=fatal-warnings; it does not notice a missing sha256 or a
# misspelt buildsystem. This script checks those itself.

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VALID_BUILDSYSTEMS = {"meson", "cmake", "cmake-ninja", "autotools", "simple", "qmake"}
REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--socket=pulseaudio",
    "--talk-name=org.freedesktop.Notifications",
    "--talk-name=org.kde.StatusNotifierWatcher",
]
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class Tap:
    def __init__(self):
        self.results = []

    def check(self, ok, name, diagnostics=()):
        self.results.append((bool(ok), name, list(diagnostics)))
        return ok

    def finish(self):
        print("1..%d" % len(self.results))
        failed = 0
        for number, (ok, name, diagnostics) in enumerate(self.results, 1):
            print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
            if not ok:
                failed += 1
                for line in diagnostics:
                    print("# " + line)
        sys.stdout.flush()
        return 1 if failed else 0


def load_modules(modules, base_dir, problems, where="modules"):
    """Flatten the module tree; string entries name JSON files next to the manifest."""
    flat = []
    for index, module in enumerate(modules or []):
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            try:
                with open(path, encoding="utf-8") as f:
                    module = json.load(f)
            except (OSError, ValueError) as e:
                problems.append("%s[%d]: cannot load %s: %s" % (where, index, path, e))
                continue
        if not isinstance(module, dict):
            problems.append("%s[%d] is not an object" % (where, index))
            continue
        flat.append(module)
        name = module.get("name", "?")
        flat.extend(load_modules(module.get("modules"), base_dir, problems,
                                 "%s/%s/modules" % (where, name)))
    return flat


def sources_of(module, base_dir, problems):
    out = []
    for index, source in enumerate(module.get("sources") or []):
        if isinstance(source, str):
            path = os.path.join(base_dir, source)
            try:
                with open(path, encoding="utf-8") as f:
                    loaded = json.load(f)
            except (OSError, ValueError) as e:
                problems.append("%s: source %d: cannot load %s: %s"
                                % (module.get("name", "?"), index, path, e))
                continue
            out.extend(loaded if isinstance(loaded, list) else [loaded])
        else:
            out.append(source)
    return out


def main(argv):
    if len(argv) < 2:
        print("1..0 # SKIP usage: check-flatpak-manifest.py MANIFEST.json [APP_ID]")
        return 2
    manifest_path = os.path.abspath(argv[1])
    base_dir = os.path.dirname(manifest_path)
    app_id = argv[2] if len(argv) > 2 else os.path.basename(manifest_path).rsplit(".", 1)[0]
    tap = Tap()

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        tap.check(isinstance(manifest, dict), "manifest is valid JSON (an object)")
    except (OSError, ValueError) as e:
        tap.check(False, "manifest is valid JSON (an object)", [str(e)])
        return tap.finish()
    if not isinstance(manifest, dict):
        return tap.finish()

    found_id = manifest.get("id", manifest.get("app-id"))
    tap.check(found_id == app_id, "app id is %s" % app_id, ["found %r" % (found_id,)])
    tap.check(manifest.get("runtime") == "org.gnome.Platform"
              and manifest.get("sdk") == "org.gnome.Sdk"
              and isinstance(manifest.get("runtime-version"), str)
              and manifest.get("runtime-version") != "",
              "runtime org.gnome.Platform and sdk org.gnome.Sdk with a runtime-version",
              ["runtime=%r sdk=%r runtime-version=%r" % (manifest.get("runtime"),
               manifest.get("sdk"), manifest.get("runtime-version"))])
    tap.check(manifest.get("command") == "jarchi", "command is jarchi",
              ["found %r" % (manifest.get("command"),)])

    problems = []
    modules = load_modules(manifest.get("modules"), base_dir, problems)
    tap.check(not problems and modules, "modules load", problems or ["no modules"])

    bad = ["%s: %r" % (m.get("name", "?"), m.get("buildsystem"))
           for m in modules if m.get("buildsystem") not in VALID_BUILDSYSTEMS]
    tap.check(not bad, "every module has a valid buildsystem (%s)"
              % ", ".join(sorted(VALID_BUILDSYSTEMS)), bad)

    names = [m.get("name") for m in modules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    tap.check(all(isinstance(n, str) and n and "/" not in n and " " not in n for n in names)
              and not dupes, "every module has a unique plain name",
              ["names: %r" % names] + (["duplicates: %r" % dupes] if dupes else []))

    bad = []
    checked = 0
    source_problems = []
    for module in modules:
        sources = sources_of(module, base_dir, source_problems)
        if not sources:
            bad.append("%s: no sources" % module.get("name", "?"))
        for source in sources:
            if not isinstance(source, dict) or source.get("type") not in ("archive", "file"):
                continue
            label = "%s: %s" % (module.get("name", "?"), source.get("url", source.get("path")))
            if "url" not in source and "path" in source:
                continue  # a file kept in this repository: git already pins it
            checked += 1
            url = source.get("url")
            if not isinstance(url, str) or not url.startswith("https://"):
                bad.append("%s: url missing or not https" % label)
            sha = source.get("sha256")
            if not isinstance(sha, str) or not SHA256_RE.match(sha):
                bad.append("%s: sha256 missing or not 64 lowercase hex digits (%r)" % (label, sha))
    tap.check(not bad and not source_problems,
              "every archive/file source has an https url and a sha256 (%d checked)" % checked,
              bad + source_problems)

    jarchi = [m for m in modules if m.get("name") == "jarchi"]
    diag = []
    ok = len(jarchi) == 1
    if ok:
        j = jarchi[0]
        srcs = j.get("sources") or []
        ok = (len(srcs) == 1 and isinstance(srcs[0], dict) and srcs[0].get("type") == "dir"
              and isinstance(srcs[0].get("path"), str))
        diag.append("sources: %r" % (srcs,))
        ok = ok and j.get("buildsystem") == "meson" and "-Dtests=false" in (j.get("config-opts") or [])
        diag.append("buildsystem=%r config-opts=%r" % (j.get("buildsystem"), j.get("config-opts")))
        if ok:
            root = os.path.normpath(os.path.join(base_dir, srcs[0]["path"]))
            ok = os.path.isfile(os.path.join(root, "meson.build"))
            diag.append("dir source resolves to %s" % root)
        ok = ok and modules[-1] is j
        diag.append("jarchi is the last module: %s" % (modules[-1] is j))
    else:
        diag.append("found %d modules named jarchi" % len(jarchi))
    tap.check(ok, "jarchi module: meson, -Dtests=false, one dir source at the project root, built last",
              diag)

    finish_args = manifest.get("finish-args") or []
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in finish_args]
    tap.check(not missing, "finish-args contain the required permissions",
              ["missing: %s" % a for a in missing])
    broad = [a for a in finish_args
             if a in ("--filesystem=host", "--filesystem=home", "--device=all",
                      "--socket=session-bus", "--socket=system-bus")]
    tap.check(not broad, "finish-args grant no blanket host, home, device or bus access",
              ["found: %s" % a for a in broad])

    builder = shutil.which("flatpak-builder")
    if builder is None:
        tap.check(False, "flatpak-builder --show-manifest accepts the manifest",
                  ["flatpak-builder is not installed (Debian package flatpak-builder)"])
    else:
        env = dict(os.environ)
        env["G_DEBUG"] = "fatal-warnings"
        # flatpak-builder leaves a .flatpak-builder/ in its working directory.
        workdir = tempfile.mkdtemp(prefix="jarchi-flatpak-")
        try:
            proc = subprocess.run([builder, "--show-manifest", manifest_path], cwd=workdir,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True, timeout=60)
            diag = ["exit status %d" % proc.returncode]
            diag += [line for line in proc.stderr.splitlines() if line.strip()][:20]
            tap.check(proc.returncode == 0,
                      "flatpak-builder --show-manifest accepts the manifest under "
                      "G_DEBUG=fatal-warnings", diag)
        except subprocess.TimeoutExpired:
            tap.check(False, "flatpak-builder --show-manifest accepts the manifest",
                      ["timed out after 60 s"])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
