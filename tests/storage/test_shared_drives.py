"""A project on a network drive or in a synced folder is known as such: SQLite's locks do
not reach another computer there, and the window says so as it opens the project."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from annotator.storage import shared_drives
from annotator.storage.shared_drives import (
    mac_mounted_file_system,
    mounted_file_system,
    shared_drive_note,
    synced_by,
)

# A Linux mount table: a root, a CIFS share with a space in its mount point (written
# "\040"), an sshfs mount, and a local disk mounted inside the share.
MOUNTINFO = """\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
80 27 0:50 / /mnt/team\\040share rw,relatime shared:40 - cifs //nas/conflict rw,vers=3.1.1
81 27 0:51 / /home/ana/remote rw,nosuid - fuse.sshfs ana@server:/data rw
82 80 8:17 / /mnt/team\\040share/local rw - ext4 /dev/sdb1 rw
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/ana/syria.db", "ext4"),
        ("/mnt/team share/syria.db", "cifs"),
        ("/mnt/team share/2024/syria.db", "cifs"),
        ("/mnt/team sharex/syria.db", "ext4"),  # another folder whose name begins alike
        ("/home/ana/remote/syria.db", "fuse.sshfs"),
        ("/mnt/team share/local/syria.db", "ext4"),  # the deepest mount holds it
    ],
)
def test_the_mount_holding_a_path_gives_its_file_system(path, kind):
    assert mounted_file_system(path, MOUNTINFO) == kind


def test_the_desktops_own_shares_are_network_drives(tmp_path, monkeypatch):
    """GNOME Files mounts a NAS's SMB share under /run/user/…/gvfs (KDE through kio-fuse):
    the commonest way a Linux desktop reaches one, and no note was given."""
    gvfs = "/run/user/1000/gvfs/smb-share:server=nas,share=team"
    table = (
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
        "90 27 0:60 / /run/user/1000/gvfs rw,nosuid - fuse.gvfsd-fuse gvfsd-fuse rw\n"
        "91 27 0:61 / /run/user/1000/kio-fuse-x rw,nosuid - fuse.kio-fuse kio-fuse rw\n"
    )
    for path in (f"{gvfs}/syria.db", "/run/user/1000/kio-fuse-x/smb/nas/syria.db"):
        kind = mounted_file_system(path, table)
        assert kind in shared_drives.NETWORK_FILE_SYSTEMS, kind


def test_macos_mount_list_gives_the_file_system():
    listed = (
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//ana@nas._smb._tcp.local/Team%20Share on /Volumes/Team Share (smbfs, nodev, "
        "nosuid, mounted by ana)\n"
    )
    assert mac_mounted_file_system("/Volumes/Team Share/syria.db", listed) == "smbfs"
    assert mac_mounted_file_system("/Users/ana/syria.db", listed) == "apfs"


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/home/ana/Dropbox/projects/syria.db", "Dropbox"),
        ("/home/ana/Dropbox (Team)/syria.db", "Dropbox"),
        (r"C:\Users\ana\OneDrive - Peace Institute\syria.db", "OneDrive"),
        (
            "/Users/a/Library/CloudStorage/GoogleDrive-a@x.org/My Drive/s.db",
            "Google Drive",
        ),
        ("/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/syria.db", "iCloud Drive"),
        ("/home/ana/Nextcloud/syria.db", "Nextcloud"),
        ("/home/ana/MEGAsync/syria.db", "MEGA"),
        ("/home/ana/SynologyDrive/team/syria.db", "Synology Drive"),
        ("/home/ana/projects/syria.db", ""),
        ("/home/ana/Dropboxes/syria.db", ""),  # not the service's own name
        ("/home/ana/Boxing/syria.db", ""),
        ("/home/ana/Dropbox.db", ""),  # the file's own name is no folder
    ],
)
def test_a_sync_services_folder_is_known_by_its_name(path, service):
    kind = PureWindowsPath if path.startswith("C:") else Path
    assert synced_by(kind(path)) == service


def test_a_project_on_a_network_mount_or_in_a_synced_folder_gets_a_note(tmp_path, monkeypatch):
    if not shared_drives.sys.platform.startswith("linux"):
        pytest.skip("the mount table read is Linux's")
    share = tmp_path / "share"
    share.mkdir()
    table = tmp_path / "mountinfo"
    table.write_text(
        f"27 1 254:0 / / rw - ext4 /dev/vda rw\n"
        f"80 27 0:50 / {share.resolve()} rw - nfs4 nas:/conflict rw\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(shared_drives, "MOUNT_TABLE", str(table))
    note = shared_drive_note(share / "syria.db")
    assert note.startswith("syria.db is on a network drive (nfs4).")
    assert "one computer at a time" in note and "annotator merge" in note
    assert shared_drive_note(tmp_path / "syria.db") == ""
    dropbox = tmp_path / "Dropbox"
    dropbox.mkdir()
    assert "a folder Dropbox keeps in sync" in shared_drive_note(dropbox / "syria.db")
    monkeypatch.setattr(shared_drives, "MOUNT_TABLE", str(tmp_path / "none"))
    assert shared_drive_note(share / "syria.db") == ""  # no table to read: nothing said
