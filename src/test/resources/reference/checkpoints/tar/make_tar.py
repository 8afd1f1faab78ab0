#!/usr/bin/env python3
"""Writes two_files.tar: the archive Python's tarfile (POSIX ustar format) makes of two files,
with the attributes initlab's Tar gives every entry (regular file, mode 0644, uid/gid 0, no
owner names, mtime 0). Tar must write the same bytes; tarfile then pads the archive with zeros to
a multiple of its 10240-byte record, which initlab leaves out (readers stop at the two zero
blocks that end the archive).

File contents: config.json is b'{\\n  "a": 1\\n}\\n'; weights/model.safetensors is the 1000 bytes
i % 251 for i in 0..999 (not a multiple of 512, so the padding is checked too).
Run: python3 make_tar.py (writes beside itself). Made with Python 3.11.7.
"""

import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [("config.json", b'{\n  "a": 1\n}\n'), ("weights/model.safetensors", bytes(i % 251 for i in range(1000)))]

with tarfile.open(os.path.join(HERE, "two_files.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
    for name, data in FILES:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o644
        info.mtime = 0
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        tar.addfile(info, io.BytesIO(data))
