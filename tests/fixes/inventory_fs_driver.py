"""Drives examples/inventory_fs once, in one thread, and prints what its
public API returns: run before and after `raceaudit scan --fix` on a copy
(tests/e2e/fixes_inventory_test.cpp), the two outputs must be equal.
Usage: python3 inventory_fs_driver.py DIR_HOLDING_inventory_fs SCRATCH_DIR"""
import os
import sys

sys.path.insert(0, sys.argv[1])
scratch = sys.argv[2]

import inventory_fs
from inventory_fs import settings


def show(label, value):
    print(f"{label}: {value!r}")


store = inventory_fs.MemoryStore()
docs = store.makedirs("/srv/docs")
for i in range(3):
    store.create_file(docs, f"f{i}.txt", b"x" * i)
show("listdir", store.listdir(docs))
show("du", store.du(docs))
fd = store.open(store.lookup("/srv/docs/f2.txt"))
handle = store.get(fd)
handle.write(b"hello")
handle.seek(0)
show("read", handle.read(5))
show("position after write", handle.position)
show("bytes used", store.bytes_used)
imported = store.import_file(docs, "bulk.bin", b"12345678")
store.link(imported, store.root, "bulk-link")
store.unlink(docs, "bulk.bin")
show("nlink after unlink", imported.nlink)
store.unlink(store.root, "bulk-link")
show("bytes used after the last unlink", store.bytes_used)
show("open handles", len(store.open_handles()))
handle.close()
show("open handles after close", len(store.open_handles()))

table = inventory_fs.MountTable()
root_mount = table.mount("/", store, total_size=100)
root_mount.charge(60)
root_mount.refund(25)
show("mount free", root_mount.free)
table.mount("/srv", inventory_fs.MemoryStore())
show("resolve /srv/docs", table.resolve("/srv/docs").path)
show("resolve /etc", table.resolve("/etc").path)
table.unmount("/srv")
table.unmount("/srv")  # no longer mounted: nothing happens
show("mount points", table.mount_points())
show("resolve /srv/docs after unmount", table.resolve("/srv/docs").path)

registry = inventory_fs.PluginRegistry()
registry.register_alias("m", "memory")
registry.register_alias("m", "other")  # the first alias stays
show("create via alias", type(registry.create("m")).__name__)
registry.add_hook(len)
show("describe", registry.describe())
show("register_plugin", inventory_fs.register_plugin("disk", inventory_fs.MemoryStore))
show("register_plugin again", inventory_fs.register_plugin("disk", inventory_fs.MemoryStore))
show("plugin names", sorted(inventory_fs.plugin_names()))

cache = os.path.join(scratch, "cache")
show("ensure_cache_dir", settings.ensure_cache_dir(cache) == cache)
show("ensure_cache_dir again", settings.ensure_cache_dir(cache) == cache)
show("cache is a directory", os.path.isdir(cache))
