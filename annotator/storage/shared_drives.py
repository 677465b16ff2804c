"""Whether a project lies where other computers reach it: on a network drive, or in a
folder a cloud service keeps in sync. SQLite's locks hold between the programs of one
computer only ("WAL does not work over a network filesystem", sqlite.org/wal.html), so a
second computer that opens the project there can lose edits or damage the file, and a sync
can copy the file between two writes. Nothing refuses such a project; the window says it
once, as it opens (``shared_drive_note``).

Network drives are known on Linux from the mount table, on macOS from ``mount``'s list,
on Windows from a UNC path or the drive's type. Synced folders are known by name, where
their programs put them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePath

#: File systems of a network drive (Linux's names; macOS's ``smbfs``, ``nfs``, ``afpfs``,
#: ``webdav``); a FUSE file system is ``fuse.<program>`` on Linux.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "afpfs", "webdav", "davfs",
        "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "ncpfs", "coda",
        "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.s3fs", "fuse.gcsfuse",
        "fuse.glusterfs", "fuse.cephfs", "fuse.smbnetfs", "fuse.curlftpfs",
        # GNOME Files' and KDE's shares (SMB, SFTP, WebDAV, Google Drive: /run/user/…/gvfs)
        "fuse.gvfsd-fuse", "fuse.kio-fuse",
    }
)  # fmt: skip

#: Linux's table of the mounts this process sees.
MOUNT_TABLE = "/proc/self/mountinfo"

#: Folder names of sync services, as their programs make them (``Dropbox (Team)``,
#: ``OneDrive - Org``, macOS's ``CloudStorage/GoogleDrive-ana@…`` and iCloud's
#: ``Mobile Documents``).
_SYNCED = (
    ("Dropbox", "Dropbox"),
    ("OneDrive", "OneDrive"),
    ("Google Drive", "Google Drive"),
    ("GoogleDrive", "Google Drive"),
    ("My Drive", "Google Drive"),
    ("iCloud Drive", "iCloud Drive"),
    ("Mobile Documents", "iCloud Drive"),
    ("Nextcloud", "Nextcloud"),
    ("ownCloud", "ownCloud"),
    ("pCloud Drive", "pCloud"),
    ("MEGA", "MEGA"),
    ("MEGAsync", "MEGA"),
    ("pCloudDrive", "pCloud"),
    ("SynologyDrive", "Synology Drive"),
    ("Box", "Box"),
    ("Box Sync", "Box"),
)


def synced_by(path: PurePath) -> str:
    """The sync service whose folder holds ``path`` ("" if none): a folder named as that
    service names its own, alone or followed by a space, a hyphen or a bracket."""
    for folder in path.parts[:-1]:
        for name, service in _SYNCED:
            if folder == name or (
                folder.startswith(name) and folder[len(name)] in " -(" and name != "Box"
            ):
                return service
    return ""


def _unescape(field: str) -> str:
    """A mount table's field: a space, tab, newline or backslash is written in octal."""
    for code in ("040", "011", "012", "134"):
        field = field.replace("\\" + code, chr(int(code, 8)))
    return field


def mounted_file_system(path: str, mountinfo: str) -> str:
    """The file system type of the mount that holds the absolute ``path``, from Linux's
    ``/proc/self/mountinfo`` text ("" if no line parses)."""
    mounts = []
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if " - " in line and len(fields) >= 5:
            mounts.append((_unescape(fields[4]), line.split(" - ", 1)[1].split(" ")[0]))
    return _deepest_holding(path, mounts)


def mac_mounted_file_system(path: str, mount_list: str) -> str:
    """The file system type of the mount that holds ``path``, from macOS's ``mount`` list
    (``//ana@nas/share on /Volumes/share (smbfs, nodev, nosuid, mounted by ana)``)."""
    mounts = []
    for line in mount_list.splitlines():
        head, on, rest = line.rpartition(" (")
        if on and " on " in head:
            mounts.append((head.split(" on ", 1)[1], rest.split(",")[0].rstrip(")")))
    return _deepest_holding(path, mounts)


def _deepest_holding(path: str, mounts: list[tuple[str, str]]) -> str:
    """The kind of the deepest of the (mount point, kind) ``mounts`` holding ``path``
    (the last listed of one point: it covers those before); "" if none does."""
    best, kind = "", ""
    for point, its_kind in mounts:
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, its_kind
    return kind


def _network_file_system(path: Path) -> str:
    """The network file system (or "network drive" on Windows) holding ``path``, or ""."""
    where = str(path)
    try:
        if sys.platform.startswith("linux"):
            with open(MOUNT_TABLE, encoding="utf-8", errors="replace") as table:
                kind = mounted_file_system(where, table.read())
        elif sys.platform == "darwin":
            listed = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            )
            kind = mac_mounted_file_system(where, listed.stdout)
        elif sys.platform == "win32":
            return "network drive" if _windows_remote(path) else ""
        else:
            return ""
    except (OSError, subprocess.SubprocessError):
        return ""  # no mount table to read: nothing is said, as before
    return kind if kind in NETWORK_FILE_SYSTEMS else ""


def _windows_remote(path: Path) -> bool:
    """A UNC path (``\\\\server\\share``), or a drive letter Windows calls remote."""
    where = str(path)
    if where.startswith("\\\\?\\UNC\\") or where.startswith("\\\\") and where[2:3] not in "?.":
        return True
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(path.anchor) == 4)  # DRIVE_REMOTE


def shared_drive_note(path: Path) -> str:
    """What the user should know of a project on a network drive or in a synced folder,
    or "" for a project on this computer's own disk."""
    try:
        where = Path(os.path.realpath(path))
    except OSError:
        return ""
    if kind := _network_file_system(where):
        return (
            f"{path.name} is on a network drive ({kind}). SQLite keeps the edits of "
            "programs on one computer apart, not of two computers: have it open on one "
            "computer at a time, or give each annotator a copy and merge them "
            "(annotator merge)."
        )
    if service := synced_by(where):
        return (
            f"{path.name} is in a folder {service} keeps in sync. A sync while the window "
            "writes can copy the project without its latest edits, and two computers' "
            "copies conflict: have it open on one computer at a time, and let the sync "
            "finish before opening it on another."
        )
    return ""
